/* Era dates (domain.md §4): every era's 元年, every boundary and switch day, out-of-range
 * years, impossible days, the written forms of §4.3, look-alikes and garbage. */
#include "norm_test.h"

static const lr_norm_tables *T;

static lr_norm_date parse(const char *s, const char *def)
{
    lr_norm_date d;
    int rc = lr_norm_parse_date(T, S(s), def, &d, NULL);
    CHECKF(rc == LR_OK, "%s: rc %d", s, rc);
    return d;
}

/* status and ISO text; a reason that must contain `why` when given */
static void date_is(const char *s, const char *def, lr_norm_status st, const char *iso,
                    const char *why, int line)
{
    lr_norm_date d = parse(s, def);
    CHECKF(d.note.status == st && strcmp(d.iso, iso) == 0 && (!why || strstr(d.note.reason, why)),
           "line %d: %s: got %s \"%s\" [%s], want %s \"%s\" [%s]", line, s,
           lr_norm_status_name(d.note.status), d.iso, d.note.reason, lr_norm_status_name(st), iso,
           why ? why : "");
}

#define OK(s, iso) date_is(s, NULL, LR_NORM_OK, iso, NULL, __LINE__)
#define FLAG(s, iso, why) date_is(s, NULL, LR_NORM_FLAGGED, iso, why, __LINE__)
#define BAD(s, why) date_is(s, NULL, LR_NORM_UNPARSEABLE, "", why, __LINE__)

static void first_years(void)
{
    /* 元年 of each era, on a day the era was in use */
    OK("建陽元年3月1日", "1896-03-01");
    OK("光武元年10月1日", "1897-10-01");
    OK("隆熙元年12月1日", "1907-12-01");
    OK("大正元年8月1日", "1912-08-01");
    OK("昭和元年12月31日", "1926-12-31");
    /* 明治元年 is 1868: long before 明治 was used in Korea */
    FLAG("明治元年3月1日", "1868-03-01", "before 明治 came into use in Korea (1905-11-01)");
    /* 檀紀元年 and 西紀元年 make no date the ledgers can hold */
    FLAG("檀紀元年", "", "cannot be a date");
    FLAG("西紀元年1月1日", "0001-01-01", "before the start of 西紀");
    /* 元 as 1 only for the year; the era's numbers as written */
    lr_norm_date d = parse("大正元年7月30日", NULL);
    CHECK(d.era_year == 1 && d.year == 1912 && strcmp(d.era, "taisho") == 0 &&
          strcmp(d.era_name, "大正") == 0 && d.precision == LR_DATE_DAY);
}

static void boundaries(void)
{
    /* 建陽 → 光武 (adopted 1897-08-14, in use from 08-16 or 08-17: both accepted) */
    OK("建陽2年8月17日", "1897-08-17");
    FLAG("建陽2年8月18日", "1897-08-18", "after the end of 建陽");
    OK("光武元年8月14日", "1897-08-14");
    FLAG("光武元年8月13日", "1897-08-13", "before the start of 光武");
    /* 光武 → 隆熙 */
    OK("光武11年8月2日", "1907-08-02");
    FLAG("光武11年8月3日", "1907-08-03", "after the end of 光武");
    OK("隆熙元年8月3日", "1907-08-03");
    FLAG("隆熙元年8月2日", "1907-08-02", "before the start of 隆熙");
    /* 隆熙 ends with the annexation */
    OK("隆熙4年8月29日", "1910-08-29");
    FLAG("隆熙4年8月30日", "1910-08-30", "after the end of 隆熙 (1910-08-29)");
    OK("明治43年8月29日", "1910-08-29");
    OK("明治38年11月1日", "1905-11-01");
    FLAG("明治38年10月31日", "1905-10-31", "before 明治 came into use in Korea");
    /* switch days belong to both eras */
    OK("明治45年7月30日", "1912-07-30");
    OK("大正元年7月30日", "1912-07-30");
    FLAG("明治45年7月31日", "1912-07-31", "after the end of 明治 (1912-07-30)");
    FLAG("大正元年7月29日", "1912-07-29", "before the start of 大正 (1912-07-30)");
    OK("大正15年12月25日", "1926-12-25");
    OK("昭和元年12月25日", "1926-12-25");
    FLAG("大正15年12月26日", "1926-12-26", "after the end of 大正 (1926-12-25)");
    FLAG("昭和元年12月24日", "1926-12-24", "before the start of 昭和 (1926-12-25)");
    /* 昭和 in Korea: to the liberation, and 昭和 20 is still accepted to its end */
    OK("昭和20年8月15日", "1945-08-15");
    OK("昭和20年12月31日", "1945-12-31");
    FLAG("昭和21年1月1日", "1946-01-01", "after 昭和 went out of use in Korea (1945-12-31)");
    /* 檀紀, official 1948-09-25 … 1961-12-31, year − 2333 */
    OK("檀紀4281年9月25日", "1948-09-25");
    FLAG("檀紀4281年9月24日", "1948-09-24", "before the start of 檀紀");
    OK("檀紀4294年12月31日", "1961-12-31");
    FLAG("檀紀4295年1月1日", "1962-01-01", "after the end of 檀紀 (1961-12-31)");
    OK("檀紀4290年5月3日", "1957-05-03");
    OK("西紀1962年1月1日", "1962-01-01");
    OK("西紀1946年5月1日", "1946-05-01");
    /* a month or year that straddles a boundary is accepted */
    FLAG("大正元年7月", "1912-07", "no day");
    FLAG("大正元年6月", "1912-06", "before the start of 大正");
}

