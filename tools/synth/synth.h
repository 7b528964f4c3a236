/* synth.h — internals of landrec-synth, the synthetic ledger generator (docs/synthetic.md).
 *
 * A sheet is made in four steps, each its own file:
 *   content.c  the record: era dates, numerals, lots, areas, events, owners — raw text as
 *              written and the normalised value side by side (lr_synth_sheet);
 *   layout.c   the form drawn at the output dpi with its ruled table, printed labels and
 *              handwriting-like entries; every written line and field gets its box;
 *   degrade.c  paper, light, stains, bleed-through, blur, noise, contrast; then skew,
 *              orientation, colour reduction and the TIFF page;
 *   truth.c    the truth JSON (format "landrec-synth/1").
 * Randomness comes only from lr_synth_rng streams derived from (seed, sheet, page, stream),
 * so the same seed gives the same bytes whatever --jobs is, and switching one option on
 * (e.g. --orient) leaves everything drawn from the other streams unchanged. Never draw twice
 * in one expression (e.g. two draws as arguments of one call): the order is unspecified and
 * gcc and clang differ.
 */
#ifndef LANDREC_SYNTH_H
#define LANDREC_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/error.h"

struct Pix;

/* ------------------------------------------------------------------------------------------ */
/* Random numbers (rng.c): xoshiro256**, seeded through splitmix64.                            */

typedef struct lr_synth_rng {
    uint64_t s[4];
} lr_synth_rng;

/* Independent streams of one page; new streams get new numbers, never reuse one. */
enum {
    LR_SYNTH_STREAM_FILE = 1,    /* per file: doc type details shared by its pages, dpi, colour */
    LR_SYNTH_STREAM_CONTENT = 2, /* the record */
    LR_SYNTH_STREAM_STYLE = 3,   /* handwriting jitter, ink */
    LR_SYNTH_STREAM_DEGRADE = 4, /* degradation parameters */
    LR_SYNTH_STREAM_PIXELS = 5,  /* noise and stain pixels */
    LR_SYNTH_STREAM_SKEW = 6,
    LR_SYNTH_STREAM_ORIENT = 7,
    LR_SYNTH_STREAM_HAND = 8, /* --hand mixed: printed or handwritten entries */
};

void lr_synth_rng_seed(lr_synth_rng *out_rng, uint64_t seed, uint64_t sheet, uint64_t page,
                       uint64_t stream);
uint64_t lr_synth_rng_next(lr_synth_rng *r);
double lr_synth_rng_uniform(lr_synth_rng *r);              /* [0, 1) */
int lr_synth_rng_int(lr_synth_rng *r, int lo, int hi);      /* lo … hi inclusive */
double lr_synth_rng_range(lr_synth_rng *r, double lo, double hi);
bool lr_synth_rng_chance(lr_synth_rng *r, double p);
double lr_synth_rng_normal(lr_synth_rng *r);                /* mean 0, sd 1 */
/* Index drawn with the given non-negative weights (n >= 1). */
int lr_synth_rng_weighted(lr_synth_rng *r, const double *weights, int n);

/* ------------------------------------------------------------------------------------------ */
/* Document types                                                                             */

typedef enum lr_synth_doc {
    LR_SYNTH_LAND = 0,     /* 土地臺帳, colonial (1912–1945) */
    LR_SYNTH_FOREST = 1,   /* 林野臺帳, colonial, 町段畝步 */
    LR_SYNTH_LAND1950 = 2, /* 1950 지적법 ledger: 檀紀 dates, 21 categories */
    LR_SYNTH_CARD1975 = 3, /* card ledger: Hangul, ㎡, 西紀 */
    LR_SYNTH_MOVEMENT = 4, /* 토지이동정리결의서 */
    LR_SYNTH_MAP = 5,      /* fragment of a cadastral map sheet */
    LR_SYNTH_NDOC = 6,
} lr_synth_doc;

