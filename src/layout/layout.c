/* layout.c — ruled table, cells, labels, fields, document type, form templates (layout.h). */
#include "landrec/layout.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/digest.h"
#include "landrec/log.h"
#include "landrec/text.h"

/* ---- names ---------------------------------------------------------------------------- */

static const char *const doc_names[] = {"unknown",         "land_ledger",         "forest_ledger",
                                        "movement_resolution", "cadastral_map", "forest_map",
                                        "survey_map"};

const char *lr_doc_type_name(lr_doc_type t)
{
    if (t == LR_DOC_AUTO)
        return "auto";
    if (t < 0 || (size_t)t >= sizeof doc_names / sizeof *doc_names)
        return "unknown";
    return doc_names[t];
}

int lr_doc_type_parse(const char *name, lr_doc_type *out_type)
{
    *out_type = LR_DOC_UNKNOWN;
    if (!name)
        return LR_ERR_ARG;
    if (strcmp(name, "auto") == 0) {
        *out_type = LR_DOC_AUTO;
        return LR_OK;
    }
    for (size_t i = 0; i < sizeof doc_names / sizeof *doc_names; i++)
        if (strcmp(name, doc_names[i]) == 0) {
            *out_type = (lr_doc_type)i;
            return LR_OK;
        }
    return LR_ERR_ARG;
}

bool lr_doc_type_is_ledger(lr_doc_type t)
{
    return t == LR_DOC_LAND_LEDGER || t == LR_DOC_FOREST_LEDGER;
}

bool lr_doc_type_has_records(lr_doc_type t)
{
    return lr_doc_type_is_ledger(t) || t == LR_DOC_MOVEMENT_RESOLUTION;
}

static const char *const field_names[] = {"",      "location", "lot",   "category", "area",
                                          "grade", "date",     "event", "address",  "name"};

const char *lr_field_kind_name(lr_field_kind k)
{
    return (k >= 0 && k < LR_FIELD_COUNT) ? field_names[k] : "";
}

int lr_field_kind_parse(const char *name, lr_field_kind *out_kind)
{
    *out_kind = LR_FIELD_NONE;
    for (int i = 1; name && i < LR_FIELD_COUNT; i++)
        if (strcmp(name, field_names[i]) == 0) {
            *out_kind = (lr_field_kind)i;
            return LR_OK;
        }
    return LR_ERR_ARG;
}

const char *lr_section_name(lr_section s)
{
    return s == LR_SECTION_LAND ? "land" : s == LR_SECTION_OWNER ? "owner" : "sheet";
}

/* ---- form templates ------------------------------------------------------------------- */

void lr_form_clear(lr_form *f)
{
    if (!f)
        return;
    free(f->match);
    free(f->labels);
    memset(f, 0, sizeof *f);
}

void lr_forms_destroy(lr_forms **pforms)
{
    if (!pforms || !*pforms)
        return;
    for (size_t i = 0; i < (*pforms)->nforms; i++)
        lr_form_clear(&(*pforms)->forms[i]);
    free((*pforms)->forms);
    free(*pforms);
    *pforms = NULL;
}

/* "land.date" → section and field; a bare field name means any section. */
static int parse_field_ref(const char *s, lr_field_kind *f, lr_section *sec)
{
    *sec = LR_SECTION_SHEET;
    const char *dot = strchr(s, '.');
    if (dot) {
        if (strncmp(s, "land.", 5) == 0)
            *sec = LR_SECTION_LAND;
        else if (strncmp(s, "owner.", 6) == 0)
            *sec = LR_SECTION_OWNER;
        else if (strncmp(s, "sheet.", 6) != 0)
            return LR_ERR_ARG;
        s = dot + 1;
    }
    return lr_field_kind_parse(s, f);
}

static int form_fail(lr_error *err, const char *name, int line, const char *what)
{
    lr_error_set(err, LR_ERR_FORMAT, "bad form template \"%s\", line %d", name, line);
    lr_error_detail(err, "%s", what);
    lr_error_hint(err, "See docs/forms.md for the format.");
    return LR_ERR_FORMAT;
}

/* Hanja code points minus Hangul syllables in s: which script it leans to. */
static int script_lean(const char *s)
{
    int hanja, hangul;
    lr_text_scripts(s, &hanja, &hangul);
    return hanja - hangul;
}

int lr_form_parse(const char *text, const char *name, lr_form *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!text || !name)
        return lr_error_set(err, LR_ERR_ARG, "no form text");
    int rc = LR_OK;
    char *copy = strdup(text);
    if (!copy)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    snprintf(out->name, sizeof out->name, "%s", name);
    out->doc_type = LR_DOC_LAND_LEDGER;
    int lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *tok[32];
        int nt = 0;
        char *s2 = NULL;
        for (char *t = strtok_r(line, " \t\r", &s2); t && nt < 32; t = strtok_r(NULL, " \t\r", &s2))
            tok[nt++] = t;
        if (nt == 0)
            continue;
        const char *kw = tok[0];
        if (strcmp(kw, "name") == 0 && nt == 2) {
            snprintf(out->name, sizeof out->name, "%s", tok[1]);
        } else if (strcmp(kw, "doc_type") == 0 && nt == 2) {
            if (lr_doc_type_parse(tok[1], &out->doc_type) < 0 || out->doc_type == LR_DOC_AUTO) {
                rc = form_fail(err, name, lineno, "unknown doc_type");
                goto done;
            }
        } else if (strcmp(kw, "priority") == 0 && nt == 2) {
            out->priority = atoi(tok[1]);
        } else if (strcmp(kw, "match") == 0 && nt >= 2) {
            for (int i = 1; i < nt; i++) {
                char(*m)[64] = realloc(out->match, (out->nmatch + 1) * sizeof *m);
                if (!m) {
                    rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
                    goto done;
                }
                out->match = m;
                snprintf(m[out->nmatch++], 64, "%s", tok[i]);
            }
        } else if (strcmp(kw, "label") == 0 && nt >= 3) {
            lr_field_kind f;
            lr_section sec;
            if (parse_field_ref(tok[1], &f, &sec) < 0) {
                rc = form_fail(err, name, lineno, "unknown field (location, lot, category, area, "
                                                  "grade, date, event, address, name)");
                goto done;
            }
            for (int i = 2; i < nt; i++) {
                struct lr_form_label *l = realloc(out->labels, (out->nlabels + 1) * sizeof *l);
                if (!l) {
                    rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
                    goto done;
                }
                out->labels = l;
                l[out->nlabels].field = f;
                l[out->nlabels].section = sec;
                snprintf(l[out->nlabels].text, sizeof l->text, "%s", tok[i]);
                out->nlabels++;
            }
        } else if (strcmp(kw, "ocr") == 0 && nt >= 2) {
            lr_field_kind f;
            lr_section sec;
            if (parse_field_ref(tok[1], &f, &sec) < 0) {
                rc = form_fail(err, name, lineno, "unknown field");
                goto done;
            }
            lr_field_ocr *o = &out->ocr[f];
            out->has_ocr[f] = true;
            for (int i = 2; i < nt; i++) {
                char *eq = strchr(tok[i], '=');
                if (strcmp(tok[i], "vertical") == 0)
                    o->vertical = true;
                else if (eq && strncmp(tok[i], "lang=", 5) == 0)
                    snprintf(o->lang, sizeof o->lang, "%s", eq + 1);
                else if (eq && strncmp(tok[i], "whitelist=", 10) == 0)
                    snprintf(o->whitelist, sizeof o->whitelist, "%s", eq + 1);
                else if (eq && strncmp(tok[i], "psm=", 4) == 0)
                    o->psm = atoi(eq + 1);
                else if (eq && strncmp(tok[i], "threshold=", 10) == 0)
                    o->threshold = (float)atof(eq + 1);
                else {
                    rc = form_fail(err, name, lineno,
                                   "ocr takes lang=, whitelist=, psm=, threshold=, vertical");
                    goto done;
                }
            }
            if (o->psm < 0 || o->psm > 13 || o->threshold < 0 || o->threshold > 100) {
                rc = form_fail(err, name, lineno, "psm must be 0-13, threshold 0-100");
                goto done;
            }
        } else {
            char what[160];
            snprintf(what, sizeof what, "unknown or incomplete line starting \"%.40s\"", kw);
            rc = form_fail(err, name, lineno, what);
            goto done;
        }
    }
