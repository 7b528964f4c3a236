/* fuzz_lot.c — lr_norm_parse_lots, lr_norm_format_lot, PNU building and checking,
 * lr_norm_resolve_dong: no crash; each valid lot prints in the export grammar, reads back the
 * same, and survives a PNU round trip. The first byte picks a context lot. */
#include "fuzz_common.h"

/* (산)?[1-9][0-9]{0,3}(-[1-9][0-9]{0,3})? */
static int lot_grammar(const char *s)
{
    if (strncmp(s, "산", 3) == 0)
        s += 3;
    for (int part = 0; part < 2; part++) {
        if (*s < '1' || *s > '9')
            return 0;
        int k = 0;
        while (*s >= '0' && *s <= '9' && k < 5) {
            s++;
            k++;
        }
        if (k > 4)
            return 0;
        if (*s == '\0')
            return 1;
        if (part == 0 && *s == '-')
            s++;
        else
            return 0;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const lr_norm_tables *t = fuzz_tables();
    const lr_norm_lot ctx = {false, 123, 0};
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    lr_norm_lots r;
    FUZZ_CHECK(lr_norm_parse_lots(t, text, len, size && (data[0] & 1) ? &ctx : NULL, &r, NULL) ==
               LR_OK);
    fuzz_check_note(&r.note);
    FUZZ_CHECK(r.nitems >= 0 && r.nitems <= LR_NORM_LOTS_MAX && r.count >= 0);
    FUZZ_CHECK(r.note.status != LR_NORM_UNPARSEABLE || (r.nitems == 0 && r.count == 0));
    FUZZ_CHECK(r.note.status == LR_NORM_UNPARSEABLE || r.nitems >= 1);
    for (int i = 0; i < r.nitems; i++) {
        const lr_norm_lot *lot = &r.items[i].lot;
        if (lot->main < 1 || lot->main > 9999 || lot->sub < 0 || lot->sub > 9999)
            continue;
        char buf[LR_NORM_LOT_SIZE];
        FUZZ_CHECK(lr_norm_format_lot(lot, buf, sizeof buf) == LR_OK);
        FUZZ_CHECK(lot_grammar(buf));
        lr_norm_lots back;
        FUZZ_CHECK(lr_norm_parse_lots(t, buf, strlen(buf), NULL, &back, NULL) == LR_OK);
        FUZZ_CHECK(back.note.status == LR_NORM_OK && back.nitems == 1);
        FUZZ_CHECK(back.items[0].lot.main == lot->main && back.items[0].lot.sub == lot->sub &&
                   back.items[0].lot.mountain == lot->mountain);
        char pnu[LR_NORM_PNU_SIZE], code[LR_NORM_DONG_CODE_SIZE];
        lr_norm_lot from_pnu;
        FUZZ_CHECK(lr_norm_build_pnu(t, "1111010100", lot, pnu, NULL) == LR_OK);
        FUZZ_CHECK(lr_norm_check_pnu(t, pnu, code, &from_pnu, NULL) == LR_OK);
        FUZZ_CHECK(strcmp(code, "1111010100") == 0 && from_pnu.main == lot->main &&
                   from_pnu.sub == lot->sub && from_pnu.mountain == lot->mountain);
    }
    lr_norm_dong d;
    FUZZ_CHECK(lr_norm_resolve_dong(t, text, len, &d, NULL) == LR_OK);
    fuzz_check_note(&d.note);
    fuzz_check_matches(d.alt, d.nalt);
    FUZZ_CHECK(d.code[0] == '\0' || strlen(d.code) == 10);
    FUZZ_CHECK(d.code[0] == '\0' || d.note.status != LR_NORM_UNPARSEABLE);
    /* any 19 bytes as a PNU: checked, never crashing */
    if (len >= 19) {
        char pnu[20];
        memcpy(pnu, text, 19);
        pnu[19] = '\0';
        lr_norm_check_pnu(t, pnu, NULL, NULL, NULL);
    }
    return 0;
}
