/* fielddecode.h — a field's reading decoded against its grammar (decode.h): which fields have
 * one (events, categories, grades, dates), the grammar a field's context picks (the column's
 * side, the form's script, the row's date), and the decoded value merged into the
 * normaliser's verdict (fieldnorm.h). Internal to src/extract/.
 */
#ifndef LANDREC_EXTRACT_FIELDDECODE_H
#define LANDREC_EXTRACT_FIELDDECODE_H

#include "fieldnorm.h"
#include "landrec/decode.h"

/* Whether fields of kind are decoded. */
bool lr_fielddecode_has_grammar(lr_field_kind kind);

/* The grammar of a field in ctx. */
lr_decode_ctx lr_fielddecode_ctx(const lr_fieldnorm_ctx *ctx);

/* Decodes lat (NULL: raw's glyphs, without alternatives) as ctx's field with dt, and merges
 * the result into *out, raw's normalisation by lr_fieldnorm_run: a value the normaliser
 * stands behind (score 100, no flag) that the decoder reads too stays; otherwise the decoded
 * value replaces it, scored by the decoder's margin, with its alternatives. A reading the
 * grammar refuses keeps the normaliser's value (forms outside the grammars: dotted dates,
 * codes), flagged for a grade, which has no form outside its grammar. *out_r (may be NULL):
 * the decoding. */
void lr_fielddecode_merge(const lr_decode_tables *dt, const lr_fieldnorm_ctx *ctx,
                          const lr_lattice *lat, const char *raw, lr_fieldnorm *out,
                          lr_decode_result *out_r);

#endif
