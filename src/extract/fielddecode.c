/* fielddecode.c — a field's reading decoded against its grammar (fielddecode.h). */
#include "fielddecode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool lr_fielddecode_has_grammar(lr_field_kind kind)
{
    return kind == LR_FIELD_EVENT || kind == LR_FIELD_CATEGORY || kind == LR_FIELD_GRADE ||
           kind == LR_FIELD_DATE;
}

lr_decode_ctx lr_fielddecode_ctx(const lr_fieldnorm_ctx *ctx)
{
    lr_decode_ctx d = {.grammar = LR_GRAMMAR_EVENT};
    switch (ctx->kind) {
    case LR_FIELD_CATEGORY: d.grammar = LR_GRAMMAR_CATEGORY; break;
    case LR_FIELD_GRADE: d.grammar = LR_GRAMMAR_GRADE; break;
    case LR_FIELD_DATE: d.grammar = LR_GRAMMAR_DATE; break;
    default: break;
    }
    /* a form titled in Hanja has its entries written in Hanja (fieldnorm.h, "script") */
    d.script = ctx->hanja_form ? LR_SCRIPT_HANJA : LR_SCRIPT_ANY;
    d.side = ctx->section == LR_SECTION_LAND    ? LR_DECODE_SIDE_LAND
             : ctx->section == LR_SECTION_OWNER ? LR_DECODE_SIDE_OWNER
                                                : LR_DECODE_SIDE_ANY;
    d.date = ctx->kind == LR_FIELD_CATEGORY ? ctx->date : NULL;
    return d;
}

/* An alternative's score: 100 for the best, falling by e per two cost units behind it. */
static float alt_score(float cost, float best)
{
    return 100.0f * expf(-(cost - best) / 2.0f);
}

void lr_fielddecode_merge(const lr_decode_tables *dt, const lr_fieldnorm_ctx *ctx,
                          const lr_lattice *lat, const char *raw, lr_fieldnorm *out,
                          lr_decode_result *out_r)
{
    lr_decode_result r;
    memset(&r, 0, sizeof r);
    if (out_r)
        *out_r = r;
    /* a ditto mark's value is the row above's */
    if (!dt || !ctx || !lr_fielddecode_has_grammar(ctx->kind) || !raw || !raw[0] ||
        lr_fieldnorm_is_ditto_in(ctx, raw))
        return;
    lr_lattice own = {0};
    if (!lat) {
        if (lr_lattice_from_text(raw, &own, NULL) != LR_OK)
            return;
        lat = &own;
    }
    lr_decode_ctx d = lr_fielddecode_ctx(ctx);
    int rc = lr_decode(dt, &d, lat, &r, NULL);
    lr_lattice_clear(&own);
    if (rc != LR_OK)
        return;
    if (out_r)
        *out_r = r;
    bool trusted = out->value[0] && out->score >= 100.0f && !out->flag[0];
    if (!r.found) {
        if (out->value[0] && ctx->kind == LR_FIELD_GRADE && !out->flag[0]) {
            snprintf(out->flag, sizeof out->flag, "normalize");
            snprintf(out->note, sizeof out->note, "no grade is written so");
        }
        return;
    }
    if ((trusted || r.exact) && strcmp(out->value, r.value) == 0)
        return;
    /* a grade the normaliser read in a notation no grade is written in (二二九) is not
     * trusted; any other reading it stands behind stays when the decoder had to edit it */
    if (trusted && !(ctx->kind == LR_FIELD_GRADE && !r.exact))
        return;
    snprintf(out->value, sizeof out->value, "%s", r.value);
    out->score = r.exact ? 100.0f : r.conf;
    out->flag[0] = '\0';
    out->year = ctx->kind == LR_FIELD_DATE ? atoi(r.value) : 0;
    snprintf(out->note, sizeof out->note, "decoded as %s (cost %.1f, next %.1f)", r.text,
             (double)r.cost, isfinite(r.runner_up) ? (double)r.runner_up : -1.0);
    out->nalt = 0;
    for (int i = 0; i < r.nalt && i < LR_EXTRACT_MAX_ALT; i++) {
        snprintf(out->alt[i].value, sizeof out->alt[i].value, "%s", r.alt[i].value);
        out->alt[i].score = alt_score(r.alt[i].cost, r.cost);
        out->nalt++;
    }
}
