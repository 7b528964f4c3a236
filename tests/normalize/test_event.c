/* Events and owner-change causes (domain.md §6): each token from its Hanja and Hangul forms,
 * the modern print's "(NN)" codes per side, forms inside longer text, fuzzy matches, and what
 * stays "other". */
#include "norm_test.h"

static const lr_norm_tables *T;

static void event_is(const char *s, lr_norm_side side, lr_norm_status st, const char *token,
                     const char *why, int line)
{
    lr_norm_event e;
    int rc = lr_norm_match_event(T, S(s), side, &e, NULL);
    CHECKF(rc == LR_OK && e.note.status == st && strcmp(e.token, token) == 0 &&
               (!why || strstr(e.note.reason, why)),
           "line %d: %s: got %s %s [%s], want %s %s [%s]", line, s,
           lr_norm_status_name(e.note.status), e.token, e.note.reason, lr_norm_status_name(st),
           token, why ? why : "");
}

#define OK(s, side, tok) event_is(s, side, LR_NORM_OK, tok, NULL, __LINE__)
#define FLAG(s, side, tok, why) event_is(s, side, LR_NORM_FLAGGED, tok, why, __LINE__)

static void tokens(void)
{
    static const char *const all[] = {"other",        "assessment",      "split",
                                      "merge",        "category_change", "new_registration",
                                      "conversion",   "correction",      "transfer",
                                      "preservation", "inheritance",     "address_change",
                                      "name_change"};
    CHECK(sizeof all / sizeof all[0] == LR_EVENT_KIND_COUNT);
    for (int k = 0; k < LR_EVENT_KIND_COUNT; k++) {
        lr_norm_event_kind kind;
        CHECK(strcmp(lr_norm_event_token((lr_norm_event_kind)k), all[k]) == 0);
        CHECK(lr_norm_event_kind_of(all[k], &kind) == LR_OK && (int)kind == k);
    }
    lr_norm_event_kind kind;
    CHECK(lr_norm_event_kind_of("sale", &kind) == LR_ERR_ARG && kind == LR_EVENT_OTHER);
    CHECK(strcmp(lr_norm_event_token(LR_EVENT_KIND_COUNT), "other") == 0);
}