const char *lr_synth_doc_cli_name(lr_synth_doc doc);   /* "land", "forest", … */
const char *lr_synth_doc_truth_name(lr_synth_doc doc); /* "land_ledger", … */
/* LR_SYNTH_NDOC when name is not a --types name. */
lr_synth_doc lr_synth_doc_from_cli(const char *name);

/* ------------------------------------------------------------------------------------------ */
/* The record (content.c)                                                                     */

#define LR_SYNTH_TEXT_MAX 160
#define LR_SYNTH_MAX_ROWS 10
#define LR_SYNTH_MAX_PARCELS 80

/* How a field is written (bits of lr_synth_field.flags). */
#define LR_SYNTH_RED 0x1u      /* written in red ink */
#define LR_SYNTH_DITTO 0x2u    /* raw is a ditto mark; value is what it repeats */
#define LR_SYNTH_STRUCK 0x4u   /* struck through (superseded) */
#define LR_SYNTH_VERTICAL 0x8u /* written top to bottom */

typedef struct lr_synth_field {
    bool present;                 /* false: the sheet has no such field (JSON null) */
    bool has_value;               /* false: value is JSON null */
    char raw[LR_SYNTH_TEXT_MAX];  /* as written (UTF-8, NFC) */
    char value[LR_SYNTH_TEXT_MAX];
    char label[48];               /* printed label of its cell; "" = none (JSON null) */
    unsigned flags;
    int box[4]; /* x0, y0, x1, y1 on the upright page, filled by the layout */
} lr_synth_field;

typedef struct lr_synth_land_row {
    lr_synth_field date, event, category, area, grade;
    char extra[LR_SYNTH_TEXT_MAX]; /* 賃貸價格 (colonial); written, not a truth field */
} lr_synth_land_row;

typedef struct lr_synth_owner_row {
    lr_synth_field date, event, address, name;
    char extra[LR_SYNTH_TEXT_MAX]; /* 등록번호 on cards; written, not a truth field */
} lr_synth_owner_row;

typedef struct lr_synth_parcel {
    lr_synth_field lot, category;
} lr_synth_parcel;

/* Per-file context: the pages of one multi-page file are consecutive parcels of one volume. */
typedef struct lr_synth_volume {
    int place;    /* index into the place table of the doc type */
    int base_lot; /* lot number of page 1 */
    bool modern;  /* map fragments: post-1975 Hangul sheet */
} lr_synth_volume;

typedef struct lr_synth_sheet {
    lr_synth_doc doc;
    lr_synth_field location, lot, category, area, grade;
    int n_land;
    lr_synth_land_row land[LR_SYNTH_MAX_ROWS];
    int n_owner;
    lr_synth_owner_row owner[LR_SYNTH_MAX_ROWS];
    /* Written but not truth fields: the lots after a movement, header extras. */
    int n_after;
    char after_lot[LR_SYNTH_MAX_ROWS][32];
    int n_before; /* movement: parcels before; [0] is lot/category/area above */
    char before_lot[LR_SYNTH_MAX_ROWS][32];
    char before_cat[LR_SYNTH_MAX_ROWS][32];
    char before_area[LR_SYNTH_MAX_ROWS][32];
    char title[64];    /* printed title */
    char office[64];   /* printed office name ("" none) */
    char scale[32];    /* 縮尺 ("" none) */
    char sheet_no[32]; /* 圖面番號 / 장번호 ("" none) */
    bool modern;       /* Hangul form (card, movement, modern map) */
    bool vertical_names;
    /* Map fragments: the parcels, placed by the layout (lots in reading order). */
    int n_parcels;
    lr_synth_parcel parcels[LR_SYNTH_MAX_PARCELS];
    int map_base_lot;
    int map_category_bias; /* 0 urban (垈), 1 farmland */
} lr_synth_sheet;

/* The record of one sheet from rng (content stream). Never fails; everything it writes is
 * valid for the doc type's era (dates exist and ascend, categories valid for the era). */
