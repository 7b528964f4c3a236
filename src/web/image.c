/* image.c — the page images of "landrec serve": a run's view derivative as it is, its
 * thumbnail, and a review item's cell cut from it. Images are found by id through the
 * database, never by a path from the request. */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/file.h"
#include "landrec/log.h"
#include "web_internal.h"

#define THUMB_WIDTH 120
/* Pixels of page around a cell in its crop, so the reviewer sees the ruling. */
#define CROP_MARGIN 16

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

static void send_file(web_req *r, const char *path, const char *ctype)
{
    char *data = NULL;
    size_t len = 0;
    int rc = lr_file_read_all(path, &data, &len, NULL);
    if (rc == LR_ERR_NOMEM)
        web_send_error(r, 500, "out of memory");
    else if (rc != LR_OK)
        web_send_error(r, 404, "the page image is missing on the server");
    else {
        r->cacheable = true;
        web_send(r, 200, ctype, data, len, NULL);
    }
    free(data);
}

static void send_png(web_req *r, PIX *pix)
{
    l_uint8 *data = NULL;
    size_t size = 0;
    if (!pix || pixWriteMem(&data, &size, pix, IFF_PNG) != 0) {
        web_send_error(r, 500, "could not draw the image");
        return;
    }
    r->cacheable = true;
    web_send(r, 200, "image/png", data, size, NULL);
    lept_free(data);
}

/* A JPEG view read at an eighth of its size (libjpeg scales while decoding): a thumbnail of
 * a whole page costs a few milliseconds. */
static PIX *read_small(const char *path)
{
    if (ends_with(path, ".jpg") || ends_with(path, ".jpeg")) {
        l_int32 nwarn = 0;
        PIX *pix = pixReadJpeg(path, 0, 8, &nwarn, 0);
        if (pix)
            return pix;
    }
    return pixRead(path);
}

/* The run's view path, or NULL after answering 404. Caller frees. */
static char *view_path(web_req *r, int64_t id)
{
    char *path = NULL;
    lr_error err;
    lr_error_clear(&err);
    if (lr_web_view_path(r->st, id, &path, &err) < 0 || !path) {
        free(path);
        web_send_error(r, 404, "no page image for run %lld", (long long)id);
        return NULL;
    }
    return path;
}

static void thumbnail(web_req *r, int64_t id)
{
    char *path = view_path(r, id);
    if (!path)
        return;
    PIX *pix = read_small(path);
    free(path);
    PIX *small = pix ? pixScaleToSize(pix, THUMB_WIDTH, 0) : NULL;
    pixDestroy(&pix);
    if (!small) {
        web_send_error(r, 404, "the page image cannot be read");
        return;
    }
    send_png(r, small);
    pixDestroy(&small);
}

static void crop(web_req *r, int64_t item)
{
    char *path = NULL;
    int box[4];
    bool found = false;
    lr_error err;
    lr_error_clear(&err);
    if (lr_web_item_cell(r->st, item, &path, box, &found, &err) < 0 || !found || !path ||
        box[0] < 0) {
        free(path);
        web_send_error(r, 404, "no cell image for review item %lld", (long long)item);
        return;
    }
    PIX *pix = pixRead(path);
    free(path);
    if (!pix) {
        web_send_error(r, 404, "the page image cannot be read");
        return;
    }
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    int x0 = box[0] - CROP_MARGIN < 0 ? 0 : box[0] - CROP_MARGIN;
    int y0 = box[1] - CROP_MARGIN < 0 ? 0 : box[1] - CROP_MARGIN;
    int x1 = box[2] + CROP_MARGIN > w ? w : box[2] + CROP_MARGIN;
    int y1 = box[3] + CROP_MARGIN > h ? h : box[3] + CROP_MARGIN;
    BOX *b = x1 > x0 && y1 > y0 ? boxCreate(x0, y0, x1 - x0, y1 - y0) : NULL;
    PIX *cell = b ? pixClipRectangle(pix, b, NULL) : NULL;
    boxDestroy(&b);
    pixDestroy(&pix);
    if (!cell) {
        web_send_error(r, 404, "the cell lies outside the page image");
        return;
    }
    send_png(r, cell);
    pixDestroy(&cell);
}

static void view(web_req *r, int64_t id)
{
    char *path = view_path(r, id);
    if (!path)
        return;
    send_file(r, path,
              ends_with(path, ".png") ? "image/png" : ends_with(path, ".tif") ? "image/tiff"
                                                                              : "image/jpeg");
    free(path);
}

void web_image(web_req *r)
{
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        web_send_error(r, 405, "GET only");
        return;
    }
    if (!web_auth_require(r, LR_WEB_READER, false))
        return;
    int64_t id;
    if ((id = web_url_id(r, "/img/view/", ".jpg")) > 0)
        view(r, id);
    else if ((id = web_url_id(r, "/img/thumb/", ".png")) > 0)
        thumbnail(r, id);
    else if ((id = web_url_id(r, "/img/crop/", ".png")) > 0) {
        if (web_auth_require(r, LR_WEB_REVIEWER, false))
            crop(r, id);
    } else
        web_send_error(r, 404, "no such image");
}
