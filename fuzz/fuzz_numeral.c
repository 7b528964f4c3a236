/* fuzz_numeral.c — lr_norm_parse_numeral (with and without look-alike repair) and
 * lr_norm_clean_text: no crash, and a value read prints and reads back the same. */
#include "fuzz_common.h"

#include <inttypes.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    for (int pass = 0; pass < 2; pass++) {
        lr_norm_number r;
        FUZZ_CHECK(lr_norm_parse_numeral(pass ? fuzz_tables() : NULL, text, size, &r, NULL) ==
                   LR_OK);
        fuzz_check_note(&r.note);
        if (r.note.status == LR_NORM_UNPARSEABLE) {
            FUZZ_CHECK(r.value == 0 && r.style == LR_NUMERAL_NONE);
            continue;
        }
        FUZZ_CHECK(r.value >= 0 && r.value <= LR_NORM_NUMERAL_MAX);
        FUZZ_CHECK(r.style != LR_NUMERAL_NONE);
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, r.value);
        lr_norm_number back;
        FUZZ_CHECK(lr_norm_parse_numeral(NULL, buf, strlen(buf), &back, NULL) == LR_OK);
        FUZZ_CHECK(back.note.status == LR_NORM_OK && back.value == r.value &&
                   back.style == LR_NUMERAL_ARABIC);
    }
    char *clean = NULL;
    int rc = lr_norm_clean_text(text, size, &clean, NULL);
    FUZZ_CHECK(rc == LR_OK || size > 1000000);
    if (clean) {
        size_t n = strlen(clean);
        FUZZ_CHECK(fuzz_valid_text(clean, n + 1));
        FUZZ_CHECK(n == 0 || (clean[0] != ' ' && clean[n - 1] != ' '));
        FUZZ_CHECK(!strstr(clean, "  "));
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((unsigned char)clean[i] >= 0x20 && clean[i] != 0x7F);
        free(clean);
    }
    return 0;
}
