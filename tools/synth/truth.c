/* truth.c — the truth JSON of a synthetic page, format "landrec-synth/1" (the contract is in
 * docs/synthetic.md; the evaluation command and the field extractor read it). */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/utf8.h"
#include "synth.h"

const char *lr_synth_colour_name(lr_synth_colour c)
{
    switch (c) {
    case LR_SYNTH_BITONAL: return "bitonal";
    case LR_SYNTH_GREY: return "grey";
    default: return "rgb";
    }
}

/* Classes of the characters of a line: Hangul, Han (with 〇 〃 々), ASCII digits; the rest
 * (spaces, punctuation, kana, ㎡, Latin) does not decide. */
const char *lr_synth_script(const char *utf8)
{
    bool hangul = false, hanja = false, digits = false;
    for (const char *s = utf8 ? utf8 : ""; *s;) {
        uint32_t c = 0xfffd;
        size_t n = lr_utf8_next(s, SIZE_MAX, &c);
        s += n ? n : 1;
        if ((c >= 0xac00 && c <= 0xd7a3) || (c >= 0x1100 && c <= 0x11ff) ||
            (c >= 0x3130 && c <= 0x318f))
            hangul = true;
        else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
                 (c >= 0xf900 && c <= 0xfaff) || c == 0x3007 || c == 0x3003 || c == 0x3005)
            hanja = true;
        else if (c >= '0' && c <= '9')
            digits = true;
    }
    int k = hangul + hanja + digits;
    if (k != 1)
        return "mixed";
    return hangul ? "hangul" : hanja ? "hanja" : "digits";
}

static json_t *box_json(const int b[4])
{
    return json_pack("[iiii]", b[0], b[1], b[2], b[3]);
}

static json_t *field_json(const lr_synth_field *f)
{
    if (!f->present)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "raw", json_string(f->raw));
    json_object_set_new(o, "value", f->has_value ? json_string(f->value) : json_null());
    json_object_set_new(o, "box", box_json(f->box));
    json_object_set_new(o, "label", f->label[0] ? json_string(f->label) : json_null());
    return o;
}

static void add_marks(json_t *marks, const lr_synth_field *f, const char *path)
{
    if (!f->present)
        return;
    static const struct {
        unsigned flag;
        const char *kind;
    } kinds[] = {{LR_SYNTH_RED, "red_ink"}, {LR_SYNTH_DITTO, "ditto"}, {LR_SYNTH_STRUCK, "struck"}};
    for (int i = 0; i < 3; i++)
        if (f->flags & kinds[i].flag)
            json_array_append_new(marks, json_pack("{s:s, s:s, s:o}", "kind", kinds[i].kind,
                                                   "field", path, "box", box_json(f->box)));
}

