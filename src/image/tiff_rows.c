/* tiff_rows.c — a TIFF page's pixels: its rows handed over one at a time (a scanline, or a
 * band of strips of separate planes or of tiles, decoded by libtiff into a buffer of one band),
 * each converted straight into its PIX line, and the Orientation tag applied to the result.
 */
#include "tiff_internal.h"

#include <stdlib.h>
#include <string.h>

enum { RR_SCANLINE = 1, RR_STRIPS, RR_TILES };

/* Tiles of more pixels than this are refused as unusable (a bogus tag). */
#define TIFF_MAX_TILE_PIXELS ((uint64_t)1 << 26)

void img_rr_free(row_reader *rr)
{
    free(rr->buf);
    free(rr->tile);
    rr->buf = rr->tile = NULL;
}

int img_rr_init(row_reader *rr, TIFF *tif, const tiff_page *tp, lr_error *err)
{
    memset(rr, 0, sizeof *rr);
    rr->tif = tif;
    rr->height = tp->height;
    rr->planes = tp->planes;
    rr->band_y0 = UINT32_MAX;
    uint64_t spp_plane = tp->planes > 1 ? 1 : tp->spp;
    /* Bytes of one row of one plane as we read it; libtiff's own figure may differ only
     * where it cannot, so take the larger and index by ours. */
    uint64_t ours = ((uint64_t)tp->width * spp_plane * tp->bps + 7) / 8;

    if (TIFFIsTiled(tif)) {
        uint32_t tw = 0, th = 0;
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
        rr->tile_bytes = TIFFTileSize(tif);
        rr->tile_row_bytes = TIFFTileRowSize(tif);
        if (tw == 0 || th == 0 || rr->tile_bytes <= 0 || rr->tile_row_bytes <= 0 ||
            (uint64_t)tw * th > TIFF_MAX_TILE_PIXELS || ((uint64_t)tw * spp_plane * tp->bps) % 8) {
            int rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff: unusable tile "
                                                           "size %u × %u", tw, th);
            return rc;
        }
        rr->mode = RR_TILES;
        rr->tile_w = tw;
        rr->tiles_across = (tp->width + tw - 1) / tw;
        rr->band_rows = th;
        rr->row_bytes = (size_t)rr->tile_row_bytes * rr->tiles_across;
        rr->tile = malloc((size_t)rr->tile_bytes);
        if (!rr->tile)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    } else {
        tmsize_t sl = TIFFScanlineSize(tif);
        if (sl <= 0) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: invalid scanline size");
            return rc;
        }
        rr->row_bytes = (size_t)((uint64_t)sl > ours ? (uint64_t)sl : ours);
        if (tp->planes == 1) {
            rr->mode = RR_SCANLINE;
            rr->band_rows = 1;
        } else {
            /* Reading separate planes scanline by scanline would restart the decoding of
             * each strip for every row; read whole strips of every plane instead. */
            uint32_t rps = tp->height;
            TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
            rr->mode = RR_STRIPS;
            rr->band_rows = rps == 0 || rps > tp->height ? tp->height : rps;
        }
    }
    if (rr->row_bytes < ours)
        rr->row_bytes = (size_t)ours;
    rr->buf = calloc((size_t)rr->planes * rr->band_rows, rr->row_bytes);
    if (!rr->buf)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    return LR_OK;
}

int img_rr_row(row_reader *rr, uint32_t y, const uint8_t **pl)
{
    if (rr->mode == RR_SCANLINE) {
        if (TIFFReadScanline(rr->tif, rr->buf, y, 0) < 0)
            return -1;
        pl[0] = rr->buf;
        return 0;
    }
    uint32_t y0 = y - y % rr->band_rows;
    if (rr->band_y0 != y0) {
        uint32_t nrows = rr->height - y0 < rr->band_rows ? rr->height - y0 : rr->band_rows;
        for (int p = 0; p < rr->planes; p++) {
            uint8_t *dst = rr->buf + (size_t)p * rr->band_rows * rr->row_bytes;
            if (rr->mode == RR_STRIPS) {
                uint32_t strip = TIFFComputeStrip(rr->tif, y0, (uint16_t)p);
                if (TIFFReadEncodedStrip(rr->tif, strip, dst,
                                         (tmsize_t)(nrows * rr->row_bytes)) < 0)
                    return -1;
            } else {
                for (uint32_t t = 0; t < rr->tiles_across; t++) {
                    if (TIFFReadTile(rr->tif, rr->tile, t * rr->tile_w, y0, 0, (uint16_t)p) < 0)
                        return -1;
                    for (uint32_t r = 0; r < nrows; r++)
                        memcpy(dst + r * rr->row_bytes + (size_t)t * rr->tile_row_bytes,
                               rr->tile + (size_t)r * rr->tile_row_bytes,
                               (size_t)rr->tile_row_bytes);
                }
            }
        }
        rr->band_y0 = y0;
    }
    for (int p = 0; p < rr->planes; p++)
        pl[p] = rr->buf + ((size_t)p * rr->band_rows + (y - y0)) * rr->row_bytes;
    return 0;
}