static void out_of_range(void)
{
    /* flagged with the arithmetic reading, never moved to another era */
    lr_norm_date d = parse("大正16年", NULL);
    CHECK(d.note.status == LR_NORM_FLAGGED && d.year == 1927 && d.era_year == 16 &&
          strcmp(d.era, "taisho") == 0 &&
          strstr(d.note.reason, "year 16 out of range for 大正 (1–15)"));
    FLAG("明治46年", "1913", "year 46 out of range for 明治 (1–45)");
    FLAG("明治46年3月1日", "1913-03-01", "year 46 out of range for 明治");
    FLAG("大正16年3月1日", "1927-03-01", "year 16 out of range for 大正");
    FLAG("隆熙5年", "1911", "year 5 out of range for 隆熙 (1–4)");
    FLAG("光武12年", "1908", "year 12 out of range for 光武 (1–11)");
    FLAG("昭和65年", "1990", "year 65 out of range for 昭和 (1–64)");
    FLAG("昭和21年", "1946", "after 昭和 went out of use in Korea");
    FLAG("昭和0年", "", "year 0 of 昭和 does not exist");
}

static void impossible_days(void)
{
    lr_norm_date d = parse("昭和12年2月30日", NULL);
    CHECK(d.note.status == LR_NORM_FLAGGED && d.iso[0] == '\0' && d.precision == LR_DATE_NONE &&
          d.year == 1937 && d.month == 2 && d.day == 30 &&
          strstr(d.note.reason, "day 30 does not exist in 1937-02"));
    FLAG("昭和12年2月29日", "", "day 29 does not exist");
    OK("昭和11年2月29日", "1936-02-29");   /* 1936 is a leap year */
    FLAG("明治33年2月29日", "", "day 29"); /* 1900 is not */
    FLAG("昭和12年4月31日", "", "day 31");
    FLAG("昭和12年3月0日", "", "day 0");
    FLAG("昭和12年13月1日", "", "month 13 does not exist");
    FLAG("2月30日", "", "no year");
    FLAG("3月5日", "", "no year");
    FLAG("昭和12年5日3月", "1937", "a day without a month");
    BAD("昭和12年3月5年", "out of order");
}

