/* fuzz_place.c — lr_norm_place_fix: no crash; the value is valid UTF-8 within its buffer; a
 * repaired unit is one of the table's names and the value begins with it; nothing repaired
 * means the value is the text as folded (the same as with no table rows matching). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const lr_norm_tables *t = fuzz_tables();
    lr_norm_place p;
    FUZZ_CHECK(lr_norm_place_fix(t, (const char *)data, size, &p, NULL) == LR_OK);
    FUZZ_CHECK(fuzz_valid_text(p.value, sizeof p.value));
    FUZZ_CHECK(fuzz_valid_text(p.place, sizeof p.place));
    FUZZ_CHECK(p.edits >= 0 && p.edits < 32);
    if (p.place[0]) {
        FUZZ_CHECK(strncmp(p.value, p.place, strlen(p.place)) == 0);
    } else {
        FUZZ_CHECK(p.edits == 0);
    }
    /* Repairing is idempotent: the repaired text begins with the unit read right. */
    if (p.value[0]) {
        lr_norm_place again;
        FUZZ_CHECK(lr_norm_place_fix(t, p.value, strlen(p.value), &again, NULL) == LR_OK);
        FUZZ_CHECK(again.edits == 0);
    }
    return 0;
}