done:
    free(copy);
    if (rc < 0)
        lr_form_clear(out);
    else if (out->nmatch)
        out->title_lean = script_lean(out->match[0]);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int lr_forms_load(const char *dir, lr_forms **out, lr_error *err)
{
    *out = NULL;
    int rc = LR_OK;
    lr_forms *fs = calloc(1, sizeof *fs);
    char **names = NULL;
    size_t nnames = 0;
    char *all = NULL;
    size_t alllen = 0;
    FILE *digest = NULL;
    DIR *d = NULL;
    if (!fs)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    digest = open_memstream(&all, &alllen);
    if (!digest) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    d = dir ? opendir(dir) : NULL;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t len = strlen(e->d_name);
            if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".form") != 0)
                continue;
            char **nn = realloc(names, (nnames + 1) * sizeof *nn);
            if (!nn || !(nn[nnames] = strdup(e->d_name))) {
                if (nn)
                    names = nn;
                rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
                goto done;
            }
            names = nn;
            nnames++;
        }
        if (nnames)
            qsort(names, nnames, sizeof *names, cmp_str);
    }
    if (nnames && !(fs->forms = calloc(nnames, sizeof *fs->forms))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nnames; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f) {
            rc = lr_error_set(err, LR_ERR_IO, "could not read \"%s\": %s", path, strerror(errno));
            goto done;
        }
        char text[65536];
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = '\0';
        fprintf(digest, "%s\n%zu\n", names[i], n);
        fwrite(text, 1, n, digest);
        char base[64];
        snprintf(base, sizeof base, "%.*s", (int)(strlen(names[i]) - 5), names[i]);
        if ((rc = lr_form_parse(text, base, &fs->forms[fs->nforms], err)) < 0)
            goto done;
        fs->nforms++;
    }
    fclose(digest);
    digest = NULL;
    char hex[LR_SHA256_HEX_LEN + 1];
    lr_digest_buffer(all ? all : "", alllen, hex);
    snprintf(fs->digest, sizeof fs->digest, "%.16s", hex);
    *out = fs;
    fs = NULL;
done:
    if (digest)
        fclose(digest);
    free(all);
    if (d)
        closedir(d);
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    lr_forms_destroy(&fs);
    return rc;
}

/* ---- labels --------------------------------------------------------------------------- */

typedef struct label_def {
    lr_field_kind field; /* NONE: a section title (所有者, 土地表示) */
    lr_section section;  /* SHEET: any */
    const char *text;
} label_def;

/* Printed labels of the colonial forms (Hanja) and of the later Hangul forms. */
static const label_def builtin_labels[] = {
    {LR_FIELD_LOCATION, LR_SECTION_SHEET, "所在"},   {LR_FIELD_LOCATION, LR_SECTION_SHEET, "소재"},
    {LR_FIELD_LOCATION, LR_SECTION_SHEET, "土地所在"}, {LR_FIELD_LOCATION, LR_SECTION_SHEET, "토지소재"},
    {LR_FIELD_LOCATION, LR_SECTION_SHEET, "所在地"}, {LR_FIELD_LOCATION, LR_SECTION_SHEET, "소재지"},
    {LR_FIELD_LOT, LR_SECTION_SHEET, "地番"},        {LR_FIELD_LOT, LR_SECTION_SHEET, "지번"},
    {LR_FIELD_LOT, LR_SECTION_SHEET, "番地"},
    {LR_FIELD_CATEGORY, LR_SECTION_SHEET, "地目"},   {LR_FIELD_CATEGORY, LR_SECTION_SHEET, "지목"},
    {LR_FIELD_AREA, LR_SECTION_SHEET, "地積"},       {LR_FIELD_AREA, LR_SECTION_SHEET, "지적"},
    {LR_FIELD_AREA, LR_SECTION_SHEET, "面積"},       {LR_FIELD_AREA, LR_SECTION_SHEET, "면적"},
    {LR_FIELD_GRADE, LR_SECTION_SHEET, "等級"},      {LR_FIELD_GRADE, LR_SECTION_SHEET, "등급"},
    {LR_FIELD_GRADE, LR_SECTION_SHEET, "土地等級"},  {LR_FIELD_GRADE, LR_SECTION_SHEET, "토지등급"},
    {LR_FIELD_DATE, LR_SECTION_SHEET, "年月日"},     {LR_FIELD_DATE, LR_SECTION_SHEET, "연월일"},
    {LR_FIELD_DATE, LR_SECTION_SHEET, "변동일자"},   {LR_FIELD_DATE, LR_SECTION_SHEET, "이동일자"},
    {LR_FIELD_DATE, LR_SECTION_SHEET, "일자"},
    {LR_FIELD_DATE, LR_SECTION_SHEET, "결의일자"},   {LR_FIELD_DATE, LR_SECTION_SHEET, "決議日字"},
    {LR_FIELD_DATE, LR_SECTION_SHEET, "決議年月日"},
    {LR_FIELD_EVENT, LR_SECTION_SHEET, "事故"},      {LR_FIELD_EVENT, LR_SECTION_SHEET, "사고"},
    {LR_FIELD_EVENT, LR_SECTION_SHEET, "沿革"},      {LR_FIELD_EVENT, LR_SECTION_SHEET, "연혁"},
    {LR_FIELD_EVENT, LR_SECTION_SHEET, "사유"},      {LR_FIELD_EVENT, LR_SECTION_SHEET, "事由"},
    {LR_FIELD_EVENT, LR_SECTION_SHEET, "변동원인"},  {LR_FIELD_EVENT, LR_SECTION_SHEET, "이동사유"},
    {LR_FIELD_EVENT, LR_SECTION_SHEET, "變動原因"},
    {LR_FIELD_ADDRESS, LR_SECTION_OWNER, "住所"},    {LR_FIELD_ADDRESS, LR_SECTION_OWNER, "주소"},
    {LR_FIELD_NAME, LR_SECTION_OWNER, "氏名"},       {LR_FIELD_NAME, LR_SECTION_OWNER, "성명"},
    {LR_FIELD_NAME, LR_SECTION_OWNER, "氏名又ハ名稱"}, {LR_FIELD_NAME, LR_SECTION_OWNER, "名稱"},
    {LR_FIELD_NAME, LR_SECTION_OWNER, "성명또는명칭"}, {LR_FIELD_NAME, LR_SECTION_OWNER, "氏名又は名稱"},
    {LR_FIELD_NONE, LR_SECTION_OWNER, "所有者"},     {LR_FIELD_NONE, LR_SECTION_OWNER, "소유자"},
    {LR_FIELD_NONE, LR_SECTION_LAND, "土地表示"},    {LR_FIELD_NONE, LR_SECTION_LAND, "토지표시"},
};

/* Whether a cell holding text (squeezed code points) is the label lt: the label alone (one
 * stray character allowed), so that an event like 地目變更 is not taken for the label 地目. */
static bool label_matches(const uint32_t *t, size_t nt, const char *lt)
{
    uint32_t l[64];
    size_t nl = lr_text_squeeze(lt, l, 64);
    if (nl == 0 || nt == 0)
        return false;
    if (nt <= nl + 1 && lr_text_contains(t, nt, l, nl))
        return true;
    /* Longer labels survive one misread character. */
    return nl >= 3 && nt + 1 >= nl && nt <= nl + 1 && lr_text_distance(t, nt, l, nl) <= 1;
}

/* The label a cell's text is, or -1; sets *field and *section. */
static bool find_label(const char *text, const lr_form *form, lr_field_kind *field,
                       lr_section *section)
{
    /* A unit printed after a label in brackets (面積(㎡)) is read in every way; the label is
     * what comes before it. */
    char head[256];
    snprintf(head, sizeof head, "%s", text);
    char *paren = strchr(head, '('), *wide = strstr(head, "（");
    if (!paren || (wide && wide < paren))
        paren = wide;
    if (paren && paren != head)
        *paren = '\0';
    uint32_t t[128];
    size_t nt = lr_text_squeeze(head, t, 128);
    if (nt == 0 || nt > 8)
        return false;
    for (size_t i = 0; form && i < form->nlabels; i++)
        if (label_matches(t, nt, form->labels[i].text)) {
            *field = form->labels[i].field;
            *section = form->labels[i].section;
            return true;
        }
    /* The longest built-in match wins (氏名又ハ名稱 over 名稱). */
    size_t best = 0;
    bool found = false;
    for (size_t i = 0; i < sizeof builtin_labels / sizeof *builtin_labels; i++) {
        size_t len = strlen(builtin_labels[i].text);
        if (len > best && label_matches(t, nt, builtin_labels[i].text)) {
            best = len;
            *field = builtin_labels[i].field;
            *section = builtin_labels[i].section;
            found = true;
        }
    }
    return found;
}

/* ---- geometry helpers ----------------------------------------------------------------- */

static int overlap(int a0, int a1, int b0, int b1)
{
    int lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? hi - lo : 0;
}

/* Whether a and b share half the height of the shorter (taller: of the taller) of them. */
static bool share_height(const lr_cell *a, const lr_cell *b, bool taller)
{
    int ha = a->y1 - a->y0, hb = b->y1 - b->y0;
    int m = (ha < hb) != taller ? ha : hb;
    return overlap(a->y0, a->y1, b->y0, b->y1) * 2 >= m;
}

