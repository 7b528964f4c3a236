/* Lot numbers (domain.md §5.1), the export's lot form, PNU (§5.2) and 법정동코드 (§5.3). */
#include "norm_test.h"

static const lr_norm_tables *T;

/* The items of s, formatted and joined by " ", ranges as "a..b". */
static lr_norm_lots lots(const char *s, const lr_norm_lot *ctx, char *out, size_t size)
{
    lr_norm_lots r;
    int rc = lr_norm_parse_lots(T, S(s), ctx, &r, NULL);
    CHECKF(rc == LR_OK, "%s: rc %d", s, rc);
    out[0] = '\0';
    for (int i = 0; i < r.nitems; i++) {
        char a[LR_NORM_LOT_SIZE] = "?", b[LR_NORM_LOT_SIZE] = "?";
        lr_norm_format_lot(&r.items[i].lot, a, sizeof a);
        lr_norm_format_lot(&r.items[i].last, b, sizeof b);
        size_t k = strlen(out);
        snprintf(out + k, size - k, "%s%s%s%s", i ? " " : "", a, r.items[i].range ? ".." : "",
                 r.items[i].range ? b : "");
    }
    return r;
}

static void lots_are(const char *s, const lr_norm_lot *ctx, lr_norm_status st, const char *want,
                     long long count, const char *why, int line)
{
    char got[512];
    lr_norm_lots r = lots(s, ctx, got, sizeof got);
    CHECKF(r.note.status == st && strcmp(got, want) == 0 && r.count == count &&
               (!why || strstr(r.note.reason, why)),
           "line %d: %s: got %s \"%s\" (%lld) [%s], want %s \"%s\" (%lld) [%s]", line, s,
           lr_norm_status_name(r.note.status), got, (long long)r.count, r.note.reason,
           lr_norm_status_name(st), want, count, why ? why : "");
}

#define OK(s, want, n) lots_are(s, NULL, LR_NORM_OK, want, n, NULL, __LINE__)
#define FLAG(s, want, n, why) lots_are(s, NULL, LR_NORM_FLAGGED, want, n, why, __LINE__)
#define BAD(s, why) lots_are(s, NULL, LR_NORM_UNPARSEABLE, "", 0, why, __LINE__)

static void forms(void)
{
    OK("123", "123", 1);
    OK("123-4", "123-4", 1);
    OK("一二三ノ四", "123-4", 1);
    OK("123의4", "123-4", 1);
    OK("123の4", "123-4", 1);
    OK("123之4", "123-4", 1);
    OK("百二十三番地ノ四", "123-4", 1);
    OK("123番地", "123", 1);
    OK("123번지", "123", 1);
    OK("123번지의4", "123-4", 1);
    OK("산123-4", "산123-4", 1);
    OK("산 123-4", "산123-4", 1);
    OK("山123番地ノ4", "산123-4", 1);
    OK("산一二三ノ四", "산123-4", 1);
    OK("１２３－４", "123-4", 1);
    OK("9999-9999", "9999-9999", 1);
    lr_norm_lots r;
    lr_norm_parse_lots(T, S("산123-4"), NULL, &r, NULL);
    CHECK(r.nitems == 1 && r.items[0].lot.mountain && r.items[0].lot.main == 123 &&
          r.items[0].lot.sub == 4 && !r.items[0].range && r.note.score == 1.0f);
}

static void lists_and_ranges(void)
{
    OK("123, 125-1", "123 125-1", 2);
    OK("123,125、127·128 및 130", "123 125 127 128 130", 5);
    OK("123 125", "123 125", 2);
    OK("123-4, -5, -6", "123-4 123-5 123-6", 3);
    OK("산5-1, -2", "산5-1 산5-2", 2);
    OK("123-4내지-10", "123-4..123-10", 7);
    OK("123-4 내지 -10", "123-4..123-10", 7);
    OK("123-4 내지 123-10", "123-4..123-10", 7);
    OK("123-4 내지 10", "123-4..123-10", 7);
    OK("123ノ4乃至10", "123-4..123-10", 7);
    OK("123-4~10", "123-4..123-10", 7);
    OK("123 내지 130", "123..130", 8);
    OK("산1-1 내지 -3", "산1-1..산1-3", 3);
    OK("123-4내지-10, 125", "123-4..123-10 125", 8);
    /* "-4내지 -10" of "분할되어 본번에 -4내지 -10부함": the 본번 comes from the sheet */
    const lr_norm_lot sheet = {false, 123, 0};
    lots_are("-4내지 -10", &sheet, LR_NORM_OK, "123-4..123-10", 7, NULL, __LINE__);
    lots_are("-1", &sheet, LR_NORM_OK, "123-1", 1, NULL, __LINE__);
    const lr_norm_lot forest = {true, 7, 0};
    lots_are("-2, -3", &forest, LR_NORM_OK, "산7-2 산7-3", 2, NULL, __LINE__);
    /* without a sheet lot it is flagged */
    FLAG("-4내지 -10", "..", 7, "a 부번 without its 본번");
    /* ranges that do not run forward in one 본번 */
    FLAG("123-10 내지 -4", "123-10..123-4", 2, "does not run forward");
    FLAG("123-4 내지 125-2", "123-4..125-2", 2, "does not run forward");
    FLAG("130 내지 123", "130..123", 2, "does not run forward");
}

