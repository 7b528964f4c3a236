/* jpeg.c — JPEG: the markers checked at open (img_jpeg_parse, our own parser) and the page
 * decoded with libjpeg (img_jpeg_read).
 *
 * libjpeg is called directly, not through Leptonica's reader, so that its errors and warnings
 * come to us (Leptonica installs no message handlers, and libjpeg then prints on stderr). The
 * decoder builds the PIX that Leptonica's reader would; img_read_single_page then normalises
 * it. All the state a longjmp must leave intact is in a struct owned by the caller of the
 * function that calls setjmp.
 */
#include "image_internal.h"

#include <errno.h>
#include <leptonica/allheaders.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h> /* after stdio.h, which it needs */

/* Markers (ITU T.81, table B.1): the second byte after 0xff. */
enum {
    MARKER_TEM = 0x01,  /* no length */
    MARKER_SOF0 = 0xc0, /* SOF0..SOF15 are 0xc0..0xcf less DHT, JPG and DAC */
    MARKER_DHT = 0xc4,
    MARKER_JPG = 0xc8,
    MARKER_DAC = 0xcc,
    MARKER_SOF15 = 0xcf,
    MARKER_RST0 = 0xd0, /* RST0..RST7 and SOI have no length */
    MARKER_SOI = 0xd8,
    MARKER_EOI = 0xd9,
    MARKER_SOS = 0xda,
    MARKER_APP0 = 0xe0,
    MARKER_FILL = 0xff,
};

#define JPEG_SOI_LEN 2         /* the markers start after SOI */
#define JPEG_SEGMENT_PEEK 16   /* bytes of a segment read: enough for SOF and JFIF */
#define JPEG_SOF_MIN 6         /* precision, height, width, number of components */
#define JPEG_JFIF_MIN 12       /* "JFIF\0", version, unit, x and y density */
#define JPEG_EOI_WINDOW 65536  /* the end-of-image marker is looked for in this many last bytes */
#define CM_PER_INCH 2.54

/* ---------------------------------------------------------------------------------------- */
/* Structure                                                                                 */
/* ---------------------------------------------------------------------------------------- */

static int read_failed(lr_error *err)
{
    return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
}

static bool is_sof(uint8_t t)
{
    return t >= MARKER_SOF0 && t <= MARKER_SOF15 && t != MARKER_DHT && t != MARKER_JPG &&
           t != MARKER_DAC;
}

/* A frame header (marker t, its first bytes d): size and samples, refusing the codings and
 * sample layouts that are not read. */
static int parse_sof(uint8_t t, const unsigned char *d, struct img_header *hd, lr_error *err)
{
    /* lossless (SOF3, 7, 11, 15) and hierarchical (SOF5, 6, 7, 13, 14, 15) */
    if (t == 0xc3 || t == 0xc5 || t == 0xc6 || t == 0xc7 || t == 0xcb || t >= 0xcd) {
        int rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported jpeg: lossless or "
                                                       "hierarchical coding");
        lr_error_detail(err, "Frame marker 0x%02x; landrec reads baseline, extended "
                             "and progressive JPEG.", t);
        return rc;
    }
    hd->bps = d[0];
    hd->height = img_be16(d + 1);
    hd->width = img_be16(d + 3);
    hd->spp = d[5];
    hd->cmyk = d[5] == 4;
    if (hd->bps != 8 || (hd->spp != 1 && hd->spp != 3 && hd->spp != 4)) {
        int rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported jpeg: %d-bit "
                                                       "samples, %d components",
                              hd->bps, hd->spp);
        lr_error_detail(err, "landrec reads 8-bit JPEG with 1, 3 or 4 components.");
        return rc;
    }
    if (hd->height == 0) {
        int rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported jpeg: height "
                                                       "defined by a DNL marker");
        return rc;
    }
    return LR_OK;
}

/* An APP0 JFIF segment's density: the resolution, when its unit is the inch or the cm. */
static void parse_jfif(const unsigned char *d, struct img_header *hd)
{
    uint32_t x = img_be16(d + 8), y = img_be16(d + 10);
    if (d[7] == 1 || d[7] == 2) {
        double f = d[7] == 2 ? CM_PER_INCH : 1.0;
        hd->have_res = true;
        hd->xres = x * f;
        hd->yres = y * f;
    } else if (x > 1 || y > 1) {
        hd->why_no_res = "resolution unit is \"none\" (aspect ratio only)";
    }
}

/* An end-of-image marker in the last JPEG_EOI_WINDOW bytes: in entropy-coded data 0xff is
 * always followed by 0x00 or a restart marker, so ff d9 there can only be the real end. */