static bool same_band(const lr_cell *a, const lr_cell *b)
{
    return share_height(a, b, false);
}

/* Stricter than same_band: the two share most of the taller one's height, so a section
 * label running down the side of a table's rows is not in the band of each row. */
static bool same_row(const lr_cell *a, const lr_cell *b)
{
    return share_height(a, b, true);
}

static bool same_column(const lr_cell *a, const lr_cell *b)
{
    int wa = a->x1 - a->x0, wb = b->x1 - b->x0;
    int m = wa < wb ? wa : wb;
    return overlap(a->x0, a->x1, b->x0, b->x1) * 2 >= m;
}

static int cmp_cell(const void *pa, const void *pb)
{
    const lr_cell *a = pa, *b = pb;
    if (a->y0 != b->y0)
        return a->y0 < b->y0 ? -1 : 1;
    return a->x0 < b->x0 ? -1 : a->x0 > b->x0;
}

/* Concatenated text of the words whose centre lies in the cell, in reading order. */
static void cell_text(const lr_cell *c, const lr_word *words, size_t nwords, char *buf,
                      size_t size)
{
    buf[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < nwords; i++) {
        const lr_word *w = &words[i];
        int cx = (w->x0 + w->x1) / 2, cy = (w->y0 + w->y1) / 2;
        if (cx < c->x0 || cx >= c->x1 || cy < c->y0 || cy >= c->y1 || !w->text)
            continue;
        int n = snprintf(buf + len, size - len, "%s%s", len ? " " : "", w->text);
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
}

/* ---- ruling lines and cells ----------------------------------------------------------- */

/* Whether boxes tile a table: they overlap each other by at most 2 % of their area (a form's
 * cells do not overlap; a map's parcel outlines enclose regions whose boxes do). */
static bool boxes_tile(BOXA *cells)
{
    int n = cells ? boxaGetCount(cells) : 0;
    double area = 0, over = 0;
    for (int i = 0; i < n; i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(cells, i, &x, &y, &w, &h);
        area += (double)w * h;
        for (int k = 0; k < i; k++) {
            l_int32 a, b, c, d;
            boxaGetBoxGeometry(cells, k, &a, &b, &c, &d);
            int ox = (x + w < a + c ? x + w : a + c) - (x > a ? x : a);
            int oy = (y + h < b + d ? y + h : b + d) - (y > b ? y : b);
            if (ox > 0 && oy > 0)
                over += (double)ox * oy;
        }
    }
    return n > 0 && over <= 0.02 * area;
}

/* Top to bottom, then left to right. */
static int cmp_box(const void *pa, const void *pb)
{
    const lr_box *a = pa, *b = pb;
    if (a->y0 != b->y0)
        return a->y0 < b->y0 ? -1 : 1;
    return a->x0 < b->x0 ? -1 : a->x0 > b->x0;
}

/* Ink share of the bands above and below a horizontal line that makes it a strike through
 * writing rather than a ruling line. Measured on 90 generated sheets: strikes 0.09–0.43 on
 * the sparser side, ink all along; ruling lines of clean sheets below 0.07; pieces of a
 * map's slanted lines up to 0.09 but at one end; on noisy pages 0.05–0.14 beside every
 * line (hence the comparison with the page's median line in drop_strikes). */
#define STRIKE_INK 0.08

typedef struct grid {
    BOXA *cells;
    BOX *table;
    int nh, nv;
    bool tiled; /* the cells tile the table (boxes_tile), decided once */
    PIX *lines;
    PIX *struck; /* the strikes' pixels (strike_pixels); NULL: none */
} grid;

static int count_lines(PIX *mask, int minlen, bool horizontal)
{
    BOXA *b = pixConnComp(mask, NULL, 8);
    int n = 0;
    for (int i = 0; b && i < boxaGetCount(b); i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(b, i, &x, &y, &w, &h);
        if ((horizontal ? w : h) >= minlen)
            n++;
    }
    boxaDestroy(&b);
    return n;
}

/* Ink share of the band [x, x+w) × [y, y+bh) of bin, lines (of h or v) not counted. */
static double band_ink(PIX *bin, PIX *lines, int x, int y, int w, int bh)
{
    if (y < 0) {
        bh += y;
        y = 0;
    }
    if (y + bh > pixGetHeight(bin))
        bh = pixGetHeight(bin) - y;
    if (w <= 0 || bh <= 0)
        return 0;
    BOX *b = boxCreate(x, y, w, bh);
    PIX *ink = b ? pixClipRectangle(bin, b, NULL) : NULL;
    PIX *ruled = b ? pixClipRectangle(lines, b, NULL) : NULL;
    l_int32 count = 0;
    if (ink && ruled && pixSubtract(ink, ink, ruled))
        pixCountPixels(ink, &count, NULL);
    pixDestroy(&ink);
    pixDestroy(&ruled);
    boxDestroy(&b);
    return (double)count / ((double)w * bh);
}

/* Adds to *mask (made page-sized on first use) the pixels of the strike in the box
 * [x, x+w) × [y, y+hh) of h, column by column, with a pixel more above and below (its ragged
 * edge), except where a character's stroke crosses it (ink of bin on both sides): the strike
 * is taken out of what OCR reads, the characters it runs through are kept. */
static int strike_pixels(PIX *bin, PIX *h, int x, int y, int w, int hh, PIX **mask)
{
    if (!*mask && !(*mask = pixCreateTemplate(bin)))
        return -1;
    int W = pixGetWidth(bin), H = pixGetHeight(bin);
    for (int cx = x; cx < x + w && cx < W; cx++) {
        int r0 = -1, r1 = -1;
        for (int cy = y; cy < y + hh && cy < H; cy++) {
            l_uint32 on = 0;
            pixGetPixel(h, cx, cy, &on);
            if (on) {
                r0 = r0 < 0 ? cy : r0;
                r1 = cy;
            }
        }
        if (r0 < 0)
            continue;
        l_uint32 a1 = 0, a2 = 0, b1 = 0, b2 = 0;
        pixGetPixel(bin, cx, r0 - 1, &a1);
        pixGetPixel(bin, cx, r0 - 2, &a2);
        pixGetPixel(bin, cx, r1 + 1, &b1);
        pixGetPixel(bin, cx, r1 + 2, &b2);
        if (a1 && a2 && b1 && b2)
            continue; /* a stroke crosses here */
        for (int cy = r0 - 1 > 0 ? r0 - 1 : 0; cy <= r1 + 1 && cy < H; cy++)
            pixSetPixel(*mask, cx, cy, 1);
    }
    return 0;
}

/* Removes from h the lines struck through an entry: a ruling line has white on both sides
 * (writing keeps clear of it), a strike has the characters' strokes right above and right
 * below it, all along. Otherwise a struck row is cut in two where the strike reaches its
 * cells' sides, and every row below it is read one row off. On a noisy page specks lie
 * beside every line: a strike must stand out from the page's own lines too. The strikes'
 * pixels go to *struck (left NULL when there is none). */
static int drop_strikes(PIX *bin, PIX *h, PIX *v, int dpi, PIX **struck, lr_error *err)
{
    int rc = LR_OK;
    PIX *lines = pixOr(NULL, h, v);
    BOXA *comps = lines ? pixConnComp(h, NULL, 8) : NULL;
    int n = comps ? boxaGetCount(comps) : 0;
    double *beside = calloc(n ? (size_t)n : 1, sizeof *beside);
    NUMA *long_lines = numaCreate(n);
    int *spread = calloc(n ? (size_t)n : 1, sizeof *spread);
    if (!comps || !beside || !spread || !long_lines) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory finding struck entries");
        goto done;
    }
    int band = dpi / 40 > 4 ? dpi / 40 : 4; /* about 0.6 mm */
    int off = dpi / 150 > 2 ? dpi / 150 : 2;  /* past the pixels a ragged line strays by */
    for (int i = 0; i < n; i++) {
        l_int32 x, y, w, hh;
        boxaGetBoxGeometry(comps, i, &x, &y, &w, &hh);
        beside[i] = -1;
        if (hh > band * 2 || w < dpi / 3)
            continue; /* a block of lines joined, or a short piece: left alone */
        double above = band_ink(bin, lines, x, y - off - band, w, band);
        double below = band_ink(bin, lines, x, y + hh + off, w, band);
        beside[i] = above < below ? above : below;
        numaAddNumber(long_lines, (l_float32)beside[i]);
        /* All along: a piece of a slanted line (a map's parcel edge) has the rest of the
         * line above it at one end and below it at the other. */
        for (int q = 0; q < 4; q++) {
            int qx = x + q * w / 4, qw = w / 4;
            spread[i] += band_ink(bin, lines, qx, y - off - band, qw, band) >= STRIKE_INK / 2 &&
                         band_ink(bin, lines, qx, y + hh + off, qw, band) >= STRIKE_INK / 2;
        }
    }
    /* The page's lines: most are ruling lines, so their median is what specks give. */
    l_float32 typical = 0;
    if (numaGetCount(long_lines) == 0 || numaGetMedian(long_lines, &typical) != 0)
        typical = 0;
    for (int i = 0; i < n; i++) {
        if (beside[i] < STRIKE_INK || beside[i] < 3 * typical || spread[i] < 3)
            continue;
        l_int32 x, y, w, hh;
        boxaGetBoxGeometry(comps, i, &x, &y, &w, &hh);
        if (strike_pixels(bin, h, x, y, w, hh, struck) < 0) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory taking out a strike");
            goto done;
        }
        BOX *b = boxaGetBox(comps, i, L_CLONE);
        if (b)
            pixClearInRect(h, b);
        boxDestroy(&b);
    }