void lr_synth_content_make(lr_synth_doc doc, const lr_synth_volume *vol, int page,
                           lr_synth_rng *rng, lr_synth_sheet *out_sheet);
/* Per-file context from rng (file stream). */
void lr_synth_volume_make(lr_synth_doc doc, lr_synth_rng *rng, lr_synth_volume *out_vol);

/* Helpers the layout uses for map labels (content.c). */
void lr_synth_map_label(const lr_synth_sheet *sheet, int lot_main, int lot_sub, int cat,
                        lr_synth_parcel *out_parcel);
int lr_synth_map_category_count(void);
/* A category index for a map parcel, weighted for the sheet's town or farmland. */
int lr_synth_map_pick_category(const lr_synth_sheet *sheet, lr_synth_rng *r);

/* Numerals and units, exposed for the unit tests of content.c. */
typedef enum lr_synth_numstyle {
    LR_SYNTH_NUM_ADDITIVE = 0,   /* 百二十三 */
    LR_SYNTH_NUM_FORMAL = 1,     /* 壹百貳拾參 */
    LR_SYNTH_NUM_POSITIONAL = 2, /* 一二三, 一〇五 */
    LR_SYNTH_NUM_ARABIC = 3,     /* 123 */
} lr_synth_numstyle;
/* n (0 … 99999) written in style; nian: 廿/卅 for 20–39. buf always terminated. */
void lr_synth_numeral(int n, lr_synth_numstyle style, bool nian, char *buf, size_t size);
/* Square metres × 100, rounded half up, of an area in 勺 (1/100 坪) or in 步. */
int64_t lr_synth_shaku_to_cm2(int64_t shaku);
int64_t lr_synth_bu_to_cm2(int64_t bu);

/* ------------------------------------------------------------------------------------------ */
/* Fonts and text (font.c)                                                                    */

typedef struct lr_synth_fonts lr_synth_fonts; /* opaque */

typedef enum lr_synth_face {
    LR_SYNTH_FACE_SERIF_KR = 0,   /* Noto Serif CJK KR: printed Hangul and Hanja */
    LR_SYNTH_FACE_SERIF_TC = 1,   /* Noto Serif CJK TC: printed Hanja, colonial forms */
    LR_SYNTH_FACE_MYEONGJO = 2,   /* Nanum Myeongjo: printed Hangul, card forms */
    LR_SYNTH_FACE_KAI = 3,        /* AR PL UKai: brush-like Hanja */
    LR_SYNTH_FACE_PEN = 4,        /* Nanum Pen: handwriting-like Hangul and digits */
    LR_SYNTH_FACE_BRUSH = 5,      /* Nanum Brush: brush-like Hangul */
    LR_SYNTH_NFACES = 6,
} lr_synth_face;

/* Finds and opens the fonts: the directory in LANDREC_SYNTH_FONT_DIR when set, else the
 * Debian locations and a search of /usr/share/fonts and /usr/local/share/fonts. A missing
 * face falls back to another (a warning names it in *out_warning, may be NULL); no CJK font
 * at all fails with LR_ERR_IO and a hint naming the packages. Caller frees with
 * lr_synth_fonts_close. */
int lr_synth_fonts_open(lr_synth_fonts **out_fonts, char *out_warning, size_t warning_size,
                        lr_error *err);
void lr_synth_fonts_close(lr_synth_fonts **pfonts);
/* Borrowed: "file#index" of the face actually used for f. */
const char *lr_synth_fonts_file(const lr_synth_fonts *fonts, lr_synth_face f);

