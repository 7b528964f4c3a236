/* png.c — PNG: the chunk chain checked at open (img_png_parse, our own parser: nothing is
 * decompressed) and the page decoded with libpng (img_png_read).
 *
 * libpng is called directly, not through Leptonica's reader, so that its errors and warnings
 * come to us (Leptonica installs no message handlers, and libpng then prints on stderr). The
 * decoder builds the PIX that Leptonica's reader would (same depth, colormap, alpha and
 * samples), writing its rows straight into the PIX; img_read_single_page then brings it to
 * depth 1, 8 or 32. All the state a longjmp must leave intact is in a struct owned by the
 * caller of the function that calls setjmp.
 */
#include "image_internal.h"

#include <errno.h>
#include <leptonica/allheaders.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* File layout (PNG specification, section 5). */
#define PNG_SIGNATURE_LEN 8     /* the chain starts after the signature */
#define PNG_CHUNK_HEAD_LEN 8    /* length and type */
#define PNG_CHUNK_OVERHEAD 12   /* length, type and CRC around the data */
#define PNG_CHUNK_MAX 0x7fffffffu /* largest data length the specification allows */
#define PNG_IHDR_LEN 13
#define PNG_PHYS_LEN 9
#define PNG_PHYS_UNIT_METRE 1   /* pHYs unit: pixels per metre */
#define METRES_PER_INCH 0.0254

#define OPAQUE 0xff /* the alpha byte libpng fills RGB rows with */

/* ---------------------------------------------------------------------------------------- */
/* Structure                                                                                 */
/* ---------------------------------------------------------------------------------------- */

static int read_failed(lr_error *err)
{
    return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
}

static bool chunk_type_ok(const unsigned char *type)
{
    for (int i = 0; i < 4; i++)
        if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z')))
            return false;
    return true;
}

/* The 13 bytes of IHDR: size, bit depth and colour type. */
static int parse_ihdr(const unsigned char *d, struct img_header *hd, lr_error *err)
{
    hd->width = img_be32(d);
    hd->height = img_be32(d + 4);
    hd->bps = d[8];
    switch (d[9]) { /* colour type */
    case 0: hd->spp = 1; break;
    case 2: hd->spp = 3; break;
    case 3: hd->spp = 1; hd->palette = true; break;
    case 4: hd->spp = 2; break;
    case 6: hd->spp = 4; break;
    default: {
        int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: invalid colour type");
        lr_error_detail(err, "Colour type %u.", d[9]);
        return rc;
    }
    }
    if (hd->bps != 1 && hd->bps != 2 && hd->bps != 4 && hd->bps != 8 && hd->bps != 16) {
        int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: invalid bit depth");
        lr_error_detail(err, "Bit depth %d.", hd->bps);
        return rc;
    }
    return LR_OK;
}

/* The 9 bytes of pHYs: the resolution, when its unit is the metre. */
static void parse_phys(const unsigned char *d, struct img_header *hd)
{
    if (d[8] == PNG_PHYS_UNIT_METRE) {
        hd->have_res = true;
        hd->xres = img_be32(d) * METRES_PER_INCH;
        hd->yres = img_be32(d + 4) * METRES_PER_INCH;
    } else if (img_be32(d) > 1 || img_be32(d + 4) > 1) {
        hd->why_no_res = "resolution unit is \"none\" (aspect ratio only)";
    }
}

