/* fuzz_event.c — lr_norm_match_event: no crash; the token is one of the vocabulary and names
 * the kind. The first byte picks the side. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const lr_norm_tables *t = fuzz_tables();
    lr_norm_side side = size ? (lr_norm_side)(data[0] % 3) : LR_SIDE_ANY;
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    lr_norm_event e;
    FUZZ_CHECK(lr_norm_match_event(t, text, len, side, &e, NULL) == LR_OK);
    fuzz_check_note(&e.note);
    fuzz_check_matches(e.alt, e.nalt);
    FUZZ_CHECK(e.token != NULL);
    lr_norm_event_kind k;
    FUZZ_CHECK(lr_norm_event_kind_of(e.token, &k) == LR_OK && k == e.kind);
    FUZZ_CHECK(e.code >= -1 && e.code <= 99);
    FUZZ_CHECK(e.note.status != LR_NORM_OK || e.kind != LR_EVENT_OTHER || e.form[0]);
    return 0;
}
