/* Land categories (domain.md §2): every category as written (Hanja, Hangul, 부호) in every
 * era, the counts of each era (18, 21, 24, 28), the §2.5 mapping to modern codes, 부호
 * shared between eras, the modern print's "(08) 대", fuzzy matches and garbage. The table
 * below is written from domain.md, independently of data/categories.tsv. */
#include "norm_test.h"

static const lr_norm_tables *T;

typedef struct cat {
    const char *hanja, *hangul, *abbrev;
    const char *code;
    int from, to; /* years in which the category existed */
} cat;

static const cat cats[] = {
    /* 1912: 18 (§2.1) */
    {"田", "전", "田", "01", 1912, 9999},
    {"畓", "답", "畓", "02", 1912, 9999},
    {"垈", "대", "垈", "08", 1912, 9999},
    {"池沼", "지소", "池", "19", 1912, 1975},
    {"林野", "임야", "林", "05", 1912, 9999},
    {"雜種地", "잡종지", "雜", "28", 1912, 9999},
    {"社寺地", "사사지", "社", "25", 1912, 1975},
    {"墳墓地", "분묘지", "墳", "27", 1912, 1975},
    {"公園地", "공원지", "公", "22", 1912, 1975},
    {"鐵道用地", "철도용지", "鐵", "15", 1912, 9999},
    {"水道用地", "수도용지", "水", "21", 1912, 9999},
    {"道路", "도로", "道", "14", 1912, 9999},
    {"河川", "하천", "川", "17", 1912, 9999},
    {"溝渠", "구거", "溝", "18", 1912, 9999},
    {"堤防", "제방", "堤", "16", 1912, 9999},
    {"城堞", "성첩", "城", "26", 1912, 1975},
    {"鐵道線路", "철도선로", NULL, "15", 1912, 1975},
    {"水道線路", "수도선로", NULL, "21", 1912, 1975},
    /* 1950: +3 (§2.2) */
    {"鹽田", "염전", "鹽", "07", 1951, 9999},
    {"鑛泉地", "광천지", "鑛", "06", 1951, 9999},
    {"溜池", "유지", "溜", "19", 1951, 9999},
    /* 1976: 24 (§2.3) */
    {"果樹園", "과수원", "과", "03", 1976, 9999},
    {"牧場用地", "목장용지", "목", "04", 1976, 9999},
    {"工場用地", "공장용지", "장", "09", 1976, 9999},
    {"學校用地", "학교용지", "학", "10", 1976, 9999},
    {"運動場", "운동장", "운", "23", 1976, 2001},
    {"遊園地", "유원지", "원", "24", 1976, 9999},
    {"宗敎用地", "종교용지", "종", "25", 1976, 9999},
    {"史蹟地", "사적지", "사", "26", 1976, 9999},
    {"墓地", "묘지", "묘", "27", 1976, 9999},
    {"公園", "공원", "공", "22", 1976, 9999},
    /* 2002: 28 (§2.4) */
    {"駐車場", "주차장", "차", "11", 2002, 9999},
    {"注油所用地", "주유소용지", "주", "12", 2002, 9999},
    {"倉庫用地", "창고용지", "창", "13", 2002, 9999},
    {"養魚場", "양어장", "양", "20", 2002, 9999},
    {"體育用地", "체육용지", "체", "23", 2002, 9999},
};
#define NCATS (sizeof cats / sizeof cats[0])

static lr_norm_category match(const char *s, const char *date)
{
    lr_norm_category c;
    int rc = lr_norm_match_category(T, S(s), date, &c, NULL);
    CHECKF(rc == LR_OK, "%s: rc %d", s, rc);
    return c;
}