int img_png_parse(int fd, int64_t fsize, struct img_header *hd, lr_error *err)
{
    uint64_t off = PNG_SIGNATURE_LEN, size = (uint64_t)fsize;
    unsigned char h[PNG_CHUNK_HEAD_LEN], d[PNG_IHDR_LEN];
    bool first = true;
    for (;;) {
        if (off + PNG_CHUNK_OVERHEAD > size)
            return img_set_truncated(err, "png", "The file ends at byte %llu without an IEND "
                                                 "chunk.", (unsigned long long)size);
        if (!img_read_at(fd, h, sizeof h, off))
            return read_failed(err);
        uint32_t len = img_be32(h);
        if (!chunk_type_ok(h + 4)) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: invalid chunk");
            lr_error_detail(err, "No valid chunk type at byte %llu.", (unsigned long long)off);
            return rc;
        }
        uint64_t end = off + PNG_CHUNK_OVERHEAD + len;
        if (len > PNG_CHUNK_MAX || end > size)
            return img_set_truncated(err, "png", "Chunk \"%.4s\" at byte %llu needs %llu bytes; "
                                                 "the file has %llu.", (const char *)h + 4,
                                     (unsigned long long)off, (unsigned long long)end,
                                     (unsigned long long)size);
        bool ihdr = memcmp(h + 4, "IHDR", 4) == 0;
        if (first != ihdr || (ihdr && len != PNG_IHDR_LEN)) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: invalid header");
            lr_error_detail(err, "The first chunk must be a 13-byte IHDR.");
            return rc;
        }
        if (ihdr) {
            if (!img_read_at(fd, d, PNG_IHDR_LEN, off + PNG_CHUNK_HEAD_LEN))
                return read_failed(err);
            int rc = parse_ihdr(d, hd, err);
            if (rc)
                return rc;
        } else if (memcmp(h + 4, "pHYs", 4) == 0 && len == PNG_PHYS_LEN) {
            if (!img_read_at(fd, d, PNG_PHYS_LEN, off + PNG_CHUNK_HEAD_LEN))
                return read_failed(err);
            parse_phys(d, hd);
        } else if (memcmp(h + 4, "IEND", 4) == 0) {
            return LR_OK;
        }
        first = false;
        off = end;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Decoding (libpng)                                                                         */
/* ---------------------------------------------------------------------------------------- */

typedef struct png_job {
    FILE *fp;
    png_structp png;
    png_infop info;
    PIX *pix;
    png_bytep *rows;
    bool invalid_palette;
    char error[256];
    char warning[256]; /* the first */
} png_job;

static void png_on_error(png_structp png, png_const_charp msg)
{
    png_job *j = png_get_error_ptr(png);
    img_copy_trunc(j->error, sizeof j->error, msg ? msg : "unknown error");
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
    png_job *j = png_get_error_ptr(png);
    if (!j->warning[0])
        img_copy_trunc(j->warning, sizeof j->warning, msg ? msg : "");
}

/* Sets libpng's transformations so that its rows are PIX rows of depth *out_d with *out_spp
 * samples: 16-bit samples keep their high byte; 1-bit grey is inverted to Leptonica's
 * 1 = black; a palette with tRNS becomes RGBA; grey+alpha becomes RGBA; RGB gets alpha 255.
 * Returns the colour type the rows will have. May longjmp (libpng's errors). */
static int choose_layout(png_structp png, png_infop info, int *out_d, int *out_spp)
{
    int bits = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
    bool trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    bool le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
    int d = bits > 8 ? 8 : bits, spp = 1;
    if (bits == 16)
        png_set_strip_16(png);
    if (type == PNG_COLOR_TYPE_PALETTE && trns) {
        png_set_expand(png); /* RGB with the tRNS entries as alpha */
        type = PNG_COLOR_TYPE_RGB_ALPHA;
    } else if (type == PNG_COLOR_TYPE_GRAY_ALPHA) {
        png_set_gray_to_rgb(png);
        type = PNG_COLOR_TYPE_RGB_ALPHA;
    }
    if (type == PNG_COLOR_TYPE_RGB || type == PNG_COLOR_TYPE_RGB_ALPHA) {
        /* A PIX word is 0xRRGGBBAA in host order. */
        d = 32;
        spp = type == PNG_COLOR_TYPE_RGB ? 3 : 4;
        if (le)
            png_set_bgr(png);
        if (type == PNG_COLOR_TYPE_RGB)
            png_set_filler(png, OPAQUE, le ? PNG_FILLER_BEFORE : PNG_FILLER_AFTER);
        else if (le)
            png_set_swap_alpha(png);
    } else if (type == PNG_COLOR_TYPE_GRAY && bits == 1) {
        png_set_invert_mono(png);
    }
    *out_d = d;
    *out_spp = spp;
    return type;
}

