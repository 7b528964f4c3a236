/* Owners' names against surnames.tsv: a name read right, in Hanja or Hangul, with a surname
 * of one character or a compound one, passes; one whose first character is no surname of its
 * script is flagged, with the one surname a costed edit away offered; institutions, the
 * 創氏改名 years, one character, empty, junk and over-long input are not flagged; and the
 * table holds each row once, in both scripts. */
#include "norm_test.h"

#include "landrec/tsv.h"

static const lr_norm_tables *T;

static void check(const char *name, const char *date, lr_norm_owner_kind kind,
                  const char *surname, const char *suggest, int line)
{
    lr_norm_surname s;
    int rc = lr_norm_check_surname(T, S(name), date, &s, NULL);
    bool flagged = s.note.status == LR_NORM_FLAGGED;
    CHECKF(rc == LR_OK && s.kind == kind && strcmp(s.surname, surname) == 0 &&
               strcmp(s.suggest, suggest) == 0 && flagged == (kind == LR_OWNER_UNKNOWN),
           "line %d: \"%s\" (%s): kind %d surname \"%s\" suggest \"%s\" (%s), want %d \"%s\" "
           "\"%s\"",
           line, name, date ? date : "no date", s.kind, s.surname, s.suggest, s.note.reason, kind,
           surname, suggest);
}

#define PERSON(name, surname) check(name, NULL, LR_OWNER_PERSON, surname, "", __LINE__)
#define FLAGGED(name, date, suggest) check(name, date, LR_OWNER_UNKNOWN, "", suggest, __LINE__)
#define NOT_CHECKED(name, date, kind) check(name, date, kind, "", "", __LINE__)

typedef struct rows {
    char hanja[400][64], hangul[400][64];
    int n, dup, missing;
} rows;

static int row_seen(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    (void)err;
    rows *x = ctx;
    const char *h = lr_tsv_cell(r, 0), *g = lr_tsv_cell(r, 1);
    if (!h[0] || !g[0])
        x->missing++;
    for (int i = 0; i < x->n; i++)
        if (strcmp(x->hanja[i], h) == 0 && strcmp(x->hangul[i], g) == 0)
            x->dup++;
    if (x->n < 400) {
        snprintf(x->hanja[x->n], 64, "%s", h);
        snprintf(x->hangul[x->n], 64, "%s", g);
        x->n++;
    }
    return LR_OK;
}

/* Too big for the stack: the rows as read. */
static char rows_space[sizeof(rows)];

