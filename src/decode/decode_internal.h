/* decode_internal.h — the inside of src/decode/ (not installed): tries of a grammar's strings
 * (grammar.c builds them from the tables, search.c decodes lattices against them). */
#ifndef LANDREC_DECODE_INTERNAL_H
#define LANDREC_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/decode.h"

/* Edit costs, in the lattice's units (−log p-like: a clean glyph's alternatives cost 1–12). A
 * glyph of the grammar that the position does not list costs DEC_MISS; a glyph the model
 * dropped DEC_INSERT; a position the grammar has no place for (a speck, a stroke read as a
 * glyph) DEC_DELETE. A listed alternative never costs more than a miss. A deletion costs more
 * than a miss: on the generated sheets a glyph misread is far more common than one read
 * extra, and cheaper deletions read 擡貳 (拾貳, 12) as 貳 and 二十=日 as 二十日. */
#define DEC_MISS 3.0f
#define DEC_INSERT 3.0f
#define DEC_DELETE 3.5f

typedef struct trie_node {
    uint32_t cp;
    int child, sibling; /* -1: none */
    int term;           /* first of its terminals in trie.terms, -1: none */
} trie_node;

typedef struct trie_term {
    int value; /* the segment's value id */
    int str;   /* the string's index in segment.strs */
    int next;  /* the node's next terminal, -1: none */
} trie_term;

/* One part of a grammar: a set of strings, each standing for a value id. */
typedef struct segment {
    trie_node *nodes; /* nodes[0] is the root */
    size_t nnodes, capnodes;
    trie_term *terms;
    size_t nterms, capterms;
    char **strs;
    size_t nstrs, capstrs;
    int nvalues;
    int *num; /* value id → its number (a year, a month) or its entry (a word); a unit
                 segment's one value: its unit's index in lr_decode_tables.units */
    bool optional; /* the segment may be left out (an area's units) */
} segment;

/* An area of the cho system takes the most: a quantity and a unit for each of 町 段 畝 步. */
#define DEC_MAX_SEGMENTS 8

/* What a segment of an area grammar reads. */
typedef enum seg_role {
    ROLE_PLAIN,    /* a segment of the other grammars */
    ROLE_QUANTITY, /* the quantity of the unit the next segment reads */
    ROLE_UNIT,     /* a unit's name (its spellings in area_units.tsv) */
    ROLE_FRACTION, /* the decimal fraction of a metric quantity (.5, .25) */
} seg_role;

typedef struct grammar {
    segment seg[DEC_MAX_SEGMENTS];
    seg_role role[DEC_MAX_SEGMENTS];
    int nseg;
} grammar;

typedef struct era {
    char key[16];
    int offset;
    char start[11], end[11];
    int ymin, ymax;
} era;

/* One string of a word list and what it stands for. */
typedef struct word {
    char out[24];     /* event token or category code */
    int side;         /* lr_decode_side of the row (events) */
    bool hangul;      /* the form has Hangul */
    char from[11], to[11]; /* categories: the days it existed ("" open) */
} word;

typedef struct variant {
    uint32_t ledger, model;
} variant;

/* A unit of area_units.tsv: its size in m², exactly num/den, from the chain of its "of". */
typedef struct area_unit {
    char name[16];
    char names[160]; /* its other spellings, comma-separated */
    char of[16];
    int64_t num, den; /* one unit in "of" as read, then in m² */
    char system[16];
    bool exact_mark;
} area_unit;

/* The systems lr_decode_area names, as area_units.tsv's "system" column spells them. */
#define DEC_AREA_SYSTEMS 3

struct lr_decode_tables {
    grammar events, categories, grade, numeral, date;
    grammar area[DEC_AREA_SYSTEMS]; /* by lr_decode_area */
    area_unit units[16];
    int nunits;
    word *words; /* events' then categories' entries (segment.num indexes it) */
    size_t nwords, capwords;
    era eras[16];
    int neras;
    variant variants[64];
    int nvariants;
    char digest[65]; /* SHA-256 of variants.tsv, the one table of the decoder's own */
};

/* Adds the string s (UTF-8) for value id to seg; -1 out of memory. */
int dec_segment_add(segment *seg, const char *s, int value);
void dec_segment_free(segment *seg);

/* The numerals of v into out (at most max strings of size 48): multiplicative, formal,
 * 廿/卅 when nian, positional when positional, Arabic digits, 元 for 1 when yuan. The count. */
int dec_numeral_forms(int v, bool positional, bool yuan, char out[][48], int max);

/* Days in month m of Gregorian year y. */
int dec_month_days(int y, int m);

#endif