done:
    numaDestroy(&long_lines);
    free(beside);
    free(spread);
    boxaDestroy(&comps);
    pixDestroy(&lines);
    return rc;
}

/* Adds to lines the ruling lines that noise, low contrast or a thin pen broke: thickened
 * across (a line one or two pixels thick wanders between pixel rows), breaks closed, and
 * kept when three times as long as a line must be, which no run of characters is. Only the
 * page's own ink of them is added, and none within two pixels across of a line found
 * before, so that such a line stays exactly as it was (its cells, and what OCR reads in
 * them, unchanged: a pixel more moved every cell and what OCR read). */
static int add_broken_lines(PIX *bin, PIX *lines, int len, int gap, bool horizontal,
                            lr_error *err)
{
    PIX *t = horizontal ? pixDilateBrick(NULL, bin, 1, 3) : pixDilateBrick(NULL, bin, 3, 1);
    if (t && !(horizontal ? pixCloseBrick(t, t, gap, 1) : pixCloseBrick(t, t, 1, gap)))
        pixDestroy(&t);
    /* composite bricks: the long opening costs a sixth (the length need not be exact) */
    PIX *found = t ? (horizontal ? pixOpenCompBrick(NULL, t, len * 3, 1)
                                 : pixOpenCompBrick(NULL, t, 1, len * 3))
                   : NULL;
    PIX *near = horizontal ? pixDilateBrick(NULL, lines, 1, 5) : pixDilateBrick(NULL, lines, 5, 1);
    int rc = found && near && pixAnd(found, found, bin) && pixSubtract(found, found, near) &&
                     pixOr(lines, lines, found)
                 ? LR_OK
                 : lr_error_set(err, LR_ERR_NOMEM, "could not extract the ruling lines");
    pixDestroy(&t);
    pixDestroy(&found);
    pixDestroy(&near);
    return rc;
}

static int find_grid(PIX *bin, int dpi, grid *g, lr_error *err)
{
    memset(g, 0, sizeof *g);
    int rc = LR_OK;
    PIX *h = NULL, *v = NULL, *mask = NULL;
    BOXA *comps = NULL;
    /* A ruling line is a run of ink longer than any stroke of a character (about 5 mm); the
     * closing bridges small breaks of worn or broken lines. */
    int len = dpi / 5 > 30 ? dpi / 5 : 30;
    int gap = dpi / 50 > 3 ? dpi / 50 : 3;
    h = pixOpenCompBrick(NULL, bin, len, 1);
    v = pixOpenCompBrick(NULL, bin, 1, len);
    if (!h || !v || (rc = add_broken_lines(bin, h, len, gap, true, err)) < 0 ||
        (rc = add_broken_lines(bin, v, len, gap, false, err)) < 0) {
        rc = rc < 0 ? rc : lr_error_set(err, LR_ERR_NOMEM, "could not extract the ruling lines");
        goto done;
    }
    pixCloseBrick(h, h, gap * 3, 1);
    pixCloseBrick(v, v, 1, gap * 3);
    if ((rc = drop_strikes(bin, h, v, dpi, &g->struck, err)) < 0)
        goto done;
    g->nh = count_lines(h, dpi / 2, true);
    g->nv = count_lines(v, dpi / 4, false);
    mask = pixOr(NULL, h, v);
    if (!mask) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* Lines that stop just short of each other still close a cell. */
    pixDilateBrick(mask, mask, gap, gap);
    comps = pixConnComp(mask, NULL, 8);
    int pw = pixGetWidth(bin), ph = pixGetHeight(bin);
    g->cells = boxaCreate(64);
    if (!comps || !g->cells) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory finding the cells");
        goto done;
    }
    /* Every ruled block big enough to be a table (a sheet may have a header box and a block
     * per history); the table's box is their union. */
    int minw = dpi / 12, minh = dpi / 15;
    for (int t = 0; t < boxaGetCount(comps); t++) {
        l_int32 tx, ty, tw, th;
        boxaGetBoxGeometry(comps, t, &tx, &ty, &tw, &th);
        if ((l_int64)tw * th < (l_int64)pw * ph / 100 || tw < dpi / 2 || th < dpi / 6)
            continue;
        BOX *tb = boxCreate(tx, ty, tw, th);
        PIX *clip = pixClipRectangle(mask, tb, NULL);
        PIX *inv = clip ? pixInvert(NULL, clip) : NULL;
        BOXA *regions = inv ? pixConnComp(inv, NULL, 4) : NULL;
        pixDestroy(&clip);
        pixDestroy(&inv);
        if (!regions) {
            boxDestroy(&tb);
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory finding the cells");
            goto done;
        }
        int before = boxaGetCount(g->cells);
        for (int i = 0; i < boxaGetCount(regions); i++) {
            l_int32 x, y, w, hh;
            boxaGetBoxGeometry(regions, i, &x, &y, &w, &hh);
            /* Regions touching the block's box are outside the ruled area. */
            if (x <= 0 || y <= 0 || x + w >= tw || y + hh >= th || w < minw || hh < minh)
                continue;
            /* A block's clip also holds the lines of the blocks inside it (a map's frame
             * around its parcels): their regions are found once. */
            bool seen = false;
            for (int k = 0; k < boxaGetCount(g->cells) && !seen; k++) {
                l_int32 ox, oy, ow, oh;
                boxaGetBoxGeometry(g->cells, k, &ox, &oy, &ow, &oh);
                seen = ox == x + tx && oy == y + ty && ow == w && oh == hh;
            }
            if (!seen)
                boxaAddBox(g->cells, boxCreate(x + tx, y + ty, w, hh), L_INSERT);
        }
        boxaDestroy(&regions);
        if (boxaGetCount(g->cells) > before) {
            if (!g->table) {
                g->table = tb;
                tb = NULL;
            } else {
                BOX *u = boxBoundingRegion(g->table, tb);
                boxDestroy(&g->table);
                g->table = u;
            }
        }
        boxDestroy(&tb);
    }
    g->tiled = g->table && boxes_tile(g->cells);
    g->lines = mask;
    mask = NULL;
done:
    pixDestroy(&h);
    pixDestroy(&v);
    pixDestroy(&mask);
    boxaDestroy(&comps);
    return rc;
}

static void grid_clear(grid *g)
{
    boxaDestroy(&g->cells);
    boxDestroy(&g->table);
    pixDestroy(&g->lines);
    pixDestroy(&g->struck);
}

/* ---- document type -------------------------------------------------------------------- */

typedef struct title_def {
    lr_doc_type type;
    const char *text;
} title_def;

static const title_def titles[] = {
    {LR_DOC_FOREST_LEDGER, "林野臺帳"},       {LR_DOC_FOREST_LEDGER, "林野台帳"},
    {LR_DOC_FOREST_LEDGER, "임야대장"},       {LR_DOC_LAND_LEDGER, "土地臺帳"},
    {LR_DOC_LAND_LEDGER, "土地台帳"},         {LR_DOC_LAND_LEDGER, "토지대장"},
    {LR_DOC_MOVEMENT_RESOLUTION, "土地移動決議書"}, {LR_DOC_MOVEMENT_RESOLUTION, "토지이동결의서"},
    {LR_DOC_MOVEMENT_RESOLUTION, "移動決議"}, {LR_DOC_MOVEMENT_RESOLUTION, "이동결의"},
    {LR_DOC_MOVEMENT_RESOLUTION, "土地移動整理決議書"},
    {LR_DOC_MOVEMENT_RESOLUTION, "토지이동정리결의서"},
    {LR_DOC_MOVEMENT_RESOLUTION, "移動整理決議"}, {LR_DOC_MOVEMENT_RESOLUTION, "이동정리결의"},
    {LR_DOC_CADASTRAL_MAP, "地籍圖"},         {LR_DOC_CADASTRAL_MAP, "지적도"},
    {LR_DOC_FOREST_MAP, "林野圖"},            {LR_DOC_FOREST_MAP, "임야도"},
    {LR_DOC_SURVEY_MAP, "測量結果圖"},        {LR_DOC_SURVEY_MAP, "측량결과도"},
    {LR_DOC_SURVEY_MAP, "測量圖"},            {LR_DOC_SURVEY_MAP, "측량도"},
};

