/* fielddecode.h — a field's reading decoded against its grammar (decode.h): which fields have
 * one (events, categories, grades, dates, areas), the grammar a field's context picks (the
 * column's side, the form's script, the row's date, an area's unit system), and the decoded
 * value merged into the normaliser's verdict (fieldnorm.h). Internal to src/extract/.
 */
#ifndef LANDREC_EXTRACT_FIELDDECODE_H
#define LANDREC_EXTRACT_FIELDDECODE_H

#include "fieldnorm.h"
#include "landrec/decode.h"

/* Whether fields of kind are decoded. */
bool lr_fielddecode_has_grammar(lr_field_kind kind);

/* The grammar of a field in ctx. */
lr_decode_ctx lr_fielddecode_ctx(const lr_fieldnorm_ctx *ctx);

/* Decodes lat (NULL: raw's glyphs, without alternatives) as ctx's field with dt, and merges the
 * result into *out, raw's normalisation by lr_fieldnorm_run with nt: an area's decoded value
 * ("573坪2合") and alternatives are read to m² by that normaliser. A value the normaliser stands
 * behind (score 100, no flag) that the decoder reads too stays; otherwise the decoded value
 * replaces it, scored by the decoder's margin, with its alternatives — but an area the normaliser
 * read to another value keeps it unless the decoder's margin is a whole glyph the lattice does not
 * list (a look-alike the normaliser repaired beats a tie of digits). A reading the grammar refuses
 * keeps the normaliser's value (forms outside the grammars: dotted dates, codes), flagged for a
 * grade, which has no form outside its grammar. *out_r (may be NULL): the decoding. */
void lr_fielddecode_merge(const lr_decode_tables *dt, const lr_norm_tables *nt,
                          const lr_fieldnorm_ctx *ctx, const lr_lattice *lat, const char *raw,
                          lr_fieldnorm *out, lr_decode_result *out_r);

#endif