static void written_forms(void)
{
    /* §4.3 */
    OK("昭和十二年三月五日", "1937-03-05");
    OK("昭和拾貳年參月五日", "1937-03-05");
    OK("大正五年八月拾日", "1916-08-10");
    OK("大正 五 八 一〇", "1916-08-10");
    FLAG("檀紀四二九〇年", "1957", "no month and day");
    OK("4290.5.3", "1957-05-03");
    FLAG("檀4290", "1957", "no month and day");
    OK("1965年3月2日", "1965-03-02");
    OK("1978년 02월 02일", "1978-02-02");
    OK("昭和12.3.5", "1937-03-05");
    OK("1937/3/5", "1937-03-05");
    OK("1937-03-05", "1937-03-05");
    OK("１９３７年３月５日", "1937-03-05");
    OK("昭和 十二 年 三 月 五 日", "1937-03-05");
    OK("明治四十三年八月二十九日", "1910-08-29");
    OK("昭和十二年正月五日", "1937-01-05");
    OK("大正五年八月廿日", "1916-08-20");
    OK("大正五年八月卅一日", "1916-08-31");
    OK("소화 12년 3월 5일", "1937-03-05");
    OK("대정 5년 8월 10일", "1916-08-10");
    OK("명치 43년 8월 29일", "1910-08-29");
    OK("광무 10년 1월 1일", "1906-01-01");
    OK("융희 2년 1월 1일", "1908-01-01");
    OK("단기 4290년 5월 3일", "1957-05-03");
    OK("서기 1965년 3월 2일", "1965-03-02");
    FLAG("昭和12年", "1937", "no month and day");
    FLAG("昭和12年3月", "1937-03", "no day");
    /* two-digit years (post-1962 cards) read as 19xx, with a note */
    lr_norm_date d = parse("65.3.2", NULL);
    CHECK(d.note.status == LR_NORM_OK && strcmp(d.iso, "1965-03-02") == 0 &&
          strstr(d.note.reason, "two-digit year 65 read as 1965") && d.note.score < 1.0f);
    /* a 檀紀 year needs no era name */
    d = parse("4290.5.3", NULL);
    CHECK(strcmp(d.era, "dangi") == 0 && d.era_year == 4290 && strstr(d.note.reason, "檀紀"));
    /* the modern print: date then reason text */
    FLAG("1978년 02월 02일 분할되어 본번에 -1을 부함", "1978-02-02", "text after the date");
    FLAG("5年", "", "year 5 without an era");
}

static void default_era(void)
{
    lr_norm_date d;
    CHECK(lr_norm_parse_date(T, S("五年八月十日"), "大正", &d, NULL) == LR_OK);
    CHECK(d.note.status == LR_NORM_OK && strcmp(d.iso, "1916-08-10") == 0 &&
          strstr(d.note.reason, "from the column"));
    CHECK(lr_norm_parse_date(T, S("五 八 十"), "taisho", &d, NULL) == LR_OK);
    CHECK(strcmp(d.iso, "1916-08-10") == 0);
    /* an era written wins over the default */
    CHECK(lr_norm_parse_date(T, S("昭和五年八月十日"), "大正", &d, NULL) == LR_OK);
    CHECK(strcmp(d.iso, "1930-08-10") == 0 && strcmp(d.era, "showa") == 0);
    lr_error err;
    CHECK(lr_norm_parse_date(T, S("五年"), "平成", &d, &err) == LR_ERR_ARG &&
          strstr(err.message, "平成"));
    CHECK(d.note.status == LR_NORM_UNPARSEABLE);
}

