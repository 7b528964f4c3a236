/* fuzz_area.c — lr_norm_parse_area: no crash; a value read is a positive fraction whose
 * two-decimal form follows the export grammar and reads back the same. The first byte picks a
 * default unit. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const units[] = {NULL, "坪", "㎡"};
    const lr_norm_tables *t = fuzz_tables();
    const char *def = size ? units[data[0] % 3] : NULL;
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    lr_norm_area a;
    FUZZ_CHECK(lr_norm_parse_area(t, text, len, def, &a, NULL) == LR_OK);
    fuzz_check_note(&a.note);
    FUZZ_CHECK(fuzz_valid_text(a.as_written, sizeof a.as_written));
    FUZZ_CHECK(a.den > 0);
    if (a.note.status == LR_NORM_UNPARSEABLE) {
        FUZZ_CHECK(a.m2[0] == '\0' && a.num == 0);
        return 0;
    }
    FUZZ_CHECK(a.num >= 0 && a.nparts >= 1 && a.nparts <= LR_NORM_AREA_PARTS);
    size_t n = strlen(a.m2);
    FUZZ_CHECK(n >= 4 && a.m2[n - 3] == '.');
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(i == n - 3 || (a.m2[i] >= '0' && a.m2[i] <= '9'));
    char again[32];
    FUZZ_CHECK(lr_norm_format_m2(a.num, a.den, again, sizeof again) == LR_OK);
    FUZZ_CHECK(strcmp(again, a.m2) == 0);
    char buf[64];
    snprintf(buf, sizeof buf, "%s㎡", a.m2);
    lr_norm_area back;
    FUZZ_CHECK(lr_norm_parse_area(t, buf, strlen(buf), NULL, &back, NULL) == LR_OK);
    FUZZ_CHECK(back.note.status != LR_NORM_UNPARSEABLE && strcmp(back.m2, a.m2) == 0);
    return 0;
}
