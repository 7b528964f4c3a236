/* tiff_internal.h — what the TIFF files of src/image share: the description of a page taken
 * from its directory (tiff_header.c), and the reader that hands its rows over one at a time and
 * converts them into PIX words (tiff_rows.c), for tiff.c, which opens the file and drives them.
 *
 * Owns: tiff_page, row_reader. Borrows: libtiff's TIFF handle, lr_page_info (landrec/image.h).
 */
#ifndef LANDREC_TIFF_INTERNAL_H
#define LANDREC_TIFF_INTERNAL_H

#include "image_internal.h"

#include <leptonica/allheaders.h>
#include <tiffio.h>

/* Samples per pixel read (and so planes at most): more is refused as unsupported. */
#define TIFF_MAX_SAMPLES 16

/* How a page is converted. */
enum { KIND_BITONAL = 1, KIND_GREY, KIND_RGB, KIND_PALETTE, KIND_CMYK };

typedef struct tiff_page {
    uint32_t width, height;
    uint16_t bps, spp, photometric, compression, planar, orientation;
    int kind;
    int ncolour;      /* colour samples before the extra samples */
    int alpha;        /* index of the alpha sample, or -1 */
    bool alpha_assoc; /* premultiplied alpha */
    bool min_white;   /* grey photometric min-is-white */
    bool palette_grey;
    int planes;   /* 1 (contiguous) or spp (separate planes) */
    uint8_t *lut; /* palette: 3 bytes (r, g, b) per index */
} tiff_page;

/* ---- tiff_header.c ---- */

/* Reads the page's header (the current directory) into tp and info; no pixel data is
 * touched. */
void img_tiff_read_header(TIFF *tif, tiff_page *tp, lr_page_info *info);

/* Decides how to convert the page; refuses what we do not read. Sets JPEGCOLORMODE. On
 * success tp->lut may be set (caller frees). */
int img_tiff_classify(TIFF *tif, tiff_page *tp, lr_page_info *info, lr_error *err);

/* ---- tiff_rows.c ---- */

/* Hands the rows of a page over in increasing order: by scanline, or by bands of strips (of
 * separate planes) or of tiles. */
typedef struct row_reader {
    TIFF *tif;
    int mode; /* RR_* of tiff_rows.c */
    uint32_t height;
    int planes;
    size_t row_bytes; /* one row of one plane in buf */
    uint32_t band_rows;
    uint32_t band_y0; /* first row held in buf; UINT32_MAX when empty */
    uint8_t *buf;
    uint8_t *tile;
    tmsize_t tile_bytes, tile_row_bytes;
    uint32_t tile_w, tiles_across;
} row_reader;

int img_rr_init(row_reader *rr, TIFF *tif, const tiff_page *tp, lr_error *err);

/* Points pl[p] at row y of every plane (pl has TIFF_MAX_SAMPLES entries); rows are asked for in
 * increasing order. 0, or -1 when libtiff failed. */
int img_rr_row(row_reader *rr, uint32_t y, const uint8_t **pl);

void img_rr_free(row_reader *rr);

/* One row of the page (every plane's, pl) into one PIX line of the page's depth. */
void img_tiff_convert_row(const tiff_page *tp, const uint8_t **pl, l_uint32 *line);

/* Applies the Orientation tag (Leptonica's table for data read row by row); a turn by 90
 * degrees swaps info's dpi. Returns the PIX to use (NULL when out of memory). */
PIX *img_tiff_apply_orientation(PIX *pix, uint16_t orientation, lr_page_info *info);

#endif