typedef struct lr_synth_pen {
    bool hand;              /* handwriting: per-character jitter and the hand faces */
    lr_synth_face print;    /* face of printed text */
    lr_synth_face hangul;   /* hand face for Hangul, digits and Latin */
    lr_synth_face hanja;    /* hand face for Han characters and the rest */
    double size;            /* em size in pixels */
    uint8_t rgb[3];         /* ink */
    double opacity;         /* 0 … 1 */
    double embolden;        /* stroke thickening, fraction of the em */
    double tracking;        /* extra space between characters, fraction of the em */
    double jitter;          /* 0 none … 1 a hurried hand */
    bool vertical;          /* top to bottom */
} lr_synth_pen;

/* Advance of utf8 in pixels along its direction, without jitter. */
double lr_synth_text_extent(lr_synth_fonts *fonts, const lr_synth_pen *pen, const char *utf8);
/* Draws utf8 on pix (8 or 32 bpp, borrowed). Horizontal: (x, y) is the start of the
 * baseline; vertical: x is the centre line and y the top. rng (style stream) drives the
 * jitter. out_box receives the union of the inked glyph boxes (x1, y1 exclusive), or the
 * anchor point when nothing was inked. */
void lr_synth_text_draw(lr_synth_fonts *fonts, struct Pix *pix, const lr_synth_pen *pen,
                        const char *utf8, double x, double y, lr_synth_rng *rng, int out_box[4]);

/* ------------------------------------------------------------------------------------------ */
/* Drawing primitives (layout.c)                                                              */

/* Blends colour rgb with opacity a (0 … 1) into pixel (x, y) of an 8 or 32 bpp pix. */
void lr_synth_blend(struct Pix *pix, int x, int y, const uint8_t rgb[3], double a);
/* Anti-aliased segment of width w pixels. */
void lr_synth_line(struct Pix *pix, double x0, double y0, double x1, double y1, double w,
                   const uint8_t rgb[3], double a);

/* ------------------------------------------------------------------------------------------ */
/* The rendered page and its truth (layout.c, truth.c)                                         */

typedef enum lr_synth_colour {
    LR_SYNTH_BITONAL = 0,
    LR_SYNTH_GREY = 1,
    LR_SYNTH_RGB = 2,
} lr_synth_colour;

const char *lr_synth_colour_name(lr_synth_colour c);

typedef struct lr_synth_line_rec {
    char *text; /* owned */
    int box[4];
} lr_synth_line_rec;

typedef struct lr_synth_degradations {
    double yellow;       /* 0 … 1: paper tinted towards old Hanji */
    double uneven_light; /* 0 … 1: darkening towards one side and the corners */
    int stains;          /* number of stains */
    double bleed;        /* 0 … 1: strength of the mirrored writing of the reverse */
    double blur;         /* Gaussian sigma in pixels of the output */
    double noise;        /* sd of Gaussian noise, grey levels */
    int jpeg_quality;    /* 0 = none, else 1 … 100 */
    double contrast;     /* 1 = unchanged … 0.3 faded */
} lr_synth_degradations;

/* How the entries are written (--hand). */
typedef enum lr_synth_hand {
    LR_SYNTH_HAND_WRITTEN = 0, /* handwriting-like faces with jitter (the default) */
    LR_SYNTH_HAND_PRINTED = 1, /* typed in the serif face, no jitter */
} lr_synth_hand;

typedef struct lr_synth_page {
    lr_synth_sheet sheet;
    lr_synth_hand hand;
    bool hand_recorded;       /* write "hand" into the truth (only when --hand was given, so
                                 the truth of older commands stays byte-identical) */
    int dpi;
    lr_synth_colour colour;
    int upright_w, upright_h; /* size of the upright page (boxes refer to it) */
    int width, height;        /* size as stored */
    int orientation;          /* 0/90/180/270, landrec convention */
    double skew;              /* degrees counter-clockwise, landrec convention */
    lr_synth_degradations deg;
    int n_lines, cap_lines;
    lr_synth_line_rec *lines; /* reading order */
} lr_synth_page;

/* Frees the lines and zeroes *page (page may be NULL). */
void lr_synth_page_clear(lr_synth_page *page);