static void checks(void)
{
    FLAG("12345", "12345", 1, "more than four digits");
    FLAG("123-12345", "123-12345", 1, "more than four digits");
    FLAG("0", "", 1, "본번 0");
    BAD("", "empty");
    BAD("산", "산 without a number");
    BAD("123-", "missing");
    BAD("123-x", "unexpected");
    BAD("abc", "unexpected");
    BAD("123456789", "too large");
    BAD("百二三", "bad number");
    /* more than LR_NORM_LOTS_MAX items: the first are kept */
    char buf[1024] = "";
    for (int i = 1; i <= 70; i++) {
        size_t k = strlen(buf);
        snprintf(buf + k, sizeof buf - k, "%s%d", i > 1 ? "," : "", i);
    }
    lr_norm_lots r;
    lr_norm_parse_lots(T, S(buf), NULL, &r, NULL);
    CHECK(r.note.status == LR_NORM_FLAGGED && r.nitems == LR_NORM_LOTS_MAX &&
          r.items[63].lot.main == 64 && strstr(r.note.reason, "left out"));
}

static void lookalikes(void)
{
    lr_norm_lots r;
    char got[128];
    r = lots("123一4", NULL, got, sizeof got); /* 一 between Arabic digits is a dash */
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "123-4") == 0 && r.note.distance == 1 &&
          r.note.score < 1.0f);
    r = lots("123ー4", NULL, got, sizeof got);
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "123-4") == 0);
    r = lots("123—4", NULL, got, sizeof got);
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "123-4") == 0);
    r = lots("一二三ー四", NULL, got, sizeof got);
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "123-4") == 0);
    r = lots("一二三丿四", NULL, got, sizeof got);
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "123-4") == 0);
    r = lots("八九八相一六", NULL, got, sizeof got); /* 相 for ノ, as OCR reads it */
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "898-16") == 0 && r.note.distance == 1);
    r = lots("1O5-l", NULL, got, sizeof got);
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "105-1") == 0 && r.note.distance == 2);
    r = lots("二二九7八", NULL, got, sizeof got); /* 7 for ノ between Hanja, as OCR reads it */
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "229-8") == 0 && r.note.distance == 1 &&
          r.note.score < 1.0f);
    r = lots("2297八", NULL, got, sizeof got); /* Arabic on its left: a 7 */
    CHECK(strcmp(got, "229-8") != 0);
    r = lots("二二九7", NULL, got, sizeof got); /* nothing on its right: a 7 */
    CHECK(strcmp(got, "229-7") != 0 && strcmp(got, "229-") != 0);
    /* Hanja and Arabic digits in one lot: kept, flagged (山二三五ノ九 read 二 三 五 2) */
    r = lots("二三五2", NULL, got, sizeof got);
    CHECK(r.note.status == LR_NORM_FLAGGED && strcmp(got, "2352") == 0 &&
          strstr(r.note.reason, "mixed"));
    r = lots("一0", NULL, got, sizeof got); /* 0 is OCR's 〇 */
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "10") == 0);
    /* 一 inside Hanja digits stays a 1 */
    r = lots("一二一", NULL, got, sizeof got);
    CHECK(r.note.status == LR_NORM_OK && strcmp(got, "121") == 0 && r.note.distance == 0);
}

