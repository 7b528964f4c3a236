/* image_util.h — helpers shared by the ingest tests: scratch paths, a TIFF writer that draws a
 * known picture in any sample layout libtiff can store, byte-level patching of TIFF tags, and
 * pixel probes that work at any PIX depth.
 *
 * The picture (in visual terms, before any encoding): white page; a black square at
 * SQ_X0..SQ_X1 × SQ_Y0..SQ_Y1; for colour layouts a red square at RED_*; where the layout has
 * an alpha channel, a transparent patch at CLEAR_* whose colour samples are black (so that
 * compositing over white and merely dropping the alpha give different answers). */
#ifndef IMAGE_UTIL_H
#define IMAGE_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <leptonica/allheaders.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include "landrec/digest.h"
#include "landrec/error.h"
#include "landrec/image.h"
#include "lr_test.h"

enum { SQ_X0 = 16, SQ_X1 = 48, SQ_Y0 = 8, SQ_Y1 = 40 };
enum { RED_X0 = 64, RED_X1 = 96, RED_Y0 = 8, RED_Y1 = 40 };
enum { CLEAR_X0 = 16, CLEAR_X1 = 48, CLEAR_Y0 = 56, CLEAR_Y1 = 72 };

typedef enum { V_WHITE, V_BLACK, V_RED, V_CLEAR } visual;

static inline visual picture_at(uint32_t x, uint32_t y, bool colour, bool alpha)
{
    if (x >= SQ_X0 && x < SQ_X1 && y >= SQ_Y0 && y < SQ_Y1)
        return V_BLACK;
    if (colour && x >= RED_X0 && x < RED_X1 && y >= RED_Y0 && y < RED_Y1)
        return V_RED;
    if (alpha && x >= CLEAR_X0 && x < CLEAR_X1 && y >= CLEAR_Y0 && y < CLEAR_Y1)
        return V_CLEAR;
    return V_WHITE;
}

/* ---- scratch files ---------------------------------------------------------------------- */

static char util_dir[1024];

/* Creates LR_TEST_TMP/<name>/ for this program (tests run in parallel). */
static inline void util_init(const char *name)
{
    snprintf(util_dir, sizeof util_dir, "%s/%s", lr_test_tmp_dir(), name);
    mkdir(lr_test_tmp_dir(), 0755);
    mkdir(util_dir, 0755);
}

/* Path of a scratch file; returns a static buffer from a small ring. */
static inline const char *tmp(const char *file)
{
    static char ring[8][1200];
    static int next;
    char *p = ring[next++ % 8];
    snprintf(p, sizeof ring[0], "%s/%s", util_dir, file);
    return p;
}

static inline int write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

static inline unsigned char *read_all(const char *path, size_t *out_n)
{
    *out_n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        *out_n = (size_t)n;
    return buf;
}

/* ---- TIFF writer ------------------------------------------------------------------------ */

typedef struct tiff_spec {
    uint32_t width, height;  /* default 128 × 96 */
    uint16_t bps;            /* default 8 */
    uint16_t photometric;    /* MINISWHITE, MINISBLACK, RGB, PALETTE, SEPARATED, YCBCR ... */
    uint16_t compression;    /* default none */
    uint16_t planar;         /* default contig */
    uint16_t extra;          /* 0, or EXTRASAMPLE_ASSOCALPHA / _UNASSALPHA: one alpha sample */
    bool extra_unspecified;  /* one extra sample of unspecified meaning (all zero) */
    uint32_t tile;           /* 0 for strips, else square tiles of this size */
    uint32_t rows_per_strip; /* 0: libtiff's default */
    uint16_t orientation;    /* 0: no tag */
    float xres, yres;        /* 0: no tag */
    uint16_t resunit;        /* 0: inch when xres/yres are set */
    uint16_t sampleformat;   /* 0: no tag */
    int jpeg_quality;        /* 0: libtiff default */
} tiff_spec;

static inline uint16_t spec_colour_samples(const tiff_spec *s)
{
    switch (s->photometric) {
    case PHOTOMETRIC_RGB:
    case PHOTOMETRIC_YCBCR:
    case PHOTOMETRIC_CIELAB: return 3;
    case PHOTOMETRIC_SEPARATED: return 4;
    }
    return 1;
}

static inline bool spec_is_colour(const tiff_spec *s)
{
    return s->photometric != PHOTOMETRIC_MINISWHITE && s->photometric != PHOTOMETRIC_MINISBLACK &&
           !(s->photometric == PHOTOMETRIC_PALETTE && s->bps < 2);
}