static void forms(void)
{
    /* land side (§6.1) */
    OK("査定", LR_SIDE_ANY, "assessment");
    OK("사정", LR_SIDE_OWNER, "assessment");
    OK("査定", LR_SIDE_LAND, "assessment");
    OK("分割", LR_SIDE_LAND, "split");
    OK("分筆", LR_SIDE_LAND, "split");
    OK("분할", LR_SIDE_LAND, "split");
    OK("合倂", LR_SIDE_LAND, "merge");
    OK("合併", LR_SIDE_LAND, "merge");
    OK("合筆", LR_SIDE_LAND, "merge");
    OK("합병", LR_SIDE_LAND, "merge");
    OK("地目變換", LR_SIDE_LAND, "category_change");
    OK("地目變更", LR_SIDE_LAND, "category_change");
    OK("지목변경", LR_SIDE_LAND, "category_change");
    OK("新規登錄", LR_SIDE_LAND, "new_registration");
    OK("신규등록", LR_SIDE_LAND, "new_registration");
    OK("登錄轉換", LR_SIDE_LAND, "conversion");
    OK("등록전환", LR_SIDE_LAND, "conversion");
    OK("登錄事項訂正", LR_SIDE_LAND, "correction");
    OK("面積訂正", LR_SIDE_LAND, "correction");
    OK("등록사항정정", LR_SIDE_LAND, "correction");
    OK("行政區域變更", LR_SIDE_LAND, "other");
    OK("區劃整理", LR_SIDE_LAND, "other");
    OK("換地", LR_SIDE_LAND, "other");
    OK("滅失", LR_SIDE_LAND, "other");
    OK("復舊", LR_SIDE_LAND, "other");
    /* owner side */
    OK("所有權移轉", LR_SIDE_OWNER, "transfer");
    OK("소유권이전", LR_SIDE_OWNER, "transfer");
    OK("소유권 이전", LR_SIDE_OWNER, "transfer");
    OK("賣買", LR_SIDE_OWNER, "transfer");
    OK("所有權一部移轉", LR_SIDE_OWNER, "transfer");
    OK("所有權保存", LR_SIDE_OWNER, "preservation");
    OK("保存", LR_SIDE_OWNER, "preservation");
    OK("소유권보존", LR_SIDE_OWNER, "preservation");
    OK("相續", LR_SIDE_OWNER, "inheritance");
    OK("家督相續", LR_SIDE_OWNER, "inheritance");
    OK("상속", LR_SIDE_OWNER, "inheritance");
    OK("住所變更", LR_SIDE_OWNER, "address_change");
    OK("주소변경", LR_SIDE_OWNER, "address_change");
    OK("住所移轉", LR_SIDE_OWNER, "address_change"); /* longer than 移轉 */
    OK("氏名變更", LR_SIDE_OWNER, "name_change");
    OK("創氏", LR_SIDE_OWNER, "name_change");
    OK("改名", LR_SIDE_OWNER, "name_change");
    OK("성명정정", LR_SIDE_OWNER, "name_change"); /* longer than the land side's 정정 */
    OK("姓名訂正", LR_SIDE_OWNER, "name_change");
    OK("歸屬", LR_SIDE_OWNER, "other");
    OK("國有", LR_SIDE_OWNER, "other");
    OK("質權設定", LR_SIDE_OWNER, "other"); /* a pledge: known, so not flagged */
    OK("질권설정", LR_SIDE_OWNER, "other");
    FLAG("質權設定", LR_SIDE_LAND, "other", "no known event");
    /* a form of the other side does not count */
    FLAG("分割", LR_SIDE_OWNER, "other", "no known event");
    FLAG("相續", LR_SIDE_LAND, "other", "no known event");
    OK("相續", LR_SIDE_ANY, "inheritance");
    lr_norm_event e;
    lr_norm_match_event(T, S("分割"), LR_SIDE_LAND, &e, NULL);
    CHECK(e.kind == LR_EVENT_SPLIT && strcmp(e.form, "分割") == 0 && e.code == -1 &&
          e.note.score == 1.0f && e.note.distance == 0 && e.nalt == 1 &&
          strcmp(e.alt[0].key, "split") == 0);
}

static void modern_print(void)
{
    /* §6.2 [P]: (NN) then the reason text */
    OK("(20) 분할되어 본번에 -1을 부함", LR_SIDE_LAND, "split");
    OK("(20) 1978년 02월 02일 분할되어 본번에 -4내지 -10부함", LR_SIDE_LAND, "split");
    OK("(30) 123번과 합병", LR_SIDE_LAND, "merge");
    OK("합병되어 말소", LR_SIDE_LAND, "merge");
    OK("(40) 지목변경", LR_SIDE_LAND, "category_change");
    OK("(02) 신규등록(매립준공)", LR_SIDE_LAND, "new_registration");
    OK("123번으로 등록전환되어 말소", LR_SIDE_LAND, "conversion");
    OK("(01) 소유권보존", LR_SIDE_OWNER, "preservation");
    OK("(03) 소유권이전", LR_SIDE_OWNER, "transfer");
    OK("(04) 소유권일부이전", LR_SIDE_OWNER, "transfer");
    OK("(11) 주소변경", LR_SIDE_OWNER, "address_change");
    /* the code alone decides on its side */
    OK("(20)", LR_SIDE_LAND, "split");
    OK("(1)", LR_SIDE_OWNER, "preservation");
    OK("(1)", LR_SIDE_LAND, "new_registration");
    lr_norm_event e;
    lr_norm_match_event(T, S("(20)"), LR_SIDE_LAND, &e, NULL);
    CHECK(e.code == 20 && strcmp(e.form, "(20)") == 0);
    /* codes shared by the two sides need the side or the text */
    FLAG("(01)", LR_SIDE_ANY, "other", "fits several events");
    OK("(01) 소유권보존", LR_SIDE_ANY, "preservation");
    /* code and text disagree: the code (printed by machine) wins, flagged */
    FLAG("(30) 분할", LR_SIDE_LAND, "merge", "code (30) is merge but the text reads split");
    FLAG("(99) 분할", LR_SIDE_LAND, "split", "unknown code (99)");
    FLAG("(99)", LR_SIDE_LAND, "other", "no known event");
}