static void format(void)
{
    char buf[LR_NORM_LOT_SIZE];
    lr_norm_lot a = {false, 123, 0}, b = {false, 123, 4}, c = {true, 123, 4},
                d = {true, 9999, 9999};
    CHECK(lr_norm_format_lot(&a, buf, sizeof buf) == LR_OK && strcmp(buf, "123") == 0);
    CHECK(lr_norm_format_lot(&b, buf, sizeof buf) == LR_OK && strcmp(buf, "123-4") == 0);
    CHECK(lr_norm_format_lot(&c, buf, sizeof buf) == LR_OK && strcmp(buf, "산123-4") == 0);
    CHECK(lr_norm_format_lot(&d, buf, sizeof buf) == LR_OK && strcmp(buf, "산9999-9999") == 0);
    lr_norm_lot zero = {false, 0, 1}, neg = {false, 1, -1};
    CHECK(lr_norm_format_lot(&zero, buf, sizeof buf) == LR_ERR_ARG && buf[0] == '\0');
    CHECK(lr_norm_format_lot(&neg, buf, sizeof buf) == LR_ERR_ARG);
    CHECK(lr_norm_format_lot(&c, buf, 5) == LR_ERR_ARG && buf[0] == '\0');
}

static void pnu(void)
{
    /* §5.2: 법정동코드(10) + 1/2 + 본번(4) + 부번(4) */
    char p[LR_NORM_PNU_SIZE], code[LR_NORM_DONG_CODE_SIZE];
    lr_norm_lot lot = {false, 123, 4}, forest = {true, 5, 0}, back;
    lr_error err;
    CHECK(lr_norm_build_pnu(T, "1111010100", &lot, p, NULL) == LR_OK &&
          strcmp(p, "1111010100101230004") == 0);
    CHECK(lr_norm_build_pnu(T, "1111010100", &forest, p, NULL) == LR_OK &&
          strcmp(p, "1111010100200050000") == 0);
    CHECK(strlen(p) == 19 && p[10] == '2');
    /* abolished codes build too (old ledgers) */
    CHECK(lr_norm_build_pnu(T, "1120000100", &lot, p, NULL) == LR_OK);
    /* without tables any 10 digits do */
    CHECK(lr_norm_build_pnu(NULL, "9999999999", &lot, p, NULL) == LR_OK &&
          strcmp(p, "9999999999101230004") == 0);
    CHECK(lr_norm_build_pnu(T, "9999999999", &lot, p, &err) == LR_ERR_ARG && p[0] == '\0' &&
          strstr(err.message, "not in the table"));
    CHECK(lr_norm_build_pnu(T, "111101010", &lot, p, NULL) == LR_ERR_ARG);
    CHECK(lr_norm_build_pnu(T, "111101010x", &lot, p, NULL) == LR_ERR_ARG);
    CHECK(lr_norm_build_pnu(T, NULL, &lot, p, NULL) == LR_ERR_ARG);
    lr_norm_lot big = {false, 10000, 0}, nomain = {false, 0, 1}, bigsub = {false, 1, 10000};
    CHECK(lr_norm_build_pnu(T, "1111010100", &big, p, NULL) == LR_ERR_ARG);
    CHECK(lr_norm_build_pnu(T, "1111010100", &nomain, p, NULL) == LR_ERR_ARG);
    CHECK(lr_norm_build_pnu(T, "1111010100", &bigsub, p, NULL) == LR_ERR_ARG);
    CHECK(lr_norm_build_pnu(T, "1111010100", NULL, p, NULL) == LR_ERR_ARG);

    CHECK(lr_norm_check_pnu(T, "1111010100101230004", code, &back, NULL) == LR_OK &&
          strcmp(code, "1111010100") == 0 && back.main == 123 && back.sub == 4 && !back.mountain);
    CHECK(lr_norm_check_pnu(T, "1111010100200050000", NULL, &back, NULL) == LR_OK &&
          back.mountain && back.main == 5 && back.sub == 0);
    /* the 산 digit last (a public guide's mistake) is refused */
    CHECK(lr_norm_check_pnu(T, "1111010100012300042", code, &back, &err) == LR_ERR_FORMAT &&
          code[0] == '\0' && back.main == 0);
    CHECK(lr_norm_check_pnu(T, "1111010100300050000", NULL, NULL, NULL) == LR_ERR_FORMAT);
    CHECK(lr_norm_check_pnu(T, "1111010100100000001", NULL, NULL, NULL) == LR_ERR_FORMAT);
    CHECK(lr_norm_check_pnu(T, "111101010010123000", NULL, NULL, NULL) == LR_ERR_FORMAT);
    CHECK(lr_norm_check_pnu(T, "11110101001012300041", NULL, NULL, NULL) == LR_ERR_FORMAT);
    CHECK(lr_norm_check_pnu(T, "11110101001012a0004", NULL, NULL, NULL) == LR_ERR_FORMAT);
    CHECK(lr_norm_check_pnu(T, "9999999999101230004", NULL, NULL, NULL) == LR_ERR_FORMAT);
    CHECK(lr_norm_check_pnu(NULL, "9999999999101230004", NULL, NULL, NULL) == LR_OK);
    CHECK(lr_norm_check_pnu(T, NULL, NULL, NULL, NULL) == LR_ERR_ARG);
}