/* Draws page->sheet upright at page->dpi onto a new white page (32 bpp when rgb is true,
 * else 8 bpp) and fills page->lines and every field's box; for maps it also places the
 * parcels. *out_pix: caller frees with pixDestroy. */
int lr_synth_layout_render(lr_synth_fonts *fonts, lr_synth_page *page, bool rgb,
                           lr_synth_rng *style_rng, struct Pix **out_pix, lr_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Degradations, geometry, colour and output (degrade.c)                                       */

typedef enum lr_synth_preset {
    LR_SYNTH_PRESET_CLEAN = 0,
    LR_SYNTH_PRESET_DEGRADED = 1,
    LR_SYNTH_PRESET_MIXED = 2,
} lr_synth_preset;

/* Which degradation parameters the user fixed with --degrade (bit per parameter). */
#define LR_SYNTH_SET_YELLOW 0x01u
#define LR_SYNTH_SET_UNEVEN 0x02u
#define LR_SYNTH_SET_STAINS 0x04u
#define LR_SYNTH_SET_BLEED 0x08u
#define LR_SYNTH_SET_BLUR 0x10u
#define LR_SYNTH_SET_NOISE 0x20u
#define LR_SYNTH_SET_JPEG 0x40u
#define LR_SYNTH_SET_CONTRAST 0x80u

/* Parameters for one page from rng (degrade stream) under preset, then the fixed ones of
 * *fixed (those whose bit is in fixed_mask) copied over. All values are quantised (to 0.01,
 * or integers) so the truth records exactly what was applied. */
void lr_synth_degrade_choose(lr_synth_preset preset, lr_synth_colour colour, int dpi,
                             const lr_synth_degradations *fixed, unsigned fixed_mask,
                             lr_synth_rng *rng, lr_synth_degradations *out_deg);

/* "yellow=0.3,noise=6" into *out (fields named as in the truth) and the mask of those set.
 * LR_ERR_ARG with a message on a bad key or value. */
int lr_synth_degrade_parse(const char *spec, lr_synth_degradations *out, unsigned *out_mask,
                           lr_error *err);

/* Applies deg (except jpeg_quality) in place to pix (8 or 32 bpp), then turns its content
 * counter-clockwise by skew degrees about the centre (bilinear, white brought in, size
 * kept). rng: pixels stream. */
int lr_synth_degrade_apply(struct Pix *pix, const lr_synth_degradations *deg, double skew,
                           lr_synth_rng *rng, lr_error *err);

/* The stored page from the degraded, skewed one (borrowed): turned so that it must be
 * turned orientation degrees clockwise to read upright, then reduced to colour (bitonal:
 * threshold, after a JPEG round trip when jpeg_quality is set). *out_pix: caller frees with
 * pixDestroy. */
int lr_synth_geometry_and_colour(struct Pix *pix, int orientation, lr_synth_colour colour,
                                 int jpeg_quality, struct Pix **out_pix, lr_error *err);

/* Writes pages[0 … n-1] (borrowed; 1 bpp bitonal, 8 bpp grey, 32 bpp rgb) as one TIFF at
 * path, through a temporary name: G4 for bitonal, JPEG at jpeg_quality[i] when > 0, else LZW.
 * software names the generator. */
int lr_synth_tiff_write(const char *path, struct Pix **pages, const int *jpeg_quality, int n,
                        int dpi, const char *software, lr_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Truth (truth.c)                                                                            */

/* Writes the truth JSON of page (borrowed) to path through a temporary name. image is the
 * TIFF's file name, generator e.g. "landrec-synth 0.1.0". */
int lr_synth_truth_write(const char *path, const lr_synth_page *page, const char *generator,
                         uint64_t seed, const char *image, int page_no, int pages,
                         lr_error *err);

/* "hangul", "hanja", "digits" or "mixed" for a line of text. */
const char *lr_synth_script(const char *utf8);

#endif
