/* fuzz_date.c — lr_norm_parse_date: no crash; an ISO date given is well formed, agrees with
 * the year, month and day, and reads back the same. The first byte picks a default era. */
#include "fuzz_common.h"

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const eras[] = {NULL, "showa", "大正", "檀紀"};
    const lr_norm_tables *t = fuzz_tables();
    const char *def = size ? eras[data[0] % 4] : NULL;
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    lr_norm_date d;
    FUZZ_CHECK(lr_norm_parse_date(t, text, len, def, &d, NULL) == LR_OK);
    fuzz_check_note(&d.note);
    fuzz_check_matches(d.era_alt, d.nera_alt);
    FUZZ_CHECK(fuzz_valid_text(d.iso, sizeof d.iso));
    FUZZ_CHECK(fuzz_valid_text(d.era, sizeof d.era));
    size_t n = strlen(d.iso);
    switch (d.precision) {
    case LR_DATE_NONE:
        FUZZ_CHECK(n == 0);
        break;
    case LR_DATE_YEAR:
        FUZZ_CHECK(n == 4 && digits(d.iso, 4) && atoi(d.iso) == d.year);
        break;
    case LR_DATE_MONTH:
        FUZZ_CHECK(n == 7 && digits(d.iso, 4) && d.iso[4] == '-' && digits(d.iso + 5, 2));
        FUZZ_CHECK(atoi(d.iso) == d.year && atoi(d.iso + 5) == d.month);
        FUZZ_CHECK(d.month >= 1 && d.month <= 12);
        break;
    case LR_DATE_DAY:
        FUZZ_CHECK(n == 10 && digits(d.iso, 4) && d.iso[4] == '-' && digits(d.iso + 5, 2) &&
                   d.iso[7] == '-' && digits(d.iso + 8, 2));
        FUZZ_CHECK(atoi(d.iso) == d.year && atoi(d.iso + 5) == d.month && atoi(d.iso + 8) == d.day);
        FUZZ_CHECK(d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31);
        break;
    }
    if (d.precision != LR_DATE_NONE)
        FUZZ_CHECK(d.note.status != LR_NORM_UNPARSEABLE && d.year >= 1 && d.year <= 9999);
    if (d.precision == LR_DATE_DAY && d.year >= 1896 && d.year <= 3999) {
        lr_norm_date back;
        FUZZ_CHECK(lr_norm_parse_date(t, d.iso, n, NULL, &back, NULL) == LR_OK);
        FUZZ_CHECK(back.note.status == LR_NORM_OK && strcmp(back.iso, d.iso) == 0);
    }
    return 0;
}