static void lookalikes(void)
{
    /* 曰 for 日, 午 for 年, 照 for 昭, 止 for 正, 和 for 八: the date's grammar restores
     * them (tests/decode/test_decode.c), no longer this table */
    lr_norm_date d = parse("昭和土二年三月五日", NULL); /* 土 for 十, read into the era's name */
    CHECK(d.note.status == LR_NORM_OK && strcmp(d.iso, "1937-03-05") == 0 && d.note.distance == 1);
    d = parse("昭禾十二年三月五日", NULL); /* one arbitrary error in a two-character name: no */
    CHECK(d.note.status == LR_NORM_UNPARSEABLE && strstr(d.note.reason, "unknown era") &&
          d.nera_alt >= 1 && strcmp(d.era_alt[0].key, "showa") == 0 && d.era_alt[0].score == 0.5f);
    /* A name no era is close enough to: its four-digit year decides, among the closest */
    d = parse("植紀四二八六年二月二十日", NULL); /* 植 for 檀: one edit from 檀紀 and 西紀 */
    CHECKF(d.note.status == LR_NORM_OK && strcmp(d.iso, "1953-02-20") == 0 &&
               strcmp(d.era, "dangi") == 0 && d.note.distance == 1 && d.note.score == 0.5f &&
               strstr(d.note.reason, "unknown era \"植紀\"; the year is 檀紀's"),
           "%s %s [%s]", lr_norm_status_name(d.note.status), d.iso, d.note.reason);
    OK("杆紀 4286.4.16", "1953-04-16");
    OK("植紀1962年1月1日", "1962-01-01");            /* a Gregorian year: 西紀 */
    BAD("植紀12年3月5日", "unknown era \"植紀\"");      /* two digits name no era */
    BAD("植紀5年3月5日", "unknown era \"植紀\"");
    BAD("昭禾1937年3月5日", "unknown era \"昭禾\"");  /* 西紀 is not among the closest */
    BAD("植紀", "unknown era \"植紀\"");
    /* look-alikes of lookalikes.tsv, as OCR reads generated sheets */
    OK("大正去年二月二十六日", "1917-02-26"); /* brush 六 read 去 */
    OK("昭和八年五月凸四日", "1933-05-24");   /* 廿 read 凸 */
    OK("檀紀四二人六年四月三十日", "1953-04-30");
    OK("大正擡年九月七日", "1921-09-07");     /* brush 拾 read 擡 */
    OK("昭和二年五月十日", "1927-05-10");
    OK("昭和五年壹月舍日", "1930-01-02");     /* 貳 read 舍 */
    /* an Arabic digit ending a Hanja date after its day: 日 (檀紀…二十8) */
    OK("檀紀四二九一年六月二十8", "1958-06-20");
    OK("大正十年十月8", "1921-10-08");        /* after 月: the day, as written */
    OK("1983.6.8", "1983-06-08");
    /* a syllable where a marker stands between two numbers: that marker (월 read 열, 걸),
     * flagged */
    FLAG("1980 년 1 열 21 일", "1980-01-21", "a marker misread");
    FLAG("1981 년 2 걸 8 일", "1981-02-08", "a marker misread");
    d = parse("1982 년 4 얼 7 일", NULL);
    CHECK(d.note.status == LR_NORM_FLAGGED && strcmp(d.iso, "1982-04-07") == 0 &&
          d.note.score < 1.0f);
    FLAG("1977 년 걸 24 얼", "1977", "");                 /* no number before it: not a marker */
    FLAG("1978년 02월 02일 분할되어", "1978-02-02", "text after the date");
    d = parse("植紀12年3月5日", "showa");              /* the column's era is no tie-breaker */
    CHECK(d.note.status == LR_NORM_UNPARSEABLE);
}

static void garbage(void)
{
    BAD("", "empty");
    BAD("平成3年", "unknown era \"平成\"");
    BAD("abc", "unknown era");
    BAD("昭和", "an era but no year");
    BAD("年月日", "no date");
    lr_norm_date d;
    CHECK(lr_norm_parse_date(T, "\xC3\x28\xA0\xA1", 4, NULL, &d, NULL) == LR_OK);
    CHECK(d.note.status == LR_NORM_UNPARSEABLE);
    CHECK(lr_norm_parse_date(T, "1937\xFF.3.5", 9, NULL, &d, NULL) == LR_OK);
    CHECK(d.note.status != LR_NORM_OK);
    char *big = malloc(LR_NORM_INPUT_MAX + 10);
    memset(big, '9', LR_NORM_INPUT_MAX + 10);
    CHECK(lr_norm_parse_date(T, big, LR_NORM_INPUT_MAX + 10, NULL, &d, NULL) == LR_OK);
    CHECK(d.note.status == LR_NORM_UNPARSEABLE && strstr(d.note.reason, "too long"));
    CHECK(lr_norm_parse_date(T, big, 40, NULL, &d, NULL) == LR_OK);
    CHECK(d.note.status == LR_NORM_UNPARSEABLE);
    free(big);
    CHECK(lr_norm_parse_date(NULL, S("1937"), NULL, &d, NULL) == LR_ERR_ARG);
    CHECK(lr_norm_parse_date(T, S("1937"), NULL, NULL, NULL) == LR_ERR_ARG);
}

int main(void)
{
    lr_norm_tables *t = nt_load();
    T = t;
    first_years();
    boundaries();
    out_of_range();
    impossible_days();
    written_forms();
    default_era();
    lookalikes();
    garbage();
    lr_norm_tables_destroy(&t);
    return lr_test_finish("normalize-date");
}