/* The title nearest the top of the page, searched in the text of each OCR line. */
static lr_doc_type title_type(const lr_word *words, size_t nwords, const lr_forms *forms,
                              const lr_form **out_form)
{
    *out_form = NULL;
    lr_doc_type best = LR_DOC_UNKNOWN;
    int best_y = -1, best_prio = -1000000;
    size_t i = 0;
    while (i < nwords) {
        /* One OCR line at a time: titles are printed with spaces between their characters. */
        size_t j = i;
        char line[1024] = "";
        size_t len = 0;
        int y = words[i].y0;
        while (j < nwords && words[j].block == words[i].block && words[j].par == words[i].par &&
               words[j].line == words[i].line) {
            int n = snprintf(line + len, sizeof line - len, "%s", words[j].text ? words[j].text : "");
            if (n > 0 && (size_t)n < sizeof line - len)
                len += (size_t)n;
            j++;
        }
        uint32_t t[256];
        size_t nt = lr_text_squeeze(line, t, 256);
        for (size_t f = 0; forms && f < forms->nforms; f++) {
            const lr_form *fm = &forms->forms[f];
            for (size_t m = 0; m < fm->nmatch; m++) {
                uint32_t k[64];
                size_t nk = lr_text_squeeze(fm->match[m], k, 64);
                /* As titles below: alone on its line, one character may be misread. */
                bool hit = lr_text_contains(t, nt, k, nk) ||
                           (nk >= 4 && nt + 1 >= nk && nt <= nk + 1 &&
                            lr_text_distance(t, nt, k, nk) <= 1);
                if (hit && fm->priority > best_prio) {
                    best_prio = fm->priority;
                    *out_form = fm;
                }
            }
        }
        for (size_t d = 0; d < sizeof titles / sizeof *titles; d++) {
            uint32_t k[64];
            size_t nk = lr_text_squeeze(titles[d].text, k, 64);
            /* A title alone on its line may have one character misread (林野臺帳 as
             * 林野臺峠): the forest and land ledgers differ in two. */
            bool hit = lr_text_contains(t, nt, k, nk) ||
                       (nk >= 4 && nt + 1 >= nk && nt <= nk + 1 &&
                        lr_text_distance(t, nt, k, nk) <= 1);
            if (hit && (best_y < 0 || y < best_y)) {
                best_y = y;
                best = titles[d].type;
            }
        }
        i = j;
    }
    if (*out_form)
        return (*out_form)->doc_type;
    return best;
}

/* ---- analysis ------------------------------------------------------------------------- */

void lr_layout_clear(lr_layout *l)
{
    if (!l)
        return;
    free(l->cells);
    pixDestroy(&l->struck);
    memset(l, 0, sizeof *l);
}

/* The columns of the history tables, in the order every known form prints them. */
static const lr_field_kind owner_heads[] = {LR_FIELD_DATE, LR_FIELD_EVENT, LR_FIELD_ADDRESS,
                                            LR_FIELD_NAME};
static const lr_field_kind land_heads[] = {LR_FIELD_DATE, LR_FIELD_EVENT, LR_FIELD_CATEGORY,
                                           LR_FIELD_AREA, LR_FIELD_GRADE};

/* A header cell the OCR misread even when read again (氏名 as 조호) loses its whole column.
 * In the band of a history table's date label, when all its heads but one are found and
 * exactly one cell where the missing one belongs is no label — between the found heads, or
 * right of them when the last is missing — that cell is the missing head: the one field the
 * table still lacks goes to its one unlabelled column. */
static void infer_missing_heads(lr_layout *out, char (*texts)[256])
{
    size_t n = out->ncells;
    for (size_t i = 0; i < n; i++) {
        const lr_cell *d = &out->cells[i];
        if (!d->is_label || d->row != LR_FIELD_DATE)
            continue;
        /* The heads of d's table: the band's labels from d up to the next date label. */
        int next_date = 1 << 30;
        for (size_t k = 0; k < n; k++) {
            const lr_cell *c = &out->cells[k];
            if (k != i && c->is_label && c->row == LR_FIELD_DATE && same_band(c, d) &&
                c->x0 > d->x0 && c->x0 < next_date)
                next_date = c->x0;
        }
        bool have[LR_FIELD_COUNT] = {false};
        int right = d->x1;
        for (size_t k = 0; k < n; k++) {
            const lr_cell *c = &out->cells[k];
            if (c->is_label && same_band(c, d) && c->x0 >= d->x0 && c->x0 < next_date &&
                c->row > 0 && c->row < LR_FIELD_COUNT) {
                have[c->row] = true;
                right = c->x1 > right ? c->x1 : right;
            }
        }
        bool owner = have[LR_FIELD_ADDRESS] || have[LR_FIELD_NAME];
        const lr_field_kind *heads = owner ? owner_heads : land_heads;
        size_t nheads = owner ? sizeof owner_heads / sizeof *owner_heads
                              : sizeof land_heads / sizeof *land_heads;
        int missing = -1, nmissing = 0;
        for (size_t h = 0; h < nheads; h++)
            if (!have[heads[h]]) {
                missing = (int)heads[h];
                nmissing++;
            }
        if (nmissing != 1 || missing == LR_FIELD_DATE)
            continue;
        bool last = missing == (int)heads[nheads - 1];
        size_t cand = n;
        int ncand = 0;
        for (size_t k = 0; k < n; k++) {
            const lr_cell *c = &out->cells[k];
            if (c->is_label || !same_band(c, d) || c->x0 < d->x1 - 4 || c->x0 >= next_date)
                continue;
            if (last ? c->x0 >= right - 4 : c->x1 <= right + 4) {
                cand = k;
                ncand++;
            }
        }
        if (ncand != 1)
            continue;
        lr_cell *c = &out->cells[cand];
        lr_log_debug("layout: cell %zu \"%s\" taken as the %s head: the one the table lacks",
                     cand, texts[cand], lr_field_kind_name((lr_field_kind)missing));
        c->is_label = true;
        c->field = LR_FIELD_NONE;
        c->section = owner ? LR_SECTION_OWNER : LR_SECTION_LAND;
        c->row = missing;
        out->nlabels++;
    }
}

/* The lot's head misread (地番 read 8) on a sheet whose location head was read. The sheet's
 * head row reads the location's head, its value, the lot's head, its value (所在 | … | 地番 |
 * …; 토지소재 | … | 지번 | … on the cards): when no lot head was found, the second cell right
 * of the location's head, narrower than the cells on both sides of it and no label, is taken
 * for it. */
static void infer_lot_head(lr_layout *out, char (*texts)[256])
{
    size_t n = out->ncells, loc = n;
    for (size_t i = 0; i < n; i++) {
        const lr_cell *c = &out->cells[i];
        if (c->is_label && c->row == LR_FIELD_LOT)
            return;
        if (c->is_label && c->row == LR_FIELD_LOCATION && loc == n)
            loc = i;
    }
    if (loc == n)
        return;
    const lr_cell *l = &out->cells[loc];
    size_t row[3];
    int nr = 0;
    for (size_t k = 0; k < n; k++) {
        const lr_cell *c = &out->cells[k];
        if (k == loc || !same_row(c, l) || c->x0 < l->x1 - 4)
            continue;
        /* the three nearest right of the head, left to right */
        int at = nr < 3 ? nr++ : 3;
        while (at > 0 && out->cells[row[at - 1]].x0 > c->x0) {
            if (at < 3)
                row[at] = row[at - 1];
            at--;
        }
        if (at < 3)
            row[at] = k;
    }
    if (nr < 3)
        return;
    lr_cell *v1 = &out->cells[row[0]], *h = &out->cells[row[1]], *v2 = &out->cells[row[2]];
    int wh = h->x1 - h->x0;
    if (v1->is_label || h->is_label || v2->is_label || wh >= v1->x1 - v1->x0 ||
        wh >= v2->x1 - v2->x0)
        return;
    lr_log_debug("layout: cell %zu \"%s\" taken as the lot's head: the one the sheet lacks",
                 row[1], texts[row[1]]);
    h->is_label = true;
    h->field = LR_FIELD_NONE;
    h->section = LR_SECTION_SHEET;
    h->row = LR_FIELD_LOT;
    out->nlabels++;
}

/* Assigns the cells of one column under label lab (index li) to (section, field), rows by the
 * anchors (the group's first column), returns the number of rows. */
