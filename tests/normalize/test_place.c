/* The first unit of an address or a location (places.tsv): read right it is kept, misread it
 * is repaired when its kind (特別市, 道, 府, 특별시, 도) is read right and the name is near
 * enough, never otherwise; the rest of the text is kept. */
#include "norm_test.h"

static const lr_norm_tables *T;

static void place_is(const char *s, const char *value, const char *place, int edits, int line)
{
    lr_norm_place p;
    int rc = lr_norm_place_fix(T, S(s), &p, NULL);
    CHECKF(rc == LR_OK && strcmp(p.value, value) == 0 && strcmp(p.place, place) == 0 &&
               p.edits == edits,
           "line %d: \"%s\": got \"%s\" (%s, %d edits), want \"%s\" (%s, %d)", line, s, p.value,
           p.place, p.edits, value, place, edits);
}

#define SAME(s, place) place_is(s, s, place, 0, __LINE__)
#define FIX(s, value, place, edits) place_is(s, value, place, edits, __LINE__)
#define NONE(s) place_is(s, s, "", 0, __LINE__)

int main(void)
{
    lr_norm_tables *t = nt_load();
    T = t;

    /* Read right: kept as it is (spaces and all), the unit named. */
    SAME("서울特別市 城東區 往十里洞 437", "서울特別市");
    SAME("京畿道 高陽郡 恩平面 佛光里", "京畿道");
    SAME("京城府 黃金町 六丁目", "京城府");
    SAME("서울특별시 마포구 공덕동", "서울특별시");
    SAME("경기도 양주군", "경기도");
    SAME("忠淸北道 淸州郡", "忠淸北道");
    SAME("京畿道", "京畿道");

    /* Seoul's 特別市 misread before the kind: the only 特別市, the kind read right. */
    FIX("媽合特別市 城東區 往十里洞 248", "서울特別市 城東區 往十里洞 248", "서울特別市", 2);
    FIX("畫全特別市鍾路區寬勳洞", "서울特別市鍾路區寬勳洞", "서울特別市", 2);
    FIX("鋪 仿 特 別 市 永登浦區", "서울特別市 永登浦區", "서울特別市", 2);
    FIX("서全特別市 中區", "서울特別市 中區", "서울特別市", 1);
    FIX("서울특벌시 중구", "서울특벌시 중구", "", 0); /* the kind misread: not touched */
    FIX("서올특별시 중구", "서울특별시 중구", "서울특별시", 1);

    /* A character of the name split in two or dropped (one more or fewer before the kind). */
    FIX("畵和合特別市 西大門區", "서울特別市 西大門區", "서울特別市", 3);
    FIX("京道 廣州郡", "京畿道 廣州郡", "京畿道", 1);
    NONE("大韓民國 서울特別市"); /* the kind too far in */

    /* 京畿道 without 畿 (no model has it): one character off, the only one so near. */
    FIX("京比道 廣州郡 彦州面", "京畿道 廣州郡 彦州面", "京畿道", 1);
    FIX("京 幾 道 始 興 郡", "京畿道 始 興 郡", "京畿道", 1);
    FIX("京開道始興郡東面新林里", "京畿道始興郡東面新林里", "京畿道", 1);
    FIX("강원로 춘천", "강원로 춘천", "", 0); /* 로 is no kind */
    FIX("경귀도 광주군", "경기도 광주군", "경기도", 1);
    FIX("忠靑北道 淸州郡", "忠淸北道 淸州郡", "忠淸北道", 1);
    NONE("忠淸比道 淸州郡"); /* 忠淸北道 and 忠淸南道 both one off: a tie, nothing chosen */
    /* Two characters of a two-character name off, with other 道 of that length: no name is
     * near enough, but the county after it says which (places.tsv within). */
    FIX("모른道 廣州郡", "京畿道 廣州郡", "京畿道", 3);
    NONE("모른道 淸州郡"); /* a county the table does not list */
    /* A township (面) read right after junk: the units above it take the junk's place — the
     * county after a province read right, both when neither was read (places.tsv within). */
    FIX("京畿道 유재 東面新林里", "京畿道 始興郡 東面新林里", "京畿道", 2);
    FIX("京畿道始與部北面 조", "京畿道 始興郡 北面 조", "京畿道", 3);
    FIX("그 싸커 蘆海面道峰里", "京畿道 楊州郡 蘆海面道峰里", "京畿道", 3);
    FIX("구르 楊州郡蘆海面", "京畿道 楊州郡蘆海面", "京畿道", 2); /* the least junk: the county */
    SAME("京畿道 高陽郡 東面", "京畿道"); /* a county read right is not junk, even a wrong one */
    SAME("東面 新林里", ""); /* a township is no first unit */
    SAME("京畿道 가나다라마 東面", "京畿道"); /* more junk than one unit leaves */
    NONE("가 나 다 라 마 바 사 아 자 蘆海面"); /* more than two units leave */
    /* Junk where the first unit was (京畿道 read as Hangul), 1 to 4 characters. */
    FIX("그런 楊州郡 蘆海面", "京畿道 楊州郡 蘆海面", "京畿道", 2);
    FIX("제 풀 별 始興郡", "京畿道 始興郡", "京畿道", 3);
    FIX("꾸려 김포군", "경기도 김포군", "경기도", 2);
    NONE("가나다라마 楊州郡");
    FIX("江北道 春川郡", "江原道 春川郡", "江原道", 1); /* one off 江原道, two off the rest */
    /* Seoul's 구 and 동 (legal_dong.tsv, existing rows) the same way: a 동 read right gives
     * the 구 its junk stands for, and the city too when that was junk as well. */
    FIX("서 울 특별시 성 콩 구 행당동", "서울특별시 성동구 행당동", "서울특별시", 3);
    FIX("서울특별시 도 본 구 쌍문동 9324", "서울특별시 도봉구 쌍문동 9324", "서울특별시", 3);
    FIX("서 좁 별시 영 등 구 당산동 701-7", "서울특별시 영등포구 당산동 701-7", "서울특별시", 7);
    FIX("人 4 영등포구 당산동", "서울특별시 영등포구 당산동", "서울특별시", 2);
    SAME("서울특별시 마포구 공덕동", "서울특별시");
    /* a 동 of two 구 (신사동: 은평구 and 강남구) says neither */
    SAME("서울특별시 가나 신사동", "서울특별시");
    /* a 구 is never a first unit repaired: 서 이구 is no 서초구 */
    NONE("서 이구 中區 乙支路三街");
    SAME("종로구 청운동", "종로구");
    /* 서울시, the city's short form, is no junk before its 구; nor is a unit written
     * without its kind */
    SAME("서울시 종로구 청 운 동", "서울시");
    NONE("서울 종로구 청운동");
    NONE("종로 청운동");
    NONE("京畿 楊州郡 蘆海面");
    /* 府 alone is not enough to say 京城府: 仁川府 stays (one off 京城 in no character). */
    NONE("仁川府 本町");
    FIX("京域府 本町", "京城府 本町", "京城府", 1);
    /* A tie between two names one off: nothing chosen. 全羅北道 and 慶尙北道 differ from
     * 全尙北道 in one character each. */
    NONE("全尙北道 全州郡");

    /* Characters no address holds (lookalikes.tsv "address"), anywhere in the text. */
    lr_norm_place q;
    CHECK(lr_norm_place_fix(T, S("京城府 黃金叮 六丁目"), &q, NULL) == LR_OK &&
          strcmp(q.value, "京城府 黃金町 六丁目") == 0 && q.repairs == 1 && q.edits == 0);
    CHECK(lr_norm_place_fix(T, S("京城 府 長谷川 叮 六 十 番地"), &q, NULL) == LR_OK &&
          strstr(q.value, "長谷川 町") != NULL && q.repairs == 1);
    CHECK(lr_norm_place_fix(T, S("京城府 黃金町"), &q, NULL) == LR_OK && q.repairs == 0);

    /* The words after a number (番地, 丁目) with one character misread, or both read as
     * look-alikes; not before a number, not when both are wrong otherwise. */
    CHECK(lr_norm_place_fix(T, S("京城府 竹添町 一丁目 二七看地"), &q, NULL) == LR_OK &&
          strcmp(q.value, "京城府 竹添町 一丁目 二七番地") == 0 && q.repairs == 1);
    CHECKF(lr_norm_place_fix(T, S("京城 府 太 平 通 二 耳目 四 百 番 址"), &q, NULL) == LR_OK &&
               strcmp(q.value, "京城府 太 平 通 二 丁目 四 百 番 地") == 0 && q.repairs == 2,
           "got \"%s\", %d repairs", q.value, q.repairs);
    CHECK(lr_norm_place_fix(T, S("京城府 鍾路 五了日 五二二番地"), &q, NULL) == LR_OK &&
          strcmp(q.value, "京城府 鍾路 五丁目 五二二番地") == 0 && q.repairs == 2);
    CHECK(lr_norm_place_fix(T, S("京城府 看地 二七番地 一丁目"), &q, NULL) == LR_OK &&
          q.repairs == 0); /* 看地 after no number; the rest read right */
    CHECK(lr_norm_place_fix(T, S("京城府 鍾路 五了看"), &q, NULL) == LR_OK && q.repairs == 0);
    CHECK(lr_norm_place_fix(T, S("서울特別市 中區 明洞二街 209"), &q, NULL) == LR_OK &&
          q.repairs == 0);

    /* Characters no address holds: 困 for 町, 渦 for 洞 (lookalikes.tsv "address"). */
    CHECK(lr_norm_place_fix(T, S("京城府 竹添困 一丁目"), &q, NULL) == LR_OK &&
          strcmp(q.value, "京城府 竹添町 一丁目") == 0 && q.repairs == 1);

    /* A county at the start is a unit too. No unit at the start, or too short: kept. */
    FIX("高陽郡 恩平面", "高陽郡 恩平面", "高陽郡", 0);
    NONE("恩平面 佛光里");
    NONE("洞");
    NONE("");
    NONE("12-3 番地");
    NONE("特別市");
    /* Folding as lr_norm_clean_text: full-width digits become ASCII. */
    FIX("京畿道 １２番地", "京畿道 12番地", "京畿道", 0);

    /* Refused arguments, and text beyond what a normaliser reads (no value). */
    lr_norm_place p;
    lr_error err;
    CHECK(lr_norm_place_fix(NULL, S("京畿道"), &p, &err) == LR_ERR_ARG);
    CHECK(lr_norm_place_fix(T, S("京畿道"), NULL, &err) == LR_ERR_ARG);
    CHECK(lr_norm_place_fix(T, NULL, 3, &p, &err) == LR_ERR_ARG);
    CHECK(lr_norm_place_fix(T, NULL, 0, &p, &err) == LR_OK && p.value[0] == '\0');
    char *big = malloc(LR_NORM_INPUT_MAX + 10);
    if (big) {
        memset(big, 'a', LR_NORM_INPUT_MAX + 9);
        big[LR_NORM_INPUT_MAX + 9] = '\0';
        CHECK(lr_norm_place_fix(T, S(big), &p, &err) == LR_OK && p.value[0] == '\0');
        free(big);
    }
    lr_norm_tables_destroy(&t);
    return lr_test_finish("normalize-place");
}
