/* forms.c — form templates (schemas/forms/NAME.form, docs/forms.md): the parser, and the
 * loader of a directory of them with the vocabulary they share (layout.h). */
#include "layout_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/digest.h"
#include "landrec/text.h"

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
    lr_vocab_destroy(&(*pforms)->vocab);
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

int layout_script_lean(const char *s)
{
    int hanja, hangul;
    lr_text_scripts(s, &hanja, &hangul);
    return hanja - hangul;
}

/* A "match" line: title strings that select the form. */
static int add_matches(lr_form *out, char **tok, int nt, lr_error *err)
{
    for (int i = 1; i < nt; i++) {
        char(*m)[64] = realloc(out->match, (out->nmatch + 1) * sizeof *m);
        if (!m)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        out->match = m;
        snprintf(m[out->nmatch++], 64, "%s", tok[i]);
    }
    return LR_OK;
}

/* A "label" line: more spellings of a field's label. */
static int add_labels(lr_form *out, char **tok, int nt, const char *name, int lineno, lr_error *err)
{
    lr_field_kind f;
    lr_section sec;
    if (parse_field_ref(tok[1], &f, &sec) < 0)
        return form_fail(err, name, lineno,
                         "unknown field (location, lot, category, area, "
                         "grade, date, event, address, name)");
    for (int i = 2; i < nt; i++) {
        struct lr_form_label *l = realloc(out->labels, (out->nlabels + 1) * sizeof *l);
        if (!l)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        out->labels = l;
        l[out->nlabels].field = f;
        l[out->nlabels].section = sec;
        snprintf(l[out->nlabels].text, sizeof l->text, "%s", tok[i]);
        out->nlabels++;
    }
    return LR_OK;
}

/* An "ocr" line: how a field's cell is read. */
static int set_ocr(lr_form *out, char **tok, int nt, const char *name, int lineno, lr_error *err)
{
    lr_field_kind f;
    lr_section sec;
    if (parse_field_ref(tok[1], &f, &sec) < 0)
        return form_fail(err, name, lineno, "unknown field");
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
        else
            return form_fail(err, name, lineno,
                             "ocr takes lang=, whitelist=, psm=, threshold=, vertical");
    }
    if (o->psm < 0 || o->psm > 13 || o->threshold < 0 || o->threshold > 100)
        return form_fail(err, name, lineno, "psm must be 0-13, threshold 0-100");
    return LR_OK;
}

/* A "range" line: the values a numeric field can take on this form (a grade beyond the
 * form's scale is a misread figure). */
static int set_range(lr_form *out, char **tok, int nt, const char *name, int lineno,
                     lr_error *err)
{
    lr_field_kind f;
    lr_section sec;
    char *end1 = NULL, *end2 = NULL;
    if (nt != 4 || parse_field_ref(tok[1], &f, &sec) < 0)
        return form_fail(err, name, lineno, "range takes a field, a minimum and a maximum");
    double lo = strtod(tok[2], &end1), hi = strtod(tok[3], &end2);
    if (*end1 || *end2 || lo > hi)
        return form_fail(err, name, lineno, "range needs two numbers, the minimum first");
    if (f != LR_FIELD_GRADE && f != LR_FIELD_AREA)
        return form_fail(err, name, lineno, "range applies to grade or area");
    out->has_range[f] = true;
    out->range_min[f] = lo;
    out->range_max[f] = hi;
    return LR_OK;
}

/* One line's words (tok[0] the keyword) into out. */
static int parse_line(lr_form *out, char **tok, int nt, const char *name, int lineno, lr_error *err)
{
    const char *kw = tok[0];
    if (strcmp(kw, "name") == 0 && nt == 2) {
        snprintf(out->name, sizeof out->name, "%s", tok[1]);
    } else if (strcmp(kw, "doc_type") == 0 && nt == 2) {
        if (lr_doc_type_parse(tok[1], &out->doc_type) < 0 || out->doc_type == LR_DOC_AUTO)
            return form_fail(err, name, lineno, "unknown doc_type");
    } else if (strcmp(kw, "priority") == 0 && nt == 2) {
        out->priority = atoi(tok[1]);
    } else if (strcmp(kw, "match") == 0 && nt >= 2) {
        return add_matches(out, tok, nt, err);
    } else if (strcmp(kw, "label") == 0 && nt >= 3) {
        return add_labels(out, tok, nt, name, lineno, err);
    } else if (strcmp(kw, "ocr") == 0 && nt >= 2) {
        return set_ocr(out, tok, nt, name, lineno, err);
    } else if (strcmp(kw, "range") == 0) {
        return set_range(out, tok, nt, name, lineno, err);
    } else {
        char what[160];
        snprintf(what, sizeof what, "unknown or incomplete line starting \"%.40s\"", kw);
        return form_fail(err, name, lineno, what);
    }
    return LR_OK;
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
    for (char *line = strtok_r(copy, "\n", &save); line && rc == LR_OK;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *tok[32];
        int nt = 0;
        char *s2 = NULL;
        for (char *t = strtok_r(line, " \t\r", &s2); t && nt < 32; t = strtok_r(NULL, " \t\r", &s2))
            tok[nt++] = t;
        if (nt > 0)
            rc = parse_line(out, tok, nt, name, lineno, err);
    }
    free(copy);
    if (rc < 0)
        lr_form_clear(out);
    else if (out->nmatch)
        out->title_lean = layout_script_lean(out->match[0]);
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
    if ((rc = lr_vocab_load(NULL, &fs->vocab, err)) < 0)
        goto done;
    /* The vocabulary enters the digest unless it is the one the settings hash stands for
     * without naming it (vocab.c): with that one, the digest is the form files' alone. */
    if (!vocab_is_baseline(fs->vocab))
        fprintf(digest, "vocab\n%s\n", lr_vocab_digest(fs->vocab));
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