static void assign_column(lr_layout *out, size_t li, lr_section sec, const int *anchors,
                          int nanchors, int row0)
{
    const lr_cell *lab = &out->cells[li];
    int tol = (lab->y1 - lab->y0) / 4;
    int stop = 1 << 30;
    for (size_t k = 0; k < out->ncells; k++) {
        const lr_cell *c = &out->cells[k];
        if (k != li && c->is_label && c->y0 >= lab->y1 - tol && same_column(c, lab) && c->y0 < stop)
            stop = c->y0;
    }
    for (size_t k = 0; k < out->ncells; k++) {
        lr_cell *c = &out->cells[k];
        if (c->is_label || c->field != LR_FIELD_NONE || c->y0 < lab->y1 - tol || c->y0 >= stop ||
            !same_column(c, lab))
            continue;
        int row = -1, best = 0;
        for (int r = 0; r < nanchors; r++) {
            const lr_cell *a = &out->cells[anchors[r]];
            int ov = overlap(a->y0, a->y1, c->y0, c->y1);
            if (ov > best) {
                best = ov;
                row = r;
            }
        }
        if (row < 0)
            continue;
        c->field = lab->field;
        c->section = sec;
        c->row = row0 + row;
    }
}

/* The form of doc type t whose first title leans the way lean does (highest priority), or
 * NULL. */
static const lr_form *form_by_script(const lr_forms *forms, lr_doc_type t, int lean)
{
    const lr_form *best = NULL;
    if (lean == 0)
        return NULL;
    for (size_t f = 0; f < forms->nforms; f++) {
        const lr_form *fm = &forms->forms[f];
        if (fm->doc_type != t || fm->nmatch == 0)
            continue;
        int l = fm->title_lean;
        if ((l > 0) == (lean > 0) && l != 0 && (!best || fm->priority > best->priority))
            best = fm;
    }
    return best;
}

/* A label heading a column of parcels: lot, category or area (kept in row until assignment). */
static bool is_parcel_head(const lr_cell *c)
{
    return c->is_label &&
           (c->row == LR_FIELD_LOT || c->row == LR_FIELD_CATEGORY || c->row == LR_FIELD_AREA);
}

/* The value cells under label li down to the next label in its column: the rows of its
 * table, into anchors (room for every cell); returns how many. */
static int column_anchors(const lr_layout *out, size_t li, int *anchors)
{
    const lr_cell *al = &out->cells[li];
    int tol = (al->y1 - al->y0) / 4, stop = 1 << 30, na = 0;
    for (size_t k = 0; k < out->ncells; k++) {
        const lr_cell *c = &out->cells[k];
        if (k != li && c->is_label && c->y0 >= al->y1 - tol && same_column(c, al) && c->y0 < stop)
            stop = c->y0;
    }
    for (size_t k = 0; k < out->ncells; k++) {
        const lr_cell *c = &out->cells[k];
        if (!c->is_label && c->y0 >= al->y1 - tol && c->y0 < stop && same_column(c, al))
            anchors[na++] = (int)k;
    }
    return na;
}

/* Printed heads of columns no field is read from (remarks, rent, scale, registration number):
 * read right, they are no label misread. */
static const char *const other_heads[] = {"備考", "비고", "賃貸價格", "賃貸価格", "임대가격",
                                          "縮尺", "축척", "登錄番號", "등록번호"};

/* A numeral, Hanja or Arabic, or a lot's separator: what a value is made of, no label. */
static bool value_char(uint32_t c)
{
    static const uint32_t hanja[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D,
                                     0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343, 0x30CE,
                                     '/', '-'};
    if (c >= '0' && c <= '9')
        return true;
    for (size_t i = 0; i < sizeof hanja / sizeof *hanja; i++)
        if (c == hanja[i])
            return true;
    return false;
}

/* Whether a cell's text could be a misread label: short, not a value (all numerals or lot
 * separators: 二四八, 三七/五), no Arabic digit (label cells hold none; lot numbers and areas
 * do) but one beside two letters or more (토지소재 read 토 소 3), not a head read right that
 * no field is read from; or empty over ink. */
static bool label_candidate(const lr_cell *c, const char *text)
{
    uint32_t t[16];
    size_t nt = lr_text_squeeze(text, t, 16);
    if (nt == 0)
        return c->ink >= 0.01f;
    if (nt > 4)
        return false;
    size_t values = 0, digits = 0, letters = 0;
    for (size_t i = 0; i < nt; i++) {
        values += value_char(t[i]);
        digits += t[i] >= '0' && t[i] <= '9';
        letters += lr_text_is_hangul(t[i]) || lr_text_is_hanja(t[i]);
    }
    if (values == nt || (digits > 0 && !(digits == 1 && letters >= 2)))
        return false;
    for (size_t i = 0; i < sizeof other_heads / sizeof *other_heads; i++) {
        uint32_t h[16];
        size_t nh = lr_text_squeeze(other_heads[i], h, 16);
        if (nh == nt && memcmp(h, t, nt * sizeof *t) == 0)
            return false;
    }
    return true;
}

/* The grid of a table found before (lr_layout_find_table). */
static int grid_from_table(const lr_table *t, grid *g, lr_error *err)
{
    memset(g, 0, sizeof *g);
    g->nh = t->nh;
    g->nv = t->nv;
    g->tiled = t->tiled;
    g->struck = t->struck ? pixClone(t->struck) : NULL;
    g->cells = boxaCreate(t->ncells ? (int)t->ncells : 1);
    if (!g->cells)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < t->ncells; i++) {
        const lr_box *b = &t->cells[i];
        boxaAddBox(g->cells, boxCreate(b->x0, b->y0, b->x1 - b->x0, b->y1 - b->y0), L_INSERT);
    }
    if (t->table.x1 > t->table.x0)
        g->table = boxCreate(t->table.x0, t->table.y0, t->table.x1 - t->table.x0,
                             t->table.y1 - t->table.y0);
    return LR_OK;
}

static bool word_in_label_cell(const lr_layout *l, const lr_word *w)
{
    int cx = (w->x0 + w->x1) / 2, cy = (w->y0 + w->y1) / 2;
    for (size_t i = 0; i < l->ncells; i++) {
        const lr_cell *c = &l->cells[i];
        if (c->is_label && cx >= c->x0 && cx < c->x1 && cy >= c->y0 && cy < c->y1)
            return true;
    }
    return false;
}

/* The word after `after` on ref's line (overlapping it by half the lower height): the one
 * beginning nearest to its right, by position (the page's text around a table is read in
 * pieces, each its own block; neighbours' boxes may overlap, 陽 over 郡); NULL when none. */
static const lr_word *next_on_line(const lr_word *words, size_t nwords, const lr_word *ref,
                                   const lr_word *after)
{
    int lh = ref->y1 - ref->y0;
    const lr_word *next = NULL;
    for (size_t k = 0; k < nwords; k++) {
        const lr_word *w = &words[k];
        int wh = w->y1 - w->y0, m = wh < lh ? wh : lh;
        if (w->text && m > 0 && overlap(w->y0, w->y1, ref->y0, ref->y1) * 2 >= m &&
            w->x0 > after->x0 && (!next || w->x0 < next->x0))
            next = w;
    }
    return next;
}

/* Most words a label printed with its characters spaced out (所 在) is read as. */
#define LABEL_WORDS_MAX 3

/* Whether the label words[i] begins is one of a location (its characters may be separate
 * words, each within a line height of the last); *out_last: its last word. */
static bool location_label_at(const lr_layout *out, const lr_word *words, size_t nwords,
                              size_t i, const lr_word **out_last)
{
    const lr_word *lab = &words[i], *last = lab;
    if (!lab->text || word_in_label_cell(out, lab))
        return false;
    char text[256];
    snprintf(text, sizeof text, "%s", lab->text);
    for (int k = 1;; k++) {
        lr_field_kind f;
        lr_section sec;
        if (find_label(text, out->form, &f, &sec)) {
            *out_last = last;
            return f == LR_FIELD_LOCATION;
        }
        const lr_word *next = k < LABEL_WORDS_MAX ? next_on_line(words, nwords, lab, last) : NULL;
        if (!next || next->x0 - last->x1 > lab->y1 - lab->y0 ||
            strlen(text) + strlen(next->text) >= sizeof text)
            return false;
        strcat(text, next->text);
        last = next;
    }
}

/* A location printed beside its label on one line, not in cells of their own (a map sheet's
 * head: 지적도  소재 서울특별시 성동구 행당동  축척 1/1200): when no cell holds the location,
 * the words right of a location label on its line (the first within five line heights, the
 * next within two of each other) up to the next label become a cell of their own, with a
 * margin of a third of their height (the cell is read again inside its edges). */