static void fuzzy(void)
{
    lr_norm_event e;
    /* a glyph misread (傳 for 轉) is one edit; 相績 for 相續 is the decoder's
     * (tests/decode/test_decode.c) */
    lr_norm_match_event(T, S("所有權移傳"), LR_SIDE_OWNER, &e, NULL);
    CHECK(e.note.status == LR_NORM_OK && e.kind == LR_EVENT_TRANSFER);
    lr_norm_match_event(T, S("登錄傳換"), LR_SIDE_LAND, &e, NULL);
    CHECK(e.note.status == LR_NORM_OK && e.kind == LR_EVENT_CONVERSION);
    /* one arbitrary error in five characters */
    lr_norm_match_event(T, S("所有權保仔"), LR_SIDE_OWNER, &e, NULL);
    CHECK(e.note.status == LR_NORM_OK && e.kind == LR_EVENT_PRESERVATION && e.note.distance == 1 &&
          e.note.score == 0.8f);
    /* 查 (U+67E5) for 査 */
    lr_norm_match_event(T, S("查定"), LR_SIDE_ANY, &e, NULL);
    CHECK(e.kind == LR_EVENT_ASSESSMENT);
    /* nothing close: other, flagged */
    lr_norm_match_event(T, S("xyz"), LR_SIDE_ANY, &e, NULL);
    CHECK(e.note.status == LR_NORM_FLAGGED && e.kind == LR_EVENT_OTHER && e.note.score == 0.0f &&
          strstr(e.note.reason, "no known event in \"xyz\""));
}

static void garbage(void)
{
    lr_norm_event e;
    CHECK(lr_norm_match_event(T, S(""), LR_SIDE_ANY, &e, NULL) == LR_OK);
    CHECK(e.note.status == LR_NORM_UNPARSEABLE && e.token && strcmp(e.token, "other") == 0);
    CHECK(lr_norm_match_event(T, "\xFF", 1, LR_SIDE_ANY, &e, NULL) == LR_OK);
    CHECK(e.note.status == LR_NORM_FLAGGED && e.kind == LR_EVENT_OTHER);
    CHECK(lr_norm_match_event(T, "分割\xFF", 7, LR_SIDE_ANY, &e, NULL) == LR_OK);
    CHECK(e.note.status == LR_NORM_FLAGGED && e.kind == LR_EVENT_SPLIT &&
          strstr(e.note.reason, "UTF-8"));
    /* a long text: exact forms are found anywhere, fuzzy search covers the start */
    char big[LR_NORM_INPUT_MAX];
    memset(big, 'x', sizeof big);
    memcpy(big + 3000, "分割", 6);
    CHECK(lr_norm_match_event(T, big, sizeof big, LR_SIDE_LAND, &e, NULL) == LR_OK);
    CHECK(e.note.status == LR_NORM_OK && e.kind == LR_EVENT_SPLIT);
    CHECK(lr_norm_match_event(T, big, sizeof big + 0, (lr_norm_side)7, &e, NULL) == LR_ERR_ARG);
    CHECK(lr_norm_match_event(NULL, S("分割"), LR_SIDE_ANY, &e, NULL) == LR_ERR_ARG);
    CHECK(e.token && e.kind == LR_EVENT_OTHER);
}

int main(void)
{
    lr_norm_tables *t = nt_load();
    T = t;
    tokens();
    forms();
    modern_print();
    fuzzy();
    garbage();
    lr_norm_tables_destroy(&t);
    return lr_test_finish("normalize-event");
}