/* The raw value of sample smp of pixel (x, y) for the spec's encoding. */
static inline unsigned spec_sample(const tiff_spec *s, uint32_t x, uint32_t y, int smp)
{
    unsigned max = (1u << s->bps) - 1;
    visual v = picture_at(x, y, spec_is_colour(s), s->extra != 0);
    uint16_t nc = spec_colour_samples(s);
    if (smp >= nc) /* alpha, or an unspecified extra sample */
        return v == V_CLEAR ? 0 : s->extra_unspecified ? 0 : max;
    if (v == V_CLEAR)
        v = V_BLACK; /* colour under the transparent patch */
    switch (s->photometric) {
    case PHOTOMETRIC_MINISWHITE: return v == V_BLACK ? max : 0;
    case PHOTOMETRIC_MINISBLACK: return v == V_BLACK ? 0 : max;
    case PHOTOMETRIC_PALETTE: return v == V_WHITE ? 0 : v == V_BLACK ? 1 : 2;
    case PHOTOMETRIC_SEPARATED: /* c m y k */
        if (v == V_BLACK)
            return smp == 3 ? max : 0;
        if (v == V_RED)
            return smp == 1 || smp == 2 ? max : 0;
        return 0;
    default: /* rgb-like */
        if (v == V_BLACK)
            return 0;
        if (v == V_RED)
            return smp == 0 ? max : 0;
        return max;
    }
}

static inline void put_sample(uint8_t *row, size_t i, int bps, unsigned v)
{
    if (bps == 8) {
        row[i] = (uint8_t)v;
    } else if (bps == 16) {
        uint16_t w = (uint16_t)v;
        memcpy(row + 2 * i, &w, 2);
    } else {
        size_t bit = i * (size_t)bps;
        unsigned shift = 8u - (unsigned)bps - (unsigned)(bit & 7);
        row[bit >> 3] = (uint8_t)(row[bit >> 3] | (v << shift));
    }
}

static inline void spec_defaults(tiff_spec *s)
{
    if (!s->width)
        s->width = 128;
    if (!s->height)
        s->height = 96;
    if (!s->bps)
        s->bps = 8;
    if (!s->compression)
        s->compression = COMPRESSION_NONE;
    if (!s->planar)
        s->planar = PLANARCONFIG_CONTIG;
}

