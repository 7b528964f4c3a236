/* test_cer.c — pins the CER scorer of cer.h to small cases counted by hand. */
#include <math.h>

#include "cer.h"
#include "lr_test.h"

static void expect(const char *ref, const char *hyp, cer_filter filter, size_t edits,
                   size_t ref_len, const char *what)
{
    cer_score s;
    CHECKF(cer_compute(ref, hyp, filter, &s), "%s: out of memory", what);
    CHECKF(s.edits == edits && s.ref_len == ref_len,
           "%s: got %zu edits over %zu, want %zu over %zu", what, s.edits, s.ref_len, edits,
           ref_len);
    double want = ref_len ? (double)edits / (double)ref_len : (double)edits;
    CHECKF(fabs(s.cer - want) < 1e-12, "%s: cer %g, want %g", what, s.cer, want);
}

int main(void)
{
    /* Plain edits. */
    expect("abc", "abc", NULL, 0, 3, "identical");
    expect("abc", "abd", NULL, 1, 3, "one substitution");
    expect("abc", "abcd", NULL, 1, 3, "one insertion");
    expect("abcd", "abd", NULL, 1, 4, "one deletion");
    expect("abc", "", NULL, 3, 3, "empty hypothesis");
    expect("", "", NULL, 0, 0, "both empty");
    expect("", "ab", NULL, 2, 0, "empty reference counts each insertion as 1");
    expect("ab", "ba", NULL, 2, 2, "transposition is two edits (not Damerau)");
    expect("kitten", "sitting", NULL, 3, 6, "kitten/sitting");
    expect("flaw", "lawn", NULL, 2, 4, "flaw/lawn");

    /* Whitespace of every kind is ignored on both sides. */
    expect("a b\tc\n", "abc", NULL, 0, 3, "ASCII whitespace");
    expect("住所\xe3\x80\x80京城", "住所 京城", NULL, 0, 4, "ideographic space");
    expect("a b", "a  b  ", NULL, 0, 2, "extra spaces in hypothesis");

    /* Code points, not bytes: one wrong syllable is one edit although it is 3 bytes. */
    expect("토지대장", "토지대상", NULL, 1, 4, "one Hangul substitution");
    expect("金哲洙", "金哲泊", NULL, 1, 3, "one Hanja substitution");
    expect("𠀀a", "a", NULL, 1, 2, "4-byte code point");
    expect("ab", "a\xff\x62", NULL, 1, 2, "malformed byte is one inserted U+FFFD");
    expect("a\xe3\x80", "a", NULL, 2, 3, "each byte of a truncated sequence is one U+FFFD");

    /* Per-script scores. */
    const char *ref = "地番 123 토지대장 京城";
    const char *hyp = "地番 128 도지대장 京域";
    expect(ref, hyp, NULL, 3, 11, "all scripts");
    expect(ref, hyp, cer_is_digit, 1, 3, "digits");
    expect(ref, hyp, cer_is_hangul, 1, 4, "Hangul");
    expect(ref, hyp, cer_is_hanja, 1, 4, "Hanja");
    expect("住所 토지", "住所 住지", cer_is_hangul, 1, 2, "Hangul read as Hanja: deletion");
    expect("住所 토지", "住所 住지", cer_is_hanja, 1, 2, "… and insertion in Hanja");
    expect("abc", "xyz", cer_is_digit, 0, 0, "no digits on either side");
    expect("１２", "12", cer_is_digit, 2, 2, "full-width digits are digits, but differ");

    CHECK(fabs(cer("abcd", "abce") - 0.25) < 1e-12);
    return lr_test_finish("ocr-cer");
}
