/* report.c — the rescan list written out (qa.h): CSV for programs and spreadsheets, one HTML
 * page with a thumbnail of each page for people. */
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/image.h"
#include "landrec/qa.h"

/* ---- CSV --------------------------------------------------------------------------------- */

/* A field quoted when it holds a comma, a quote or a line break (RFC 4180). */
static void csv_field(FILE *out, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int lr_qa_write_csv(const lr_qa_findings *list, FILE *out, lr_error *err)
{
    fputs("page,path,check,value,threshold,reason\r\n", out);
    for (size_t i = 0; i < list->n; i++) {
        const lr_qa_finding *f = &list->v[i];
        fprintf(out, "%d,", f->page);
        const char *rest[5] = {f->path, f->check, f->value, f->threshold, f->reason};
        for (int k = 0; k < 5; k++) {
            csv_field(out, rest[k]);
            fputs(k < 4 ? "," : "\r\n", out);
        }
    }
    if (fflush(out) != 0 || ferror(out))
        return lr_error_set(err, LR_ERR_IO, "could not write the CSV report");
    return LR_OK;
}

/* ---- HTML -------------------------------------------------------------------------------- */

static void html_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

static void base64(FILE *out, const unsigned char *d, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        fputc(tab[(v >> 18) & 63], out);
        fputc(tab[(v >> 12) & 63], out);
        fputc(i + 1 < n ? tab[(v >> 6) & 63] : '=', out);
        fputc(i + 2 < n ? tab[v & 63] : '=', out);
    }
}

/* A JPEG of page of the file at path, LR_QA_THUMB_PX on its long side, as it was delivered
 * (not turned nor straightened: the thumbnail shows what the scanner made). NULL when the
 * file cannot be read. Caller frees. */
static l_uint8 *thumbnail_jpeg(const char *path, int page, size_t *out_size)
{
    lr_source *src = NULL;
    PIX *pix = NULL, *small = NULL, *grey = NULL;
    l_uint8 *data = NULL;
    *out_size = 0;
    if (lr_image_open(path, NULL, &src, NULL, NULL) < 0)
        return NULL;
    if (lr_image_read_page(src, page > 0 ? page : 1, &pix, NULL, NULL) < 0)
        goto done;
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    float scale = (float)LR_QA_THUMB_PX / (float)(w > h ? w : h);
    if (pixGetDepth(pix) == 1) /* a bitonal page reduced to grey keeps its strokes visible */
        small = pixScaleToGray(pix, scale < 1.0f ? scale : 1.0f);
    else
        small = pixScale(pix, scale < 1.0f ? scale : 1.0f, scale < 1.0f ? scale : 1.0f);
    if (!small)
        goto done;
    grey = pixGetDepth(small) == 8 || pixGetDepth(small) == 32 ? pixClone(small)
                                                               : pixConvertTo8(small, 0);
    size_t size = 0;
    if (grey && pixWriteMemJpeg(&data, &size, grey, 80, 0) == 0)
        *out_size = size;
done:
    pixDestroy(&grey);
    pixDestroy(&small);
    pixDestroy(&pix);
    lr_image_close(&src);
    return data;
}

static void html_thumbnail(FILE *out, const lr_qa_finding *f)
{
    size_t size = 0;
    l_uint8 *jpeg = thumbnail_jpeg(f->path_raw ? f->path_raw : f->path, f->page, &size);
    if (!jpeg) {
        fputs("<span class=\"none\">no image: the file could not be read</span>", out);
        return;
    }
    fputs("<img alt=\"page ", out);
    fprintf(out, "%d of ", f->page);
    html_text(out, f->path);
    fputs("\" src=\"data:image/jpeg;base64,", out);
    base64(out, jpeg, size);
    fputs("\">", out);
    lept_free(jpeg);
}

static bool same_page(const lr_qa_finding *a, const lr_qa_finding *b)
{
    return a->page == b->page && strcmp(a->path, b->path) == 0;
}

int lr_qa_write_html(const lr_qa_findings *list, const char *title, FILE *out, lr_error *err)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    html_text(out, title);
    fputs("</title>\n<style>\n"
          "body { font-family: sans-serif; margin: 1em; }\n"
          "table { border-collapse: collapse; }\n"
          "th, td { border: 1px solid #999; padding: 0.2em 0.5em; vertical-align: top; }\n"
          "td.thumb img { max-width: 200px; max-height: 200px; }\n"
          ".none { color: #777; }\n"
          "</style>\n</head>\n<body>\n<h1>",
          out);
    html_text(out, title);
    fprintf(out, "</h1>\n<p>%zu finding(s).</p>\n", list->n);
    if (list->n > 0)
        fputs("<table>\n<thead><tr><th>image</th><th>path</th><th>page</th><th>check</th>"
              "<th>measured</th><th>threshold</th><th>reason</th></tr></thead>\n<tbody>\n",
              out);
    for (size_t i = 0; i < list->n; i++) {
        const lr_qa_finding *f = &list->v[i];
        fputs("<tr>", out);
        if (i == 0 || !same_page(f, &list->v[i - 1])) {
            size_t rows = 1;
            while (i + rows < list->n && same_page(f, &list->v[i + rows]))
                rows++;
            fprintf(out, "<td class=\"thumb\" rowspan=\"%zu\">", rows);
            html_thumbnail(out, f);
            fputs("</td>", out);
        }
        const char *cells[6] = {f->path, NULL, f->check, f->value, f->threshold, f->reason};
        for (int k = 0; k < 6; k++) {
            fputs("<td>", out);
            if (k == 1)
                fprintf(out, "%d", f->page);
            else
                html_text(out, cells[k]);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    if (list->n > 0)
        fputs("</tbody>\n</table>\n", out);
    fputs("</body>\n</html>\n", out);
    if (fflush(out) != 0 || ferror(out))
        return lr_error_set(err, LR_ERR_IO, "could not write the HTML report");
    return LR_OK;
}