static int add_unruled_location(lr_layout *out, const lr_word *words, size_t nwords,
                                lr_error *err)
{
    for (size_t i = 0; i < out->ncells; i++)
        if (out->cells[i].field == LR_FIELD_LOCATION)
            return LR_OK;
    for (size_t i = 0; i < nwords; i++) {
        const lr_word *lab = &words[i];
        const lr_word *last;
        if (!location_label_at(out, words, nwords, i, &last))
            continue;
        int right = last->x1;
        int lh = lab->y1 - lab->y0;
        lr_cell v = {.x0 = INT_MAX, .y0 = INT_MAX, .x1 = INT_MIN, .y1 = INT_MIN};
        for (;;) {
            /* the line followed word by word: a value's characters ride higher or lower than
             * its label's (陽 below 所在) */
            const lr_word *next = next_on_line(words, nwords, last, last);
            /* a label stands apart from its value (3–4 heights on the maps), words of the
             * value close together */
            int most = v.x1 < v.x0 ? 5 * lh : 2 * lh;
            lr_field_kind f;
            lr_section sec;
            if (!next || next->x0 - right > most || find_label(next->text, out->form, &f, &sec))
                break;
            v.x0 = next->x0 < v.x0 ? next->x0 : v.x0;
            v.y0 = next->y0 < v.y0 ? next->y0 : v.y0;
            v.x1 = next->x1 > v.x1 ? next->x1 : v.x1;
            v.y1 = next->y1 > v.y1 ? next->y1 : v.y1;
            right = next->x1 > right ? next->x1 : right;
            last = next;
        }
        if (v.x1 <= v.x0)
            continue;
        lr_cell *grown = realloc(out->cells, (out->ncells + 1) * sizeof *grown);
        if (!grown)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        out->cells = grown;
        int m = (v.y1 - v.y0) / 3 + 2;
        v.x0 = v.x0 > m ? v.x0 - m : 0;
        v.y0 = v.y0 > m ? v.y0 - m : 0;
        v.x1 += m;
        v.y1 += m;
        v.field = LR_FIELD_LOCATION;
        v.section = LR_SECTION_SHEET;
        v.ink = 0.05f; /* it holds the words found */
        out->cells[out->ncells++] = v;
        return LR_OK;
    }
    return LR_OK;
}

