/* test_utf8.c — lr_utf8_next, the one UTF-8 decoder: every valid code point decodes to itself
 * with its length, and each kind of invalid sequence RFC 3629 rules out is refused; the hex
 * digits of escapes. */
#include <stdint.h>

#include "landrec/utf8.h"
#include "lr_test.h"

/* cp as UTF-8 into out (room for 4); its length. */
static size_t encode(uint32_t cp, char *out)
{
    unsigned char *u = (unsigned char *)out;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xc0 | cp >> 6);
        u[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xe0 | cp >> 12);
        u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
        u[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    u[0] = (unsigned char)(0xf0 | cp >> 18);
    u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
    u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
    u[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Every valid code point, bounded and NUL-terminated. */
static void every_code_point(void)
{
    size_t wrong = 0;
    for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff)
            continue;
        char buf[5] = {0};
        size_t n = encode(cp, buf);
        uint32_t got = 0xdeadbeef, got_nul = 0xdeadbeef;
        size_t k = lr_utf8_next(buf, n, &got);
        size_t k_nul = lr_utf8_next(buf, SIZE_MAX, &got_nul);
        size_t k_short = lr_utf8_next(buf, n - 1, NULL);
        if (k != n || got != cp || k_nul != n || got_nul != cp || k_short != 0)
            wrong++;
    }
    CHECKF(wrong == 0, "%zu code points decode wrongly", wrong);
}

/* One invalid sequence: refused, *out_cp untouched. */
static void refused(const char *what, const char *s, size_t len)
{
    uint32_t cp = 0x12345;
    size_t k = lr_utf8_next(s, len, &cp);
    CHECKF(k == 0 && cp == 0x12345, "%s: length %zu, U+%04X", what, k, (unsigned)cp);
}

static void invalid_sequences(void)
{
    refused("a continuation byte", "\x80", 1);
    refused("C0 (overlong only)", "\xc0\xaf", 2);
    refused("C1 (overlong only)", "\xc1\xbf", 2);
    refused("overlong three bytes", "\xe0\x80\xaf", 3);
    refused("overlong four bytes", "\xf0\x80\x80\xaf", 4);
    refused("a surrogate", "\xed\xa0\x80", 3);
    refused("above U+10FFFF", "\xf4\x90\x80\x80", 4);
    refused("F5", "\xf5\x80\x80\x80", 4);
    refused("FF", "\xff", 1);
    refused("a lead without its continuation", "\xe3\x41\x81", 3);
    refused("a sequence cut by len", "\xe3\x81\x82", 2);
    refused("a sequence cut by the NUL", "\xe3\x81", SIZE_MAX);
    refused("no bytes", "a", 0);
    refused("NULL", NULL, 4);
}

static void edges(void)
{
    uint32_t cp = 7;
    CHECK(lr_utf8_next("", 1, &cp) == 1 && cp == 0);                        /* NUL is a character */
    CHECK(lr_utf8_next("\xed\x9f\xbf", 3, &cp) == 3 && cp == 0xd7ff);       /* below surrogates */
    CHECK(lr_utf8_next("\xee\x80\x80", 3, &cp) == 3 && cp == 0xe000);       /* above them */
    CHECK(lr_utf8_next("\xf4\x8f\xbf\xbf", 4, &cp) == 4 && cp == 0x10ffff); /* the last */
    CHECK(lr_utf8_next("\xea\xb0\x80xyz", 6, NULL) == 3);                   /* 가, no out_cp */
}

static void validity(void)
{
    CHECK(lr_utf8_valid("地番 123", strlen("地番 123")));
    CHECK(!lr_utf8_valid("a\0b", 3));
    CHECK(!lr_utf8_valid("\xea\xb0", 2));
    CHECK(lr_utf8_valid("", 0));
}

/* Two hex digits of either case are a byte; anything shorter or else is not, and the byte
 * after a non-digit is never read (a string may end there). */
static void hex_bytes(void)
{
    CHECK(lr_utf8_hex_byte("00") == 0 && lr_utf8_hex_byte("ff") == 255);
    CHECK(lr_utf8_hex_byte("Ab") == 0xab && lr_utf8_hex_byte("9Fz") == 0x9f);
    CHECK(lr_utf8_hex_byte("g0") == -1 && lr_utf8_hex_byte("0g") == -1);
    CHECK(lr_utf8_hex_byte("f") == -1 && lr_utf8_hex_byte("") == -1);
}

int main(void)
{
    every_code_point();
    invalid_sequences();
    edges();
    validity();
    hex_bytes();
    return lr_test_finish("base-utf8");
}