int main(void)
{
    lr_norm_tables *t = nt_load();
    T = t;

    /* Read right: Hanja and Hangul, spaces between the characters as OCR leaves them. */
    PERSON("金永植", "金");
    PERSON("李 在 聖", "李");
    PERSON("朴明基", "朴");
    PERSON("김영수", "김");
    PERSON("이 순 자", "이");
    PERSON("리순자", "리"); /* the older spelling */
    PERSON("柳漢容", "柳");
    /* Compound surnames: the two characters, never the first alone (南 is a surname too). */
    PERSON("南宮在明", "南宮");
    PERSON("諸葛英", "諸葛");
    PERSON("鮮于 永 浩", "鮮于");
    PERSON("皇甫仁", "皇甫");
    PERSON("남궁민수", "남궁");
    PERSON("제갈성철", "제갈");
    PERSON("南大門", "南"); /* 南 with a given name */

    /* No surname of its script: flagged. 甲 is a look-alike of 田 alone (lookalikes.tsv):
     * 田 offered. 永 and 긴 have none or several one edit away: nothing offered. */
    FLAGGED("甲永植", NULL, "田永植");
    FLAGGED("永植明", NULL, "");
    FLAGGED("긴영수", NULL, ""); /* 김 길 진 … one jamo each */
    FLAGGED("쵬영수", NULL, "최영수"); /* only 최 one jamo away */
    FLAGGED("山田太郎", "1938-04-01", "");
    FLAGGED("山田太郎", NULL, "");
    FLAGGED("@#%", NULL, ""); /* junk: no surname */

    /* Institutions: the state, companies, clans, temples. */
    NOT_CHECKED("東洋拓殖株式會社", NULL, LR_OWNER_INSTITUTION);
    NOT_CHECKED("朝鮮總督府", NULL, LR_OWNER_INSTITUTION);
    NOT_CHECKED("京城金融組合", NULL, LR_OWNER_INSTITUTION);
    NOT_CHECKED("國有", NULL, LR_OWNER_INSTITUTION);
    NOT_CHECKED("김해김씨종중", NULL, LR_OWNER_INSTITUTION);
    NOT_CHECKED("奉恩寺", NULL, LR_OWNER_INSTITUTION);
    NOT_CHECKED("朝鮮信託株式会社", NULL, LR_OWNER_INSTITUTION);
    /* The 創氏改名 years: a Japanese-style name is not flagged, whatever the date's precision;
     * a Korean surname is still read as one. */
    NOT_CHECKED("松山正雄", "1942-05-01", LR_OWNER_SOSHI);
    NOT_CHECKED("平沼英夫", "1940-02-11", LR_OWNER_SOSHI);
    NOT_CHECKED("平沼英夫", "1945-08-15", LR_OWNER_SOSHI);
    NOT_CHECKED("岩本清", "1943", LR_OWNER_SOSHI);
    FLAGGED("平沼英夫", "1940-02-10", "");
    FLAGGED("平沼英夫", "1945-08-16", "");
    check("金本正雄", "1942-05-01", LR_OWNER_PERSON, "金", "", __LINE__);

    /* One character, empty, white space, over-long: nothing checked, nothing flagged. */
    NOT_CHECKED("金", NULL, LR_OWNER_NONE);
    NOT_CHECKED("國", NULL, LR_OWNER_NONE);
    lr_norm_surname s;
    CHECK(lr_norm_check_surname(t, S(""), NULL, &s, NULL) == LR_OK && s.kind == LR_OWNER_NONE &&
          s.note.status == LR_NORM_UNPARSEABLE);
    CHECK(lr_norm_check_surname(t, S("   "), NULL, &s, NULL) == LR_OK &&
          s.kind == LR_OWNER_NONE && s.note.status == LR_NORM_UNPARSEABLE);
    static char longname[LR_NORM_INPUT_MAX + 16];
    for (size_t i = 0; i + 3 < sizeof longname; i += 3)
        memcpy(longname + i, "金", 3);
    CHECK(lr_norm_check_surname(t, S(longname), NULL, &s, NULL) == LR_OK &&
          s.kind == LR_OWNER_NONE && s.note.status == LR_NORM_UNPARSEABLE);
    CHECK(lr_norm_check_surname(NULL, S("金永植"), NULL, &s, NULL) == LR_ERR_ARG);
    CHECK(lr_norm_check_surname(t, NULL, 0, NULL, &s, NULL) == LR_ERR_ARG);
    CHECK(lr_norm_check_surname(t, S("金永植"), NULL, NULL, NULL) == LR_ERR_ARG);
    /* a date that is no date is no 創氏改名 year */
    FLAGGED("平沼英夫", "soon", "");

    /* The table: every row in both scripts, none twice, the census's most common there. */
    char path[4200];
    snprintf(path, sizeof path, "%s/surnames.tsv", nt_data_dir());
    lr_tsv tsv;
    lr_error err;
    CHECKF(lr_tsv_load(path, NULL, &tsv, &err) == LR_OK, "%s", err.message);
    rows *x = (rows *)rows_space;
    const char *cols[] = {"hanja", "hangul"};
    CHECK(lr_tsv_each_row(&tsv, cols, 2, row_seen, x, &err) == LR_OK);
    lr_tsv_free(&tsv);
    CHECKF(x->dup == 0 && x->missing == 0, "surnames.tsv: %d duplicate rows, %d missing a script",
           x->dup, x->missing);
    /* The floor protects the list from being cut down: the 100 most common and more. */
    CHECKF(x->n >= 150, "surnames.tsv has %d rows", x->n);

    lr_norm_tables_destroy(&t);
    return lr_test_finish("test_surname");
}
