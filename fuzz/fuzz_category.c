/* fuzz_category.c — lr_norm_match_category: no crash; a code given is two digits with a
 * modern name. The first byte picks the entry's date. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const dates[] = {NULL, "1930", "1955-06-01", "1990-01"};
    const lr_norm_tables *t = fuzz_tables();
    const char *date = size ? dates[data[0] % 4] : NULL;
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    lr_norm_category c;
    FUZZ_CHECK(lr_norm_match_category(t, text, len, date, &c, NULL) == LR_OK);
    fuzz_check_note(&c.note);
    fuzz_check_matches(c.alt, c.nalt);
    if (c.code[0]) {
        FUZZ_CHECK(c.note.status != LR_NORM_UNPARSEABLE);
        FUZZ_CHECK(strlen(c.code) == 2 && c.code[0] >= '0' && c.code[0] <= '9' &&
                   c.code[1] >= '0' && c.code[1] <= '9');
        FUZZ_CHECK(c.modern[0] && fuzz_valid_text(c.written, sizeof c.written));
    } else {
        FUZZ_CHECK(c.note.status != LR_NORM_OK);
    }
    return 0;
}