static int check_eoi(int fd, uint64_t size, lr_error *err)
{
    size_t n = size < JPEG_EOI_WINDOW ? (size_t)size : JPEG_EOI_WINDOW;
    unsigned char *tail = malloc(n);
    if (!tail)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    bool ok = img_read_at(fd, tail, n, size - n), eoi = false;
    for (size_t i = n - 1; ok && i > 0 && !eoi; i--)
        eoi = tail[i - 1] == 0xff && tail[i] == MARKER_EOI;
    free(tail);
    if (!ok)
        return read_failed(err);
    if (!eoi)
        return img_set_truncated(err, "jpeg", "The file (%llu bytes) has no end-of-image marker.",
                                 (unsigned long long)size);
    return LR_OK;
}

/* The markers up to the start of scan (SOF for the size, APP0 JFIF for the resolution), then
 * check_eoi. */
int img_jpeg_parse(int fd, int64_t fsize, struct img_header *hd, lr_error *err)
{
    uint64_t off = JPEG_SOI_LEN, size = (uint64_t)fsize;
    unsigned char m[4], d[JPEG_SEGMENT_PEEK];
    bool have_sof = false;
    for (;;) {
        if (off + 2 > size)
            return img_set_truncated(err, "jpeg", "The file ends at byte %llu inside its "
                                                  "header.", (unsigned long long)size);
        if (!img_read_at(fd, m, 2, off))
            return read_failed(err);
        if (m[0] != 0xff) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt jpeg: invalid marker");
            lr_error_detail(err, "No marker at byte %llu.", (unsigned long long)off);
            return rc;
        }
        if (m[1] == MARKER_FILL) {
            off++;
            continue;
        }
        if (m[1] == MARKER_TEM || (m[1] >= MARKER_RST0 && m[1] <= MARKER_SOI)) { /* no length */
            off += 2;
            continue;
        }
        if (m[1] == MARKER_EOI) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt jpeg: no image data");
            lr_error_detail(err, "End-of-image marker at byte %llu, before any scan.",
                            (unsigned long long)off);
            return rc;
        }
        if (off + 4 > size || !img_read_at(fd, m + 2, 2, off + 2))
            return img_set_truncated(err, "jpeg", "The file ends at byte %llu inside its "
                                                  "header.", (unsigned long long)size);
        uint32_t len = img_be16(m + 2);
        if (len < 2 || off + 2 + len > size)
            return img_set_truncated(err, "jpeg", "Marker 0x%02x at byte %llu needs %llu bytes; "
                                                  "the file has %llu.", m[1],
                                     (unsigned long long)off,
                                     (unsigned long long)(off + 2 + len),
                                     (unsigned long long)size);
        uint8_t t = m[1];
        if (t == MARKER_SOS) /* the header is over */
            break;
        size_t n = len - 2 < sizeof d ? len - 2 : sizeof d;
        if (!img_read_at(fd, d, n, off + 4))
            return read_failed(err);
        if (is_sof(t) && n >= JPEG_SOF_MIN) {
            int rc = parse_sof(t, d, hd, err);
            if (rc)
                return rc;
            have_sof = true;
        } else if (t == MARKER_APP0 && n >= JPEG_JFIF_MIN && memcmp(d, "JFIF", 5) == 0) {
            parse_jfif(d, hd);
        }
        off += 2 + len;
    }
    if (!have_sof) {
        int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt jpeg: no frame header");
        lr_error_detail(err, "No SOF marker before the start of scan.");
        return rc;
    }
    return check_eoi(fd, size, err);
}

/* ---------------------------------------------------------------------------------------- */
/* Decoding (libjpeg)                                                                        */
/* ---------------------------------------------------------------------------------------- */

typedef struct jpeg_job {
    struct jpeg_error_mgr mgr; /* first: libjpeg hands it back as cinfo->err */
    jmp_buf jmp;
    struct jpeg_decompress_struct cinfo;
    bool created;
    FILE *fp;
    PIX *pix;
    JSAMPROW row;
    int warnings_read; /* -1 until the last scanline is read; warnings after it are not fatal */
    char message[JMSG_LENGTH_MAX]; /* the error, else the first warning */
    char late[JMSG_LENGTH_MAX];    /* the first warning after the last scanline */
    bool unsupported;
} jpeg_job;

static void jpeg_on_error(j_common_ptr cinfo)
{
    jpeg_job *j = (jpeg_job *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, j->message);
    longjmp(j->jmp, 1);
}

static void jpeg_on_message(j_common_ptr cinfo, int level)
{
    if (level >= 0)
        return; /* trace messages */
    jpeg_job *j = (jpeg_job *)cinfo->err;
    if (j->warnings_read >= 0) { /* after the last scanline */
        if (!j->late[0])
            (*cinfo->err->format_message)(cinfo, j->late);
    } else if (j->mgr.num_warnings == 0) {
        (*cinfo->err->format_message)(cinfo, j->message);
    }
    j->mgr.num_warnings++;
}

static void jpeg_on_output(j_common_ptr cinfo)
{
    (void)cinfo; /* nothing is ever printed */
}

