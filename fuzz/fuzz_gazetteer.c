/* fuzz_gazetteer.c — lr_gazetteer_decode: no crash; every text it returns is valid UTF-8
 * within its buffer; a match has units, its value begins with its place, its candidates
 * start with the value and its code is 10 digits or empty; decoding the value again finds
 * the same place read right. */
#include "fuzz_common.h"
#include "landrec/gazetteer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const lr_gazetteer *g = lr_norm_tables_gazetteer(fuzz_tables());
    lr_gaz_match m;
    FUZZ_CHECK(lr_gazetteer_decode(g, (const char *)data, size, &m, NULL) == LR_OK);
    FUZZ_CHECK(fuzz_valid_text(m.place, sizeof m.place));
    FUZZ_CHECK(fuzz_valid_text(m.value, sizeof m.value));
    for (int i = 0; i < m.ncand; i++)
        FUZZ_CHECK(fuzz_valid_text(m.cand[i], sizeof m.cand[i]));
    FUZZ_CHECK(m.ncand >= 0 && m.ncand <= LR_GAZ_CAND_MAX);
    FUZZ_CHECK(strlen(m.legal_dong) == 0 || strlen(m.legal_dong) == 10);
    if (!m.matched) {
        FUZZ_CHECK(m.value[0] == '\0' && m.ncand == 0);
        return 0;
    }
    FUZZ_CHECK(m.units > 0 && m.cost >= 0 && m.margin >= 0);
    FUZZ_CHECK(strncmp(m.value, m.place, strlen(m.place)) == 0);
    FUZZ_CHECK(m.ncand > 0 && strcmp(m.cand[0], m.value) == 0);
    lr_gaz_match again;
    FUZZ_CHECK(lr_gazetteer_decode(g, m.place, strlen(m.place), &again, NULL) == LR_OK);
    FUZZ_CHECK(again.matched && again.edits == 0);
    return 0;
}