static inline unsigned get_sample(const tiff_page *tp, const uint8_t **pl, uint32_t x, int s)
{
    const uint8_t *p;
    size_t i;
    if (tp->planes == 1) {
        p = pl[0];
        i = (size_t)x * tp->spp + (size_t)s;
    } else {
        p = pl[s];
        i = x;
    }
    switch (tp->bps) {
    case 8: return p[i];
    case 16: {
        uint16_t v; /* libtiff has already swapped to host order */
        memcpy(&v, p + 2 * i, sizeof v);
        return v;
    }
    default: {
        size_t bit = i * tp->bps;
        unsigned shift = 8u - tp->bps - (unsigned)(bit & 7);
        return (p[bit >> 3] >> shift) & ((1u << tp->bps) - 1);
    }
    }
}

static inline unsigned to8(unsigned v, int bps)
{
    switch (bps) {
    case 1: return v ? 255 : 0;
    case 2: return v * 85;
    case 4: return v * 17;
    case 16: return (v * 255 + 32767) / 65535;
    }
    return v;
}

static inline unsigned over_white(unsigned v, unsigned a, bool assoc)
{
    if (assoc) {
        unsigned r = v + 255 - a;
        return r > 255 ? 255 : r;
    }
    return (v * a + 255 * (255 - a) + 127) / 255;
}

static inline l_uint32 rgb_word(unsigned r, unsigned g, unsigned b)
{
    return (l_uint32)r << L_RED_SHIFT | (l_uint32)g << L_GREEN_SHIFT | (l_uint32)b << L_BLUE_SHIFT;
}

/* The common 8-bit interleaved grey and RGB(A) scans, sample by sample without get_sample. */
static void convert_row_8bit(const tiff_page *tp, const uint8_t *p, l_uint32 *line)
{
    const uint32_t w = tp->width;
    const bool has_alpha = tp->alpha >= 0;
    const size_t spp = tp->spp;
    const int ai = tp->alpha;
    if (tp->kind == KIND_GREY) {
        for (uint32_t x = 0; x < w; x++, p += spp) {
            unsigned g = tp->min_white ? 255u - p[0] : p[0];
            if (has_alpha && p[ai] != 255)
                g = over_white(g, p[ai], tp->alpha_assoc);
            SET_DATA_BYTE(line, x, g);
        }
        return;
    }
    for (uint32_t x = 0; x < w; x++, p += spp) {
        unsigned r = p[0], g = p[1], b = p[2];
        if (has_alpha && p[ai] != 255) {
            r = over_white(r, p[ai], tp->alpha_assoc);
            g = over_white(g, p[ai], tp->alpha_assoc);
            b = over_white(b, p[ai], tp->alpha_assoc);
        }
        line[x] = rgb_word(r, g, b);
    }
}

static void convert_row_bitonal(const tiff_page *tp, const uint8_t **pl, l_uint32 *line)
{
    const uint32_t w = tp->width;
    const int bps = tp->bps;
    if (tp->planes == 1 && tp->spp == 1) {
        /* Same bit order as Leptonica's big-endian words; Leptonica's 1 is black, as is
         * TIFF min-is-white's, so only min-is-black needs inverting. */
        const uint8_t *b = pl[0];
        size_t nbytes = ((size_t)w + 7) / 8;
        l_uint32 inv = tp->min_white ? 0 : 0xffffffffu;
        for (size_t k = 0; k * 4 < nbytes; k++) {
            l_uint32 word = 0;
            for (size_t j = 0; j < 4; j++)
                word |= (l_uint32)(k * 4 + j < nbytes ? b[k * 4 + j] : 0) << (24 - 8 * j);
            line[k] = word ^ inv;
        }
        return;
    }
    for (uint32_t x = 0; x < w; x++) {
        unsigned g = to8(get_sample(tp, pl, x, 0), bps);
        if (tp->min_white)
            g = 255 - g;
        if (tp->alpha >= 0)
            g = over_white(g, to8(get_sample(tp, pl, x, tp->alpha), bps), tp->alpha_assoc);
        if (g < 128)
            SET_DATA_BIT(line, x);
    }
}