/* Decodes into j->pix what Leptonica's pixReadStreamJpeg(fp, 0, 1, &nwarn, 0) made: 8 bpp grey,
 * or 32 bpp RGB, CMYK and YCCK converted naively; a warning while reading the scanlines stops
 * the decoding (damaged data). Grey and RGB scanlines are decoded straight into the PIX rows
 * (libjpeg-turbo writes RGB in PIX word order, with alpha byte 255 where Leptonica left 0;
 * an RGB PIX has spp 3, so the byte is not read). 0, or -1 with j->message set. */
static int jpeg_decode(jpeg_job *j)
{
    if (setjmp(j->jmp))
        return -1;
    struct jpeg_decompress_struct *ci = &j->cinfo;
    jpeg_create_decompress(ci);
    j->created = true;
    jpeg_stdio_src(ci, j->fp);
    jpeg_read_header(ci, TRUE);
    jpeg_calc_output_dimensions(ci);
    int spp = ci->out_color_components;
    bool cmyk = spp == 4 && (ci->jpeg_color_space == JCS_YCCK || ci->jpeg_color_space == JCS_CMYK);
    if (spp != 1 && spp != 3 && !cmyk) {
        snprintf(j->message, sizeof j->message, "%d components in colour space %d", spp,
                 (int)ci->jpeg_color_space);
        j->unsupported = true;
        return -1;
    }
    bool direct = spp == 1;
#ifdef JCS_EXTENSIONS
    if (spp == 3) { /* a PIX word is 0xRRGGBBAA in host order */
        ci->out_color_space =
            __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? JCS_EXT_XBGR : JCS_EXT_RGBX;
        direct = true;
    }
#endif
    uint32_t w = ci->output_width, h = ci->output_height;
    j->pix = pixCreate((l_int32)w, (l_int32)h, spp == 1 ? 8 : 32);
    if (!j->pix || (!direct && !(j->row = malloc((size_t)spp * w)))) {
        snprintf(j->message, sizeof j->message, "out of memory");
        return -1;
    }
    pixSetInputFormat(j->pix, IFF_JFIF_JPEG);
    jpeg_start_decompress(ci);
    l_uint32 *data = pixGetData(j->pix);
    int wpl = pixGetWpl(j->pix);
    for (uint32_t y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * (size_t)wpl;
        JSAMPROW out = direct ? (JSAMPROW)line : j->row;
        if (jpeg_read_scanlines(ci, &out, 1) != 1) {
            snprintf(j->message, sizeof j->message, "no data for scanline %u of %u", y, h);
            return -1;
        }
        if (j->mgr.num_warnings > 0)
            return -1; /* j->message holds the first */
        if (direct)
            continue;
        const JSAMPLE *s = j->row;
        if (spp == 3) {
            for (uint32_t x = 0; x < w; x++, s += 3)
                line[x] = (l_uint32)s[0] << 24 | (l_uint32)s[1] << 16 | (l_uint32)s[2] << 8;
            continue;
        }
        /* Adobe writers store CMY inverted (but not K): invert back (Leptonica's rule) */
        bool adobe = ci->saw_Adobe_marker;
        for (uint32_t x = 0; x < w; x++, s += 4) {
            int c = s[0], m = s[1], ye = s[2], k = s[3];
            int r = adobe ? k * c / 255 : k * (255 - c) / 255;
            int g = adobe ? k * m / 255 : k * (255 - m) / 255;
            int b = adobe ? k * ye / 255 : k * (255 - ye) / 255;
            line[x] = (l_uint32)r << 24 | (l_uint32)g << 16 | (l_uint32)b << 8;
        }
    }
    if (spp == 1)
        pixEndianByteSwap(j->pix); /* grey rows were written as bytes */
    pixSetPadBits(j->pix, 0);
    j->warnings_read = (int)j->mgr.num_warnings;
    jpeg_finish_decompress(ci);
    return 0;
}

int img_jpeg_read(FILE *fp, PIX **out_pix, lr_page_info *info, lr_error *err)
{
    jpeg_job *j = calloc(1, sizeof *j);
    if (!j)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory for page 1");
    j->fp = fp;
    j->warnings_read = -1;
    j->cinfo.err = jpeg_std_error(&j->mgr);
    j->mgr.error_exit = jpeg_on_error;
    j->mgr.emit_message = jpeg_on_message;
    j->mgr.output_message = jpeg_on_output;
    int rc = LR_OK;
    if (jpeg_decode(j) != 0) {
        if (j->unsupported) {
            rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported jpeg: %s", j->message);
        } else {
            rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt jpeg: the image data could not be "
                                                   "decoded");
            lr_error_detail(err, "libjpeg: %s", j->message[0] ? j->message : "unknown error");
        }
        pixDestroy(&j->pix);
    } else {
        if (j->late[0])
            img_add_warning(info->warning, sizeof info->warning, "libjpeg: %s", j->late);
        *out_pix = j->pix;
        j->pix = NULL;
    }
    if (j->created)
        jpeg_destroy_decompress(&j->cinfo);
    free(j->row);
    free(j);
    return rc;
}