static void every_category_every_era(void)
{
    static const struct {
        const char *date;
        int year, count;
    } eras[] = {{"1930-06-01", 1930, 18},
                {"1960-06-01", 1960, 21},
                {"1990-06-01", 1990, 24},
                {"2010-06-01", 2010, 28}};
    for (size_t e = 0; e < sizeof eras / sizeof eras[0]; e++) {
        int valid = 0;
        for (size_t i = 0; i < NCATS; i++) {
            const cat *k = &cats[i];
            bool exists = eras[e].year >= k->from && eras[e].year <= k->to;
            const char *forms[3] = {k->hanja, k->hangul, k->abbrev};
            for (int f = 0; f < 3; f++) {
                if (!forms[f])
                    continue;
                lr_norm_category c = match(forms[f], eras[e].date);
                if (f == 2 && (strcmp(forms[f], "사") == 0 || strcmp(forms[f], "공") == 0) &&
                    !exists)
                    continue; /* shared 부호: the date picks the other category (below) */
                lr_norm_status want = exists ? LR_NORM_OK : LR_NORM_FLAGGED;
                CHECKF(c.note.status == want && strcmp(c.code, k->code) == 0 &&
                           c.note.distance == 0 &&
                           (exists || strstr(c.note.reason, "did not exist on")),
                       "%s on %s: got %s %s [%s], want %s %s", forms[f], eras[e].date,
                       lr_norm_status_name(c.note.status), c.code, c.note.reason,
                       lr_norm_status_name(want), k->code);
                if (f == 0 && c.note.status == LR_NORM_OK)
                    valid++;
            }
        }
        CHECKF(valid == eras[e].count, "%d categories in %d, want %d", valid, eras[e].year,
               eras[e].count);
    }
}

static void mapping(void)
{
    /* §2.5: the historical name kept, the modern code and name derived */
    lr_norm_category c = match("池沼", "1930");
    CHECK(strcmp(c.code, "19") == 0 && strcmp(c.modern, "유지") == 0 &&
          strcmp(c.written, "池沼") == 0 && strcmp(c.hangul, "지소") == 0);
    c = match("社寺地", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "25") == 0 &&
          strcmp(c.modern, "종교용지") == 0);
    c = match("城堞", NULL);
    CHECK(strcmp(c.code, "26") == 0 && strcmp(c.modern, "사적지") == 0);
    c = match("墳墓地", NULL);
    CHECK(strcmp(c.code, "27") == 0 && strcmp(c.modern, "묘지") == 0);
    c = match("鐵道線路", NULL);
    CHECK(strcmp(c.code, "15") == 0 && strcmp(c.modern, "철도용지") == 0);
    c = match("公園地", NULL);
    CHECK(strcmp(c.code, "22") == 0 && strcmp(c.modern, "공원") == 0);
    /* a category written before it existed: 鹽田 from 1950-12-01 (the 1950 지적법) */
    c = match("鹽田", "1930");
    CHECK(c.note.status == LR_NORM_FLAGGED && strcmp(c.code, "07") == 0 &&
          strstr(c.note.reason, "category 鹽田 did not exist in 1930"));
    c = match("鹽田", "1950-11-30");
    CHECK(c.note.status == LR_NORM_FLAGGED && strstr(c.note.reason, "on 1950-11-30"));
    c = match("鹽田", "1950-12-01");
    CHECK(c.note.status == LR_NORM_OK);
    c = match("鹽田", "1950-12");
    CHECK(c.note.status == LR_NORM_OK); /* the month touches the period */
    c = match("社寺地", "1975-12-31");
    CHECK(c.note.status == LR_NORM_OK);
    c = match("社寺地", "1976-01-01");
    CHECK(c.note.status == LR_NORM_FLAGGED);
}

static void shared_abbrev(void)
{
    /* 사: 社寺地 (25) to 1975, 史蹟地 (26) from 1976 */
    lr_norm_category c = match("사", "1930");
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "25") == 0);
    c = match("사", "1990");
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "26") == 0);
    c = match("사", NULL);
    CHECK(c.note.status == LR_NORM_FLAGGED && c.code[0] == '\0' && c.nalt >= 2 &&
          strstr(c.note.reason, "give the entry's date"));
    /* 공: 公園地 to 1975, 公園 from 1976, the same code either way */
    c = match("공", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "22") == 0);
    /* 철, 수: the 용지 and 선로 rows share their code */
    c = match("철", "1930");
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "15") == 0);
}