static void convert_row_grey(const tiff_page *tp, const uint8_t **pl, l_uint32 *line)
{
    const int bps = tp->bps;
    for (uint32_t x = 0; x < tp->width; x++) {
        unsigned g = to8(get_sample(tp, pl, x, 0), bps);
        if (tp->min_white)
            g = 255 - g;
        if (tp->alpha >= 0)
            g = over_white(g, to8(get_sample(tp, pl, x, tp->alpha), bps), tp->alpha_assoc);
        SET_DATA_BYTE(line, x, g);
    }
}

static void convert_row_palette(const tiff_page *tp, const uint8_t **pl, l_uint32 *line)
{
    const int bps = tp->bps;
    for (uint32_t x = 0; x < tp->width; x++) {
        const uint8_t *e = tp->lut + 3 * get_sample(tp, pl, x, 0);
        unsigned r = e[0], g = e[1], b = e[2];
        if (tp->alpha >= 0) {
            unsigned a = to8(get_sample(tp, pl, x, tp->alpha), bps);
            r = over_white(r, a, tp->alpha_assoc);
            g = over_white(g, a, tp->alpha_assoc);
            b = over_white(b, a, tp->alpha_assoc);
        }
        if (tp->palette_grey)
            SET_DATA_BYTE(line, x, r);
        else
            line[x] = rgb_word(r, g, b);
    }
}

/* RGB, and CMYK converted to RGB. */
static void convert_row_colour(const tiff_page *tp, const uint8_t **pl, l_uint32 *line)
{
    const int bps = tp->bps;
    for (uint32_t x = 0; x < tp->width; x++) {
        unsigned r = to8(get_sample(tp, pl, x, 0), bps);
        unsigned g = to8(get_sample(tp, pl, x, 1), bps);
        unsigned b = to8(get_sample(tp, pl, x, 2), bps);
        if (tp->kind == KIND_CMYK) {
            /* The same naive formula as libtiff's TIFFRGBAImage. */
            unsigned k = 255 - to8(get_sample(tp, pl, x, 3), bps);
            r = ((255 - r) * k + 127) / 255;
            g = ((255 - g) * k + 127) / 255;
            b = ((255 - b) * k + 127) / 255;
        }
        if (tp->alpha >= 0) {
            unsigned a = to8(get_sample(tp, pl, x, tp->alpha), bps);
            r = over_white(r, a, tp->alpha_assoc);
            g = over_white(g, a, tp->alpha_assoc);
            b = over_white(b, a, tp->alpha_assoc);
        }
        line[x] = rgb_word(r, g, b);
    }
}

void img_tiff_convert_row(const tiff_page *tp, const uint8_t **pl, l_uint32 *line)
{
    if (tp->bps == 8 && tp->planes == 1 && (tp->kind == KIND_GREY || tp->kind == KIND_RGB)) {
        convert_row_8bit(tp, pl[0], line);
        return;
    }
    switch (tp->kind) {
    case KIND_BITONAL: convert_row_bitonal(tp, pl, line); break;
    case KIND_GREY: convert_row_grey(tp, pl, line); break;
    case KIND_PALETTE: convert_row_palette(tp, pl, line); break;
    case KIND_RGB:
    case KIND_CMYK: convert_row_colour(tp, pl, line); break;
    }
}

PIX *img_tiff_apply_orientation(PIX *pix, uint16_t orientation, lr_page_info *info)
{
    static const struct { int vflip, hflip, rotate; } tr[8] = {
        {0, 0, 0}, {0, 1, 0}, {1, 1, 0}, {1, 0, 0}, {0, 1, -1}, {0, 0, 1}, {0, 1, 1}, {0, 0, -1},
    };
    if (orientation < 2 || orientation > 8)
        return pix;
    int i = orientation - 1;
    if (tr[i].vflip)
        pixFlipTB(pix, pix);
    if (tr[i].hflip)
        pixFlipLR(pix, pix);
    if (tr[i].rotate) {
        PIX *turned = pixRotate90(pix, tr[i].rotate);
        pixDestroy(&pix);
        pix = turned;
        int t = info->dpi_x;
        info->dpi_x = info->dpi_y;
        info->dpi_y = t;
    }
    return pix;
}