/* The PNG's palette as the colormap of j->pix (depth d). 0, or -1 with j->error set. */
static int set_colormap(png_job *j, int d)
{
    png_colorp pal = NULL;
    int npal = 0;
    png_get_PLTE(j->png, j->info, &pal, &npal);
    PIXCMAP *cmap = pixcmapCreate(d);
    for (int i = 0; cmap && i < npal && i < (1 << d); i++)
        pixcmapAddColor(cmap, pal[i].red, pal[i].green, pal[i].blue);
    if (!cmap || pixSetColormap(j->pix, cmap) != 0) {
        pixcmapDestroy(&cmap);
        img_copy_trunc(j->error, sizeof j->error, "out of memory");
        return -1;
    }
    return 0;
}

/* Decodes into j->pix the PIX Leptonica's pixReadStreamPng would make, with one difference: a
 * tRNS colour key on a grey image is ignored, as it is (there and here) on an RGB image, where
 * Leptonica returns a fully transparent page. A palette without tRNS becomes a colormap.
 * 0, or -1 with j->error set. */
static int png_decode(png_job *j)
{
    if (setjmp(png_jmpbuf(j->png)))
        return -1;
    png_structp png = j->png;
    png_infop info = j->info;
    png_init_io(png, j->fp);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int d, spp;
    int type = choose_layout(png, info, &d, &spp);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);

    j->pix = pixCreate((l_int32)w, (l_int32)h, d);
    j->rows = malloc((size_t)h * sizeof *j->rows);
    if (!j->pix || !j->rows) {
        img_copy_trunc(j->error, sizeof j->error, "out of memory");
        return -1;
    }
    pixSetInputFormat(j->pix, IFF_PNG);
    pixSetSpp(j->pix, spp);
    if ((size_t)png_get_rowbytes(png, info) > (size_t)pixGetWpl(j->pix) * sizeof(l_uint32)) {
        img_copy_trunc(j->error, sizeof j->error, "unexpected row size");
        return -1;
    }
    if (type == PNG_COLOR_TYPE_PALETTE && set_colormap(j, d) != 0)
        return -1;
    l_uint32 *data = pixGetData(j->pix);
    int wpl = pixGetWpl(j->pix);
    for (png_uint_32 y = 0; y < h; y++)
        j->rows[y] = (png_bytep)(data + (size_t)y * (size_t)wpl);
    png_read_image(png, j->rows);
    png_read_end(png, NULL);
    if (d < 32)
        pixEndianByteSwap(j->pix); /* rows were written as bytes */
    pixSetPadBits(j->pix, 0);
    if (pixGetColormap(j->pix)) {
        l_int32 valid = 0;
        pixcmapIsValid(pixGetColormap(j->pix), j->pix, &valid);
        if (!valid) {
            j->invalid_palette = true;
            return -1;
        }
    }
    return 0;
}

int img_png_read(FILE *fp, PIX **out_pix, lr_page_info *info, lr_error *err)
{
    png_job *j = calloc(1, sizeof *j);
    if (!j)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory for page 1");
    j->fp = fp;
    int rc = LR_OK;
    j->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_on_error, png_on_warning);
    if (!j->png || !(j->info = png_create_info_struct(j->png))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory for page 1");
    } else if (png_decode(j) != 0) {
        rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: the image data could not be "
                                               "decoded");
        if (j->invalid_palette)
            lr_error_detail(err, "A pixel refers to a palette entry the palette does not "
                                 "have.");
        else
            lr_error_detail(err, "libpng: %s", j->error[0] ? j->error : "unknown error");
        pixDestroy(&j->pix);
    } else {
        *out_pix = j->pix;
        j->pix = NULL;
    }
    if (rc == LR_OK && j->warning[0])
        img_add_warning(info->warning, sizeof info->warning, "libpng: %s", j->warning);
    if (j->png)
        png_destroy_read_struct(&j->png, j->info ? &j->info : NULL, NULL);
    free(j->rows);
    free(j);
    return rc;
}