int lr_layout_analyze(struct Pix *binary, int dpi, const lr_word *words, size_t nwords,
                      const lr_table *table, const lr_forms *forms, lr_doc_type doc_type,
                      const lr_layout_reader *reader, lr_layout *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->doc_type = LR_DOC_UNKNOWN;
    int rc = LR_OK;
    grid g = {0};
    char (*texts)[256] = NULL;
    int *anchors = NULL;
    if (!binary || pixGetDepth(binary) != 1 || dpi <= 0 || (nwords && !words))
        return lr_error_set(err, LR_ERR_ARG, "layout needs a 1-bpp page, its dpi and its words");

    lr_doc_type titled = title_type(words, nwords, forms, &out->form);
    if ((rc = table ? grid_from_table(table, &g, err) : find_grid(binary, dpi, &g, err)) < 0)
        goto done;
    out->nhlines = g.nh;
    out->nvlines = g.nv;
    out->struck = g.struck;
    g.struck = NULL;
    size_t n = g.cells ? (size_t)boxaGetCount(g.cells) : 0;
    if (g.table)
        boxGetGeometry(g.table, &out->table_x0, &out->table_y0, &out->table_x1, &out->table_y1);
    out->table_x1 += out->table_x0;
    out->table_y1 += out->table_y0;
    if (n) {
        out->cells = calloc(n, sizeof *out->cells);
        texts = calloc(n, sizeof *texts);
        anchors = calloc(n, sizeof *anchors);
        if (!out->cells || !texts || !anchors) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(g.cells, (int)i, &x, &y, &w, &h);
        lr_cell *c = &out->cells[i];
        c->x0 = x;
        c->y0 = y;
        c->x1 = x + w;
        c->y1 = y + h;
        c->vertical = h > 2 * w;
    }
    out->ncells = n;
    if (n)
        qsort(out->cells, n, sizeof *out->cells, cmp_cell);

    /* Ink inside each cell, a few pixels in from its edges (the ruling lines). */
    for (size_t i = 0; i < n; i++) {
        lr_cell *c = &out->cells[i];
        int in = dpi / 100 + 1;
        int w = c->x1 - c->x0 - 2 * in, h = c->y1 - c->y0 - 2 * in;
        if (w <= 0 || h <= 0)
            continue;
        BOX *b = boxCreate(c->x0 + in, c->y0 + in, w, h);
        l_int32 count = 0;
        pixCountPixelsInRect(binary, b, &count, NULL);
        boxDestroy(&b);
        c->ink = (float)count / (float)(w * h);
    }

    /* Labels. */
    for (size_t i = 0; i < n; i++) {
        lr_cell *c = &out->cells[i];
        cell_text(c, words, nwords, texts[i], sizeof texts[i]);
        lr_field_kind f;
        lr_section s;
        if (find_label(texts[i], out->form, &f, &s)) {
            c->is_label = true;
            c->field = LR_FIELD_NONE;
            c->section = s;
            c->row = (int)f; /* the label's field, kept in row until assignment */
            out->nlabels++;
        }
    }
    /* Cells in a band of labels whose text is short may be labels misread: read them again
     * on their own, top first. */
    for (size_t i = 0; reader && reader->read && i < n; i++) {
        lr_cell *c = &out->cells[i];
        if (c->is_label || out->label_rereads >= LR_LAYOUT_MAX_LABEL_REREADS ||
            !label_candidate(c, texts[i]))
            continue;
        bool beside = false;
        for (size_t k = 0; k < n && !beside; k++)
            beside = k != i && out->cells[k].is_label && same_row(&out->cells[k], c);
        if (!beside)
            continue;
        char again[256] = "";
        int in = dpi / 100 + 2;
        if ((rc = reader->read(reader->ctx, c->x0 + in, c->y0 + in, c->x1 - in, c->y1 - in,
                               again, sizeof again, err)) < 0)
            goto done;
        out->label_rereads++;
        lr_field_kind f;
        lr_section s;
        if (find_label(again, out->form, &f, &s)) {
            snprintf(texts[i], sizeof texts[i], "%s", again);
            c->is_label = true;
            c->field = LR_FIELD_NONE;
            c->section = s;
            c->row = (int)f;
            out->nlabels++;
        }
    }

    infer_missing_heads(out, texts);
    infer_lot_head(out, texts);

    /* Column headers: labels in the band of a date label. Groups start at each date label;
     * a group with an address or a name column is the owner section. */
    bool *used = n ? calloc(n, sizeof *used) : NULL;
    if (n && !used) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        lr_cell *d = &out->cells[i];
        if (!d->is_label || d->row != LR_FIELD_DATE || used[i])
            continue;
        /* The band's column labels, left to right (cells are sorted by y then x: collect). */
        size_t band[64];
        int nb = 0;
        for (size_t k = 0; k < n && nb < 64; k++) {
            lr_cell *c = &out->cells[k];
            if (c->is_label && c->row != LR_FIELD_NONE && c->row != LR_FIELD_LOCATION &&
                c->row != LR_FIELD_LOT && same_band(c, d) && !used[k])
                band[nb++] = k;
        }
        for (int a = 1; a < nb; a++) /* by x */
            for (int b = a; b > 0 && out->cells[band[b]].x0 < out->cells[band[b - 1]].x0; b--) {
                size_t t = band[b];
                band[b] = band[b - 1];
                band[b - 1] = t;
            }
        int start = 0;
        while (start < nb) {
            int end = start + 1;
            while (end < nb && out->cells[band[end]].row != LR_FIELD_DATE)
                end++;
            /* Labels before the first date label belong to its group. */
            lr_section sec = LR_SECTION_LAND;
            for (int k = start; k < end; k++) {
                int f = out->cells[band[k]].row;
                if (f == LR_FIELD_ADDRESS || f == LR_FIELD_NAME)
                    sec = LR_SECTION_OWNER;
            }
            /* Row anchors: the cells under the group's date column (else its first). */
            size_t anchor_label = band[start];
            for (int k = start; k < end; k++)
                if (out->cells[band[k]].row == LR_FIELD_DATE)
                    anchor_label = band[k];
            int na = column_anchors(out, anchor_label, anchors);
            for (int k = start; k < end; k++) {
                size_t li = band[k];
                lr_cell *lab = &out->cells[li];
                lab->field = (lr_field_kind)lab->row;
                assign_column(out, li, sec, anchors, na, 0);
                lab->field = LR_FIELD_NONE;
                /* A date without rows under it (a resolution's 결의일자) labels its
                 * neighbour, below. */
                used[li] = na > 0;
            }
            if (sec == LR_SECTION_LAND && na > out->nland_rows)
                out->nland_rows = na;
            if (sec == LR_SECTION_OWNER && na > out->nowner_rows)
                out->nowner_rows = na;
            start = end;
        }
    }
    /* Tables of column heads without a date column (a resolution's 이동전 and 이동후, each
     * 지번 지목 면적): the first, the parcel before the movement, gives the sheet's fields
     * from its first row; each later one, the parcels after it, land-history rows (their
     * date and event are the resolution's, taken by the extraction). */
    lr_doc_type page_type = doc_type != LR_DOC_AUTO ? doc_type : titled;
    int ntables = 0;
    for (size_t i = 0; page_type == LR_DOC_MOVEMENT_RESOLUTION && i < n; i++) {
        const lr_cell *h = &out->cells[i];
        if (!is_parcel_head(h) || used[i])
            continue;
        size_t band[16];
        int nb = 0;
        for (size_t k = 0; k < n && nb < 16; k++)
            if (!used[k] && is_parcel_head(&out->cells[k]) && same_band(&out->cells[k], h))
                band[nb++] = k;
        for (int a = 1; a < nb; a++) /* by x */
            for (int b = a; b > 0 && out->cells[band[b]].x0 < out->cells[band[b - 1]].x0; b--) {
                size_t t = band[b];
                band[b] = band[b - 1];
                band[b - 1] = t;
            }
        /* Heads side by side, no value between them (else it is a key–value row). */
        bool heads = nb >= 2;
        for (size_t k = 0; k < n && heads; k++) {
            const lr_cell *c = &out->cells[k];
            heads = c->is_label || !same_band(c, h) || c->x1 <= out->cells[band[0]].x0 ||
                    c->x0 >= out->cells[band[nb - 1]].x1;
        }
        if (!heads)
            continue;
        int na = column_anchors(out, band[0], anchors);
        lr_section sec = ntables++ == 0 ? LR_SECTION_SHEET : LR_SECTION_LAND;
        if (sec == LR_SECTION_SHEET && na > 1)
            na = 1;
        for (int k = 0; k < nb; k++) {
            lr_cell *lab = &out->cells[band[k]];
            lab->field = (lr_field_kind)lab->row;
            assign_column(out, band[k], sec, anchors, na,
                          sec == LR_SECTION_LAND ? out->nland_rows : 0);
            lab->field = LR_FIELD_NONE;
            used[band[k]] = true;
        }
        if (sec == LR_SECTION_LAND)
            out->nland_rows += na;
    }
    /* Key–value labels: the value is the next cell to the right in the band, else below. */
    for (size_t i = 0; i < n; i++) {
        lr_cell *lab = &out->cells[i];
        if (!lab->is_label || used[i] || lab->row == LR_FIELD_NONE)
            continue;
        size_t best = n;
        for (size_t k = 0; k < n; k++) {
            lr_cell *c = &out->cells[k];
            if (c->is_label || c->field != LR_FIELD_NONE || !same_band(c, lab) ||
                c->x0 < lab->x1 - 4)
                continue;
            if (best == n || c->x0 < out->cells[best].x0)
                best = k;
        }
        if (best == n)
            for (size_t k = 0; k < n; k++) {
                lr_cell *c = &out->cells[k];
                if (c->is_label || c->field != LR_FIELD_NONE || !same_column(c, lab) ||
                    c->y0 < lab->y1 - 4)
                    continue;
                if (best == n || c->y0 < out->cells[best].y0)
                    best = k;
            }
        if (best < n) {
            out->cells[best].field = (lr_field_kind)lab->row;
            out->cells[best].section = LR_SECTION_SHEET;
            out->cells[best].row = 0;
        }
    }
    free(used);
    for (size_t i = 0; i < n; i++)
        if (out->cells[i].is_label)
            out->cells[i].row = 0;

    /* Document type: the caller's, else the form's or the printed title, else the layout. */
    if (doc_type != LR_DOC_AUTO) {
        out->doc_type = doc_type;
        out->doc_type_forced = true;
    } else if (titled != LR_DOC_UNKNOWN) {
        out->doc_type = titled;
    } else if (out->nland_rows > 0 || out->nowner_rows > 0) {
        out->doc_type = LR_DOC_LAND_LEDGER;
        /* Forest parcels carry 산 (山) before the lot number, and forest areas are in 町段畝步
         * where land's are in 坪合勺 (domain.md §3). */
        int forest_units = 0, land_units = 0;
        for (size_t i = 0; i < n; i++) {
            if (out->cells[i].field == LR_FIELD_LOT &&
                (strncmp(texts[i], "산", 3) == 0 || strncmp(texts[i], "山", 3) == 0))
                out->doc_type = LR_DOC_FOREST_LEDGER;
            if (out->cells[i].field == LR_FIELD_AREA) {
                forest_units += strstr(texts[i], "町") || strstr(texts[i], "段") ||
                                strstr(texts[i], "畝") || strstr(texts[i], "步");
                land_units += strstr(texts[i], "坪") || strstr(texts[i], "合") ||
                              strstr(texts[i], "勺");
            }
        }
        if (forest_units >= 2 && forest_units > 2 * land_units)
            out->doc_type = LR_DOC_FOREST_LEDGER;
    } else if ((!g.table && g.nh + g.nv >= 12) ||
               (n >= LR_LAYOUT_MAP_MIN_REGIONS && !g.tiled)) {
        /* Straight lines but no closed table, or lines enclosing regions that overlap: a map
         * sheet's frame and parcel edges. */
        out->doc_type = LR_DOC_CADASTRAL_MAP;
    }
    /* No title read: the form of the page's type whose title is written in the script of the
     * labels found (土地臺帳 for 地番 地目 …, 토지대장 for 지번 지목 …). */
    if (!out->form && forms) {
        int lean = 0;
        for (size_t i = 0; i < n; i++)
            if (out->cells[i].is_label)
                lean += script_lean(texts[i]);
        out->form = form_by_script(forms, out->doc_type, lean);
    }
    if ((rc = add_unruled_location(out, words, nwords, err)) < 0)
        goto done;
    for (size_t i = 0; i < out->ncells; i++) {
        lr_cell *c = &out->cells[i];
        if (out->form && c->field != LR_FIELD_NONE && out->form->has_ocr[c->field])
            c->ocr = &out->form->ocr[c->field];
    }
    if (lr_log_get_level() >= LR_LOG_DEBUG) {
        lr_log_debug("layout: %s, form %s", lr_doc_type_name(out->doc_type),
                     out->form ? out->form->name : "none");
        for (size_t i = 0; i < n; i++) {
            const lr_cell *c = &out->cells[i];
            lr_log_debug("layout: cell %zu [%d,%d %d,%d] %s%s %s row %d ink %.3f \"%s\"", i,
                         c->x0, c->y0, c->x1, c->y1, c->is_label ? "label " : "",
                         lr_field_kind_name(c->field), lr_section_name(c->section), c->row,
                         (double)c->ink, texts[i]);
        }
        for (size_t i = n; i < out->ncells; i++) {
            const lr_cell *c = &out->cells[i];
            lr_log_debug("layout: cell %zu [%d,%d %d,%d] %s unruled", i, c->x0, c->y0, c->x1,
                         c->y1, lr_field_kind_name(c->field));
        }
    }
done:
    free(texts);
    free(anchors);
    grid_clear(&g);
    if (rc < 0)
        lr_layout_clear(out);
    return rc;
}

int lr_layout_find_table(struct Pix *binary, int dpi, lr_table *out, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!binary || !out || pixGetDepth(binary) != 1 || dpi <= 0)
        return lr_error_set(err, LR_ERR_ARG, "lr_layout_find_table needs a 1-bpp page and dpi");
    grid g;
    int rc = find_grid(binary, dpi, &g, err);
    size_t n = rc == LR_OK && g.cells ? (size_t)boxaGetCount(g.cells) : 0;
    if (n && !(out->cells = calloc(n, sizeof *out->cells)))
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == LR_OK && i < n; i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(g.cells, (int)i, &x, &y, &w, &h);
        out->cells[i] = (lr_box){x, y, x + w, y + h};
    }
    if (rc == LR_OK) {
        out->ncells = n;
        if (g.table) {
            l_int32 x, y, w, h;
            boxGetGeometry(g.table, &x, &y, &w, &h);
            out->table = (lr_box){x, y, x + w, y + h};
        }
        out->tiled = g.tiled;
        out->nh = g.nh;
        out->nv = g.nv;
        out->struck = g.struck;
        g.struck = NULL;
        if (n)
            qsort(out->cells, n, sizeof *out->cells, cmp_box);
    } else {
        lr_table_clear(out);
    }
    grid_clear(&g);
    return rc;
}

void lr_table_clear(lr_table *t)
{
    if (!t)
        return;
    free(t->cells);
    pixDestroy(&t->struck);
    memset(t, 0, sizeof *t);
}
