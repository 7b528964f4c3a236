/* fielddecode.c — a field's reading decoded against its grammar (fielddecode.h). */
#include "fielddecode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool lr_fielddecode_has_grammar(lr_field_kind kind)
{
    return kind == LR_FIELD_EVENT || kind == LR_FIELD_CATEGORY || kind == LR_FIELD_GRADE ||
           kind == LR_FIELD_DATE || kind == LR_FIELD_AREA;
}

lr_decode_ctx lr_fielddecode_ctx(const lr_fieldnorm_ctx *ctx)
{
    lr_decode_ctx d = {.grammar = LR_GRAMMAR_EVENT};
    switch (ctx->kind) {
    case LR_FIELD_CATEGORY: d.grammar = LR_GRAMMAR_CATEGORY; break;
    case LR_FIELD_GRADE: d.grammar = LR_GRAMMAR_GRADE; break;
    case LR_FIELD_DATE: d.grammar = LR_GRAMMAR_DATE; break;
    case LR_FIELD_AREA: {
        /* the system of the unit a bare number is read in: one rule for both */
        const char *unit = lr_fieldnorm_area_unit(ctx);
        d.grammar = LR_GRAMMAR_AREA;
        d.area = strcmp(unit, "㎡") == 0   ? LR_AREA_METRIC
                 : strcmp(unit, "步") == 0 ? LR_AREA_CHO
                                           : LR_AREA_TSUBO;
        break;
    }
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

/* The margin (lattice cost) by which a decoded area must beat the next value to replace the
 * normaliser's: the cost of a glyph the lattice does not list (decode_internal.h, DEC_MISS). */
#define AREA_OVERRIDE_MARGIN 3.0f

/* An alternative's score: 100 for the best, falling by e per two cost units behind it. */
static float alt_score(float cost, float best)
{
    return 100.0f * expf(-(cost - best) / 2.0f);
}

/* An area's decoded value ("573坪2合") in m² as the normaliser reads it into buf; false when
 * it does not (no tables). */
static bool area_m2(const lr_norm_tables *nt, const lr_fieldnorm_ctx *ctx, const char *value,
                    char *buf, size_t size)
{
    if (!nt)
        return false;
    lr_fieldnorm n;
    memset(&n, 0, sizeof n);
    lr_fieldnorm_run(nt, ctx, value, &n);
    size_t len = strlen(n.value);
    if (len == 0 || len >= size)
        return false;
    memcpy(buf, n.value, len + 1);
    return true;
}

void lr_fielddecode_merge(const lr_decode_tables *dt, const lr_norm_tables *nt,
                          const lr_fieldnorm_ctx *ctx, const lr_lattice *lat, const char *raw,
                          lr_fieldnorm *out, lr_decode_result *out_r)
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
    /* an area's value is its m², as the normaliser gives it */
    bool area = ctx->kind == LR_FIELD_AREA;
    char value[sizeof out->value];
    if (area ? !area_m2(nt, ctx, r.value, value, sizeof value)
             : snprintf(value, sizeof value, "%s", r.value) < 0)
        return;
    if ((trusted || r.exact) && strcmp(out->value, value) == 0)
        return;
    /* An area the normaliser read otherwise (a look-alike repaired, a unit told by its place:
     * 三鹼四步 as 三畝四步) stays unless the decoder is surer by a whole misread glyph: a glyph
     * the lattice lists no alternative for may be any digit at one cost, and the decoder's
     * pick among them is no reading. */
    if (area && out->value[0] && strcmp(out->value, value) != 0 &&
        !(r.runner_up - r.cost >= AREA_OVERRIDE_MARGIN))
        return;
    /* a grade the normaliser read in a notation no grade is written in (二二九) is not
     * trusted; any other reading it stands behind stays when the decoder had to edit it */
    if (trusted && !(ctx->kind == LR_FIELD_GRADE && !r.exact))
        return;
    if (area && strcmp(out->value, value) != 0)
        out->unit_assumed = false; /* a unit the decoder read, or put where it was dropped */
    snprintf(out->value, sizeof out->value, "%s", value);
    out->score = r.exact ? 100.0f : r.conf;
    out->flag[0] = '\0';
    /* An area the decoder had to edit is a suggestion, shown with its alternatives: no review
     * threshold has been calibrated for areas (too few on the tuning sheets), and a confident
     * edit was wrong on sheets of the second renderer. */
    if (area && !r.exact)
        snprintf(out->flag, sizeof out->flag, "normalize");
    out->year = ctx->kind == LR_FIELD_DATE ? atoi(r.value) : 0;
    snprintf(out->note, sizeof out->note, "decoded as %s (cost %.1f, next %.1f)", r.text,
             (double)r.cost, isfinite(r.runner_up) ? (double)r.runner_up : -1.0);
    out->nalt = 0;
    for (int i = 0; i < r.nalt && out->nalt < LR_EXTRACT_MAX_ALT; i++) {
        lr_alternative *a = &out->alt[out->nalt];
        if (area ? !area_m2(nt, ctx, r.alt[i].value, a->value, sizeof a->value)
                 : snprintf(a->value, sizeof a->value, "%s", r.alt[i].value) < 0)
            continue;
        a->score = alt_score(r.alt[i].cost, r.cost);
        out->nalt++;
    }
}