/* Writes one directory of the picture into an open TIFF. Returns 0 or -1. */
static inline int write_tiff_dir(TIFF *tif, tiff_spec s)
{
    spec_defaults(&s);
    uint16_t nc = spec_colour_samples(&s);
    uint16_t spp = (uint16_t)(nc + (s.extra || s.extra_unspecified ? 1 : 0));
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, s.width);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, s.height);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, s.bps);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, spp);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, s.photometric);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, s.compression);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, s.planar);
    if (s.extra || s.extra_unspecified) {
        uint16_t ex = s.extra_unspecified ? EXTRASAMPLE_UNSPECIFIED : s.extra;
        TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &ex);
    }
    if (s.orientation)
        TIFFSetField(tif, TIFFTAG_ORIENTATION, s.orientation);
    if (s.xres > 0)
        TIFFSetField(tif, TIFFTAG_XRESOLUTION, s.xres);
    if (s.yres > 0)
        TIFFSetField(tif, TIFFTAG_YRESOLUTION, s.yres);
    if (s.xres > 0 || s.yres > 0)
        TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, s.resunit ? s.resunit : RESUNIT_INCH);
    if (s.sampleformat)
        TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, s.sampleformat);
    if (s.photometric == PHOTOMETRIC_SEPARATED)
        TIFFSetField(tif, TIFFTAG_INKSET, INKSET_CMYK);
    uint16_t *map = NULL;
    if (s.photometric == PHOTOMETRIC_PALETTE) {
        size_t n = (size_t)1 << s.bps;
        map = calloc(3 * n, sizeof *map);
        uint16_t *r = map, *g = map + n, *b = map + 2 * n;
        for (size_t i = 0; i < n; i++)
            r[i] = g[i] = b[i] = 0x8080; /* unused entries: mid grey */
        r[0] = g[0] = b[0] = 0xffff;     /* white */
        r[1] = g[1] = b[1] = 0;          /* black */
        if (n > 2) {
            r[2] = 0xffff; /* red */
            g[2] = b[2] = 0;
        }
        TIFFSetField(tif, TIFFTAG_COLORMAP, r, g, b);
    }
    if (s.photometric == PHOTOMETRIC_YCBCR && s.compression != COMPRESSION_JPEG)
        TIFFSetField(tif, TIFFTAG_YCBCRSUBSAMPLING, 1, 1); /* samples laid out like RGB */
    if (s.compression == COMPRESSION_JPEG) {
        if (s.jpeg_quality)
            TIFFSetField(tif, TIFFTAG_JPEGQUALITY, s.jpeg_quality);
        if (s.photometric == PHOTOMETRIC_YCBCR)
            TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
    }
    if (s.tile) {
        TIFFSetField(tif, TIFFTAG_TILEWIDTH, s.tile);
        TIFFSetField(tif, TIFFTAG_TILELENGTH, s.tile);
    } else {
        TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP,
                     s.rows_per_strip ? s.rows_per_strip : TIFFDefaultStripSize(tif, 0));
    }

    int planes = s.planar == PLANARCONFIG_SEPARATE ? spp : 1;
    int per_plane = planes > 1 ? 1 : spp;
    int rc = 0;
    if (!s.tile) {
        size_t sl = (size_t)TIFFScanlineSize(tif);
        size_t ours = ((size_t)s.width * per_plane * s.bps + 7) / 8;
        size_t rowsize = (sl > ours ? sl : ours) + 8;
        uint8_t *row = malloc(rowsize);
        for (int p = 0; p < planes && rc == 0; p++)
            for (uint32_t y = 0; y < s.height && rc == 0; y++) {
                memset(row, 0, rowsize);
                for (uint32_t x = 0; x < s.width; x++)
                    for (int k = 0; k < per_plane; k++)
                        put_sample(row, (size_t)x * per_plane + k, s.bps,
                                   spec_sample(&s, x, y, planes > 1 ? p : k));
                if (TIFFWriteScanline(tif, row, y, (uint16_t)p) < 0)
                    rc = -1;
            }
        free(row);
    } else {
        tmsize_t ts = TIFFTileSize(tif);
        uint8_t *tile = malloc((size_t)ts);
        for (int p = 0; p < planes && rc == 0; p++)
            for (uint32_t ty = 0; ty < s.height && rc == 0; ty += s.tile)
                for (uint32_t tx = 0; tx < s.width && rc == 0; tx += s.tile) {
                    memset(tile, 0, (size_t)ts);
                    size_t trow = ((size_t)s.tile * per_plane * s.bps + 7) / 8;
                    for (uint32_t y = 0; y < s.tile; y++)
                        for (uint32_t x = 0; x < s.tile; x++)
                            for (int k = 0; k < per_plane; k++) {
                                uint32_t gx = tx + x, gy = ty + y;
                                unsigned v = gx < s.width && gy < s.height
                                                 ? spec_sample(&s, gx, gy, planes > 1 ? p : k)
                                                 : 0;
                                put_sample(tile + y * trow, (size_t)x * per_plane + k, s.bps, v);
                            }
                    if (TIFFWriteTile(tif, tile, tx, ty, 0, (uint16_t)p) < 0)
                        rc = -1;
                }
        free(tile);
    }
    free(map);
    if (rc == 0 && !TIFFWriteDirectory(tif))
        rc = -1;
    return rc;
}

static inline int write_tiff_pages(const char *path, const tiff_spec *specs, int n)
{
    TIFF *tif = TIFFOpen(path, "w");
    if (!tif)
        return -1;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = write_tiff_dir(tif, specs[i]);
    TIFFClose(tif);
    return rc;
}

static inline int write_tiff(const char *path, tiff_spec s)
{
    return write_tiff_pages(path, &s, 1);
}

/* ---- byte-level TIFF patching (classic little-endian files, as libtiff writes here) ----- */

static inline uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint16_t rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* Rewrites a single-valued tag of directory dir (0-based) as LONG value. Returns 0 or -1. */
static inline int tiff_patch_tag(const char *path, int dir, uint16_t tag, uint32_t value)
{
    size_t n;
    unsigned char *b = read_all(path, &n);
    int rc = -1;
    if (!b || n < 8 || b[0] != 'I')
        goto out;
    uint32_t off = rd32(b + 4);
    for (int d = 0; d < dir && off; d++) {
        if (off + 2 > n)
            goto out;
        off = rd32(b + off + 2 + 12 * rd16(b + off));
    }
    if (!off || off + 2 > n)
        goto out;
    uint16_t count = rd16(b + off);
    for (uint16_t i = 0; i < count; i++) {
        unsigned char *e = b + off + 2 + 12 * i;
        if (rd16(e) == tag && rd32(e + 4) == 1) {
            e[2] = 4; /* LONG */
            e[3] = 0;
            wr32(e + 8, value);
            rc = write_bytes(path, b, n);
            break;
        }
    }
out:
    free(b);
    return rc;
}

