/* gazetteer.h — the administrative units of Seoul and of the Gyeonggi counties that became
 * Seoul, 1914–1975 (data/gazetteer.tsv), and a place as read decoded against them: the text
 * segmented into units along the hierarchy (道 府 郡 面 里 洞 町 區 街 …), each unit matched by
 * a costed edit distance to its Hanja or Hangul name, each the child of the one before.
 * See docs/gazetteer.md for the table, its sources and the costs.
 *
 * Owns: the gazetteer it loads (lr_gazetteer), until lr_gazetteer_destroy.
 * Borrows: the TSV reader (tsv.h), the normalisers' text folding (NFKC), the digest.
 */
#ifndef LANDREC_GAZETTEER_H
#define LANDREC_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>

#include "landrec/error.h"

typedef struct lr_gazetteer lr_gazetteer; /* opaque */

/* Reads gazetteer.tsv and hanja_readings.tsv from dir (NULL or "": the normalisers' data
 * directory, lr_norm_default_data_dir()). A missing file, a bad parent, level or code is
 * LR_ERR_IO / LR_ERR_FORMAT naming the file and line. *out: free with lr_gazetteer_destroy. */
int lr_gazetteer_load(const char *dir, lr_gazetteer **out, lr_error *err);
void lr_gazetteer_destroy(lr_gazetteer **g);

/* Units in the table; the SHA-256 of both files as read (for a run's settings hash). */
size_t lr_gazetteer_size(const lr_gazetteer *g);
const char *lr_gazetteer_digest(const lr_gazetteer *g);

/* Most bytes decoded: a location or an address is far shorter; longer text is no match. */
#define LR_GAZ_INPUT_MAX 512
#define LR_GAZ_CAND_MAX 3
#define LR_GAZ_TEXT_SIZE 512

/* Costs are in edits: a character substituted, inserted or deleted costs 1; a Hanja read
 * for its Hangul reading (or the other way) 0.1; a Hanja numeral for its digit 0. */
typedef struct lr_gaz_match {
    bool matched;          /* at least one unit resolved */
    double cost;           /* edits on the best path, with the penalties for units skipped */
    double margin;         /* the runner-up's score minus the best's (a place other than the
                              best or one of its ancestors); LR_GAZ_NO_RIVAL when none */
    int units;             /* units on the path */
    int edits;             /* characters substituted, inserted or deleted (readings not
                              counted) */
    char place[LR_GAZ_TEXT_SIZE]; /* the path in the gazetteer's spelling, units separated by
                                     a space */
    char value[LR_GAZ_TEXT_SIZE]; /* place and then the rest of the text as read (a lot
                                     number, 丁目, 番地 …) */
    char legal_dong[11];   /* the deepest unit's 법정동코드 ("" when it has none) */
    char level[8];         /* the deepest unit's level: do bu si gun gu myeon ri dong jeong ga */
    bool abolished;        /* that code is a 폐지 row of the list */
    char cand[LR_GAZ_CAND_MAX][LR_GAZ_TEXT_SIZE]; /* best first: value of each of the best
                                                     distinct places */
    double cand_cost[LR_GAZ_CAND_MAX];
    int ncand;
} lr_gaz_match;

#define LR_GAZ_NO_RIVAL 99.0

/* Decodes text (UTF-8, len bytes) against g into *out (zeroed first). The place must start
 * the text (up to two characters of junk before it are skipped at an edit each). Empty,
 * junk and text longer than LR_GAZ_INPUT_MAX come back unmatched. Returns LR_OK, LR_ERR_ARG
 * (g or out NULL, or text NULL with len > 0) or LR_ERR_NOMEM. */
int lr_gazetteer_decode(const lr_gazetteer *g, const char *text, size_t len, lr_gaz_match *out,
                        lr_error *err);

#endif