int lr_synth_truth_write(const char *path, const lr_synth_page *page, const char *generator,
                         uint64_t seed, const char *image, int page_no, int pages,
                         lr_error *err)
{
    if (!path || !page || !generator || !image)
        return lr_error_set(err, LR_ERR_ARG, "nothing to write");
    int rc = LR_OK;
    const lr_synth_sheet *s = &page->sheet;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    char *text = NULL;
    json_t *root = json_object();
    if (!root)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    json_object_set_new(root, "format", json_string("landrec-synth/1"));
    json_object_set_new(root, "generator", json_string(generator));
    json_object_set_new(root, "seed", json_integer((json_int_t)seed));
    json_object_set_new(root, "image", json_string(image));
    json_object_set_new(root, "page", json_integer(page_no));
    json_object_set_new(root, "pages", json_integer(pages));
    json_object_set_new(root, "doc_type", json_string(lr_synth_doc_truth_name(s->doc)));
    json_object_set_new(root, "width", json_integer(page->width));
    json_object_set_new(root, "height", json_integer(page->height));
    json_object_set_new(root, "dpi", json_integer(page->dpi));
    json_object_set_new(root, "colour", json_string(lr_synth_colour_name(page->colour)));
    json_object_set_new(root, "orientation", json_integer(page->orientation));
    json_object_set_new(root, "skew", json_real(page->skew));
    if (page->hand_recorded)
        json_object_set_new(root, "hand", json_string(page->hand == LR_SYNTH_HAND_PRINTED
                                                          ? "printed"
                                                          : "handwritten"));
    const lr_synth_degradations *d = &page->deg;
    json_t *deg = json_object();
    json_object_set_new(deg, "yellow", json_real(d->yellow));
    json_object_set_new(deg, "uneven_light", json_real(d->uneven_light));
    json_object_set_new(deg, "stains", json_integer(d->stains));
    json_object_set_new(deg, "bleed", json_real(d->bleed));
    json_object_set_new(deg, "blur", json_real(d->blur));
    json_object_set_new(deg, "noise", json_real(d->noise));
    json_object_set_new(deg, "jpeg_quality",
                        d->jpeg_quality > 0 ? json_integer(d->jpeg_quality) : json_null());
    json_object_set_new(deg, "contrast", json_real(d->contrast));
    json_object_set_new(root, "degradations", deg);

    /* Full text: the lines joined, in reading order. */
    size_t len = 1;
    for (int i = 0; i < page->n_lines; i++)
        len += strlen(page->lines[i].text) + 1;
    if (!(text = malloc(len))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    text[0] = '\0';
    size_t used = 0;
    json_t *lines = json_array();
    for (int i = 0; i < page->n_lines; i++) {
        const lr_synth_line_rec *ln = &page->lines[i];
        size_t n = strlen(ln->text);
        if (i)
            text[used++] = '\n';
        memcpy(text + used, ln->text, n + 1);
        used += n;
        json_array_append_new(lines, json_pack("{s:s, s:o, s:s}", "text", ln->text, "box",
                                               box_json(ln->box), "script",
                                               lr_synth_script(ln->text)));
    }
    json_object_set_new(root, "text", json_string(text));
    json_object_set_new(root, "lines", lines);

    json_t *fields = json_object();
    json_t *marks = json_array();
    json_object_set_new(fields, "location", field_json(&s->location));
    json_object_set_new(fields, "lot", field_json(&s->lot));
    json_object_set_new(fields, "category", field_json(&s->category));
    json_object_set_new(fields, "area", field_json(&s->area));
    json_object_set_new(fields, "grade", field_json(&s->grade));
    add_marks(marks, &s->location, "location");
    add_marks(marks, &s->lot, "lot");
    add_marks(marks, &s->category, "category");
    add_marks(marks, &s->area, "area");
    add_marks(marks, &s->grade, "grade");
    json_t *land = json_array();
    for (int i = 0; i < s->n_land; i++) {
        const lr_synth_land_row *r = &s->land[i];
        json_array_append_new(land, json_pack("{s:o, s:o, s:o, s:o, s:o}", "date",
                                              field_json(&r->date), "event",
                                              field_json(&r->event), "category",
                                              field_json(&r->category), "area",
                                              field_json(&r->area), "grade",
                                              field_json(&r->grade)));
        const struct {
            const lr_synth_field *f;
            const char *name;
        } fs[5] = {{&r->date, "date"},
                   {&r->event, "event"},
                   {&r->category, "category"},
                   {&r->area, "area"},
                   {&r->grade, "grade"}};
        for (int k = 0; k < 5; k++) {
            char p[64];
            snprintf(p, sizeof p, "land_history[%d].%s", i, fs[k].name);
            add_marks(marks, fs[k].f, p);
        }
    }
    json_object_set_new(fields, "land_history", land);
    json_t *owners = json_array();
    for (int i = 0; i < s->n_owner; i++) {
        const lr_synth_owner_row *r = &s->owner[i];
        json_array_append_new(owners, json_pack("{s:o, s:o, s:o, s:o}", "date",
                                                field_json(&r->date), "event",
                                                field_json(&r->event), "address",
                                                field_json(&r->address), "name",
                                                field_json(&r->name)));
        const struct {
            const lr_synth_field *f;
            const char *name;
        } fs[4] = {{&r->date, "date"}, {&r->event, "event"}, {&r->address, "address"},
                   {&r->name, "name"}};
        for (int k = 0; k < 4; k++) {
            char p[64];
            snprintf(p, sizeof p, "owner_history[%d].%s", i, fs[k].name);
            add_marks(marks, fs[k].f, p);
        }
    }
    json_object_set_new(fields, "owner_history", owners);
    json_object_set_new(root, "fields", fields);
    json_object_set_new(root, "marks", marks);
    if (s->doc == LR_SYNTH_MAP) {
        /* Extension for map fragments: every labelled parcel. */
        json_t *parcels = json_array();
        for (int i = 0; i < s->n_parcels; i++)
            json_array_append_new(parcels, json_pack("{s:o, s:o}", "lot",
                                                     field_json(&s->parcels[i].lot), "category",
                                                     field_json(&s->parcels[i].category)));
        json_object_set_new(root, "parcels", parcels);
    }
    if (json_dump_file(root, tmp, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) != 0) {
        rc = lr_error_set(err, LR_ERR_IO, "could not write %s", tmp);
        goto done;
    }
    if (rename(tmp, path) != 0)
        rc = lr_error_set(err, LR_ERR_IO, "could not rename %s to %s: %s", tmp, path,
                          strerror(errno));
done:
    if (rc < 0)
        remove(tmp);
    free(text);
    json_decref(root);
    return rc;
}