/* Rewrites the "next directory" offset of directory dir (0-based). Returns 0 or -1. */
static inline int tiff_patch_next(const char *path, int dir, uint32_t value)
{
    size_t n;
    unsigned char *b = read_all(path, &n);
    int rc = -1;
    if (!b || n < 8 || b[0] != 'I')
        goto out;
    uint32_t off = rd32(b + 4);
    for (int d = 0; d < dir && off; d++) {
        if (off + 2 > n)
            goto out;
        off = rd32(b + off + 2 + 12 * rd16(b + off));
    }
    if (!off || off + 2 > n)
        goto out;
    wr32(b + off + 2 + 12 * rd16(b + off), value);
    rc = write_bytes(path, b, n);
out:
    free(b);
    return rc;
}

/* Overwrites n bytes at offset off of the file with byte v. */
static inline int overwrite_bytes(const char *path, uint64_t off, size_t n, unsigned char v)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    unsigned char buf[256];
    memset(buf, v, sizeof buf);
    int rc = 0;
    while (n > 0 && rc == 0) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        if (pwrite(fd, buf, k, (off_t)off) != (ssize_t)k)
            rc = -1;
        off += k;
        n -= k;
    }
    close(fd);
    return rc;
}

/* Offset and byte count of strip 0 of directory dir, via libtiff. */
static inline int tiff_strip0(const char *path, int dir, uint64_t *off, uint64_t *count)
{
    TIFF *tif = TIFFOpen(path, "r");
    if (!tif)
        return -1;
    int rc = -1;
    if (TIFFSetDirectory(tif, (tdir_t)dir)) {
        *off = TIFFGetStrileOffset(tif, 0);
        *count = TIFFGetStrileByteCount(tif, 0);
        rc = 0;
    }
    TIFFClose(tif);
    return rc;
}

/* ---- pixel probes ----------------------------------------------------------------------- */

/* r, g, b of pixel (x, y) at any supported depth (1 bpp: 1 is black). */
static inline void probe(PIX *pix, int x, int y, int *r, int *g, int *b)
{
    l_uint32 v = 0;
    *r = *g = *b = -1;
    if (!pix || pixGetPixel(pix, x, y, &v))
        return;
    switch (pixGetDepth(pix)) {
    case 1: *r = *g = *b = v ? 0 : 255; break;
    case 8: *r = *g = *b = (int)v; break;
    case 32:
        *r = (int)(v >> L_RED_SHIFT & 0xff);
        *g = (int)(v >> L_GREEN_SHIFT & 0xff);
        *b = (int)(v >> L_BLUE_SHIFT & 0xff);
        break;
    }
}

static inline bool near(int v, int want, int tol)
{
    return v >= want - tol && v <= want + tol;
}

static inline bool is_black(PIX *pix, int x, int y, int tol)
{
    int r, g, b;
    probe(pix, x, y, &r, &g, &b);
    return near(r, 0, tol) && near(g, 0, tol) && near(b, 0, tol);
}

static inline bool is_white(PIX *pix, int x, int y, int tol)
{
    int r, g, b;
    probe(pix, x, y, &r, &g, &b);
    return near(r, 255, tol) && near(g, 255, tol) && near(b, 255, tol);
}

static inline bool is_red(PIX *pix, int x, int y, int tol)
{
    int r, g, b;
    probe(pix, x, y, &r, &g, &b);
    return near(r, 255, tol) && near(g, 0, tol) && near(b, 0, tol);
}

/* Number of pixels of the whole page that disagree with the picture (black/white only,
 * red counted as non-white), for a page in the upright orientation. */
static inline long count_wrong(PIX *pix, bool colour, bool alpha, int tol)
{
    long wrong = 0;
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            visual v = picture_at((uint32_t)x, (uint32_t)y, colour, alpha);
            bool ok = v == V_BLACK ? is_black(pix, x, y, tol)
                      : v == V_RED ? is_red(pix, x, y, tol)
                                   : is_white(pix, x, y, tol);
            if (!ok)
                wrong++;
        }
    return wrong;
}

#endif