static void dong_is(const char *s, lr_norm_status st, const char *code, const char *why, int line)
{
    lr_norm_dong d;
    CHECK(lr_norm_resolve_dong(T, S(s), &d, NULL) == LR_OK);
    CHECKF(d.note.status == st && strcmp(d.code, code) == 0 && (!why || strstr(d.note.reason, why)),
           "line %d: %s: got %s %s [%s]", line, s, lr_norm_status_name(d.note.status), d.code,
           d.note.reason);
}

static void dongs(void)
{
    dong_is("서울특별시 종로구 청운동", LR_NORM_OK, "1111010100", NULL, __LINE__);
    dong_is("종로구 청운동", LR_NORM_OK, "1111010100", NULL, __LINE__);
    dong_is("청운동", LR_NORM_OK, "1111010100", NULL, __LINE__);
    dong_is("종로구청운동", LR_NORM_OK, "1111010100", NULL, __LINE__);
    dong_is(" 청운동 ", LR_NORM_OK, "1111010100", NULL, __LINE__);
    dong_is("1111010100", LR_NORM_OK, "1111010100", NULL, __LINE__);
    dong_is("종로구", LR_NORM_OK, "1111000000", NULL, __LINE__);
    dong_is("서울특별시", LR_NORM_OK, "1100000000", NULL, __LINE__);
    dong_is("강동구", LR_NORM_OK, "1174000000", NULL, __LINE__);
    /* abolished codes resolve, flagged */
    dong_is("성동구 상일동", LR_NORM_FLAGGED, "1120000100", "abolished", __LINE__);
    /* the existing 강동구 상일동 wins over the abolished one, flagged */
    dong_is("상일동", LR_NORM_FLAGGED, "1174010300", "abolished", __LINE__);
    /* two existing 신사동 (은평구, 강남구): no code */
    dong_is("신사동", LR_NORM_FLAGGED, "", "ambiguous", __LINE__);
    dong_is("강남구 신사동", LR_NORM_OK, "1168010700", NULL, __LINE__);
    dong_is("경기도 광주군 대왕면 수서리", LR_NORM_FLAGGED, "4179004002", "abolished", __LINE__);
    dong_is("대왕면 수서리", LR_NORM_FLAGGED, "4179004002", "abolished", __LINE__);
    dong_is("시흥군", LR_NORM_FLAGGED, "4176000000", "abolished", __LINE__);
    /* a component must match whole: 운동 is not 청운동 */
    dong_is("운동", LR_NORM_UNPARSEABLE, "", "no 법정동", __LINE__);
    dong_is("京城府 本町", LR_NORM_UNPARSEABLE, "", "no 법정동", __LINE__);
    dong_is("", LR_NORM_UNPARSEABLE, "", "empty", __LINE__);
    dong_is("1234567890", LR_NORM_UNPARSEABLE, "", NULL, __LINE__);
    lr_norm_dong d;
    lr_norm_resolve_dong(T, S("청운동"), &d, NULL);
    CHECK(strcmp(d.name, "서울특별시 종로구 청운동") == 0 && !d.abolished && d.nalt == 1 &&
          strcmp(d.alt[0].key, "1111010100") == 0);
    /* resolve, then build */
    char p[LR_NORM_PNU_SIZE];
    lr_norm_lots r;
    lr_norm_parse_lots(T, S("산12ノ3"), NULL, &r, NULL);
    CHECK(lr_norm_build_pnu(T, d.code, &r.items[0].lot, p, NULL) == LR_OK &&
          strcmp(p, "1111010100200120003") == 0);
}

int main(void)
{
    lr_norm_tables *t = nt_load();
    T = t;
    forms();
    lists_and_ranges();
    checks();
    lookalikes();
    format();
    pnu();
    dongs();
    lr_norm_tables_destroy(&t);
    return lr_test_finish("normalize-lot");
}