static void written_forms(void)
{
    lr_norm_category c = match("(08) 대", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "08") == 0 && strcmp(c.modern, "대") == 0);
    c = match("(08)", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "08") == 0);
    c = match("08", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "08") == 0);
    c = match("7", NULL); /* one digit alone: kept, flagged (a 〃 read 7) */
    CHECK(c.note.status == LR_NORM_FLAGGED && strcmp(c.code, "07") == 0 &&
          strstr(c.note.reason, "one-digit"));
    c = match("(5)임야", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "05") == 0);
    c = match("(01) 垈", NULL);
    CHECK(c.note.status == LR_NORM_FLAGGED && strcmp(c.code, "08") == 0 &&
          strstr(c.note.reason, "disagree"));
    c = match("(29)", NULL);
    CHECK(c.note.status == LR_NORM_UNPARSEABLE && strstr(c.note.reason, "code 29"));
    c = match("垈地", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "08") == 0);
    c = match("대지", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "08") == 0);
    c = match(" 林 野 ", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "05") == 0);
    /* Japanese shinjitai */
    c = match("雑種地", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "28") == 0 && c.note.distance == 0);
    c = match("鉄道用地", NULL);
    CHECK(strcmp(c.code, "15") == 0);
    c = match("塩田", "1960");
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "07") == 0);
    c = match("鉱泉地", "1960");
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "06") == 0);
}

static void fuzzy(void)
{
    /* look-alikes cost a quarter edit: 沓 for 畓 */
    lr_norm_category c = match("沓", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "02") == 0 && c.note.distance == 1 &&
          c.note.score == 0.75f && strstr(c.note.reason, "read as 畓"));
    /* what the models make of the characters they lack: 你 for 垈, 즘 for 畓 */
    c = match("你", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "08") == 0 && c.note.score == 0.75f);
    c = match("즘", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "02") == 0 && c.note.score == 0.75f);
    c = match("담", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "02") == 0);
    /* 地沼 for 池沼: the decoder's (tests/decode/test_decode.c) */
    /* one arbitrary edit in three characters */
    c = match("雜種池", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "28") == 0 && c.note.distance == 1 &&
          c.note.score > 0.5f && c.note.score < 1.0f);
    c = match("鐵道用也", NULL);
    CHECK(c.note.status == LR_NORM_OK && strcmp(c.code, "15") == 0);
    /* too far: no value, but the alternatives */
    c = match("鐵路", NULL);
    CHECK(c.note.status == LR_NORM_UNPARSEABLE && c.code[0] == '\0' && c.nalt > 0);
    c = match("xyz", NULL);
    CHECK(c.note.status == LR_NORM_UNPARSEABLE && strstr(c.note.reason, "no category like"));
    /* alternatives best first, one per code */
    c = match("鐵道線路", NULL);
    CHECK(c.nalt >= 2 && strcmp(c.alt[0].key, "15") == 0 && c.alt[0].score == 1.0f &&
          strcmp(c.alt[1].key, "21") == 0 && c.alt[1].score < 1.0f);
    for (int i = 1; i < c.nalt; i++)
        CHECK(c.alt[i].score <= c.alt[i - 1].score && strcmp(c.alt[i].key, "15") != 0);
}

static void garbage(void)
{
    lr_norm_category c = match("", NULL);
    CHECK(c.note.status == LR_NORM_UNPARSEABLE);
    CHECK(lr_norm_match_category(T, "\xFF\xFE\xFD", 3, NULL, &c, NULL) == LR_OK &&
          c.note.status == LR_NORM_UNPARSEABLE);
    CHECK(lr_norm_match_category(T, "垈\xFF", 4, NULL, &c, NULL) == LR_OK &&
          c.note.status != LR_NORM_OK);
    char big[5000];
    memset(big, 'a', sizeof big);
    CHECK(lr_norm_match_category(T, big, sizeof big, NULL, &c, NULL) == LR_OK &&
          c.note.status == LR_NORM_UNPARSEABLE);
    CHECK(lr_norm_match_category(T, big, 300, NULL, &c, NULL) == LR_OK &&
          c.note.status == LR_NORM_UNPARSEABLE);
    lr_error err;
    CHECK(lr_norm_match_category(T, S("田"), "1930-13", &c, &err) == LR_ERR_ARG);
    CHECK(lr_norm_match_category(T, S("田"), "19300101", &c, &err) == LR_ERR_ARG);
    CHECK(lr_norm_match_category(NULL, S("田"), NULL, &c, &err) == LR_ERR_ARG);
    CHECK(c.note.status == LR_NORM_UNPARSEABLE);
}

int main(void)
{
    lr_norm_tables *t = nt_load();
    T = t;
    every_category_every_era();
    mapping();
    shared_abbrev();
    written_forms();
    fuzzy();
    garbage();
    lr_norm_tables_destroy(&t);
    return lr_test_finish("normalize-category");
}
