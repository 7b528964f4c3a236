/* test_store_conninfo.c — passwords masked out of connection strings (conninfo.h): URIs with
 * and without user-info, percent-encoded, in the query; key=value strings with quoted values,
 * escapes, a password= inside another value; malformed strings and garbage; and messages
 * quoting them. Needs no server. */
#include <stdlib.h>
#include <string.h>

#include "landrec/conninfo.h"
#include "lr_test.h"

static void redacts(const char *in, const char *want)
{
    char *got = lr_conninfo_redact(in);
    CHECKF(got && strcmp(got, want) == 0, "redact(%s) = %s, want %s", in, got ? got : "(null)",
           want);
    free(got);
}

/* Only that the secret is gone (and nothing crashes): for garbage whose shape is not the
 * point. */
static void hides(const char *in, const char *secret)
{
    char *got = lr_conninfo_redact(in);
    CHECKF(got && !strstr(got, secret), "redact(%s) = %s still holds %s", in, got ? got : "(null)",
           secret);
    free(got);
}

static void text_redacts(const char *text, const char *conninfo, const char *want)
{
    char *got = lr_conninfo_redact_text(text, conninfo);
    CHECKF(got && strcmp(got, want) == 0, "redact_text(%s | %s) = %s, want %s", text,
           conninfo ? conninfo : "(null)", got ? got : "(null)", want);
    free(got);
}

int main(void)
{
    unsetenv("PGPASSWORD");

    /* URIs */
    redacts("postgresql://user:secret@host/db", "postgresql://user:***@host/db");
    redacts("postgres://user:secret@host:5432/db?sslmode=require",
            "postgres://user:***@host:5432/db?sslmode=require");
    redacts("POSTGRESQL://user:secret@host/db", "POSTGRESQL://user:***@host/db");
    redacts("postgresql://host/db", "postgresql://host/db");
    redacts("postgresql://user@host/db", "postgresql://user@host/db");
    redacts("postgresql:///db?host=/tmp/sock", "postgresql:///db?host=/tmp/sock");
    redacts("postgresql://user:@host/db", "postgresql://user:@host/db");
    redacts("postgresql://u:p%40ss%20w@host/db", "postgresql://u:***@host/db");
    redacts("postgresql://u:p@ss@host/db", "postgresql://u:***@host/db");
    redacts("postgresql://u:secret@h1:5432,h2:5433/db", "postgresql://u:***@h1:5432,h2:5433/db");
    redacts("postgresql:///db?host=/tmp&password=secret&sslmode=disable",
            "postgresql:///db?host=/tmp&password=***&sslmode=disable");
    redacts("postgresql://h/db?PassWord=secret", "postgresql://h/db?PassWord=***");
    redacts("postgresql://h/db?pass%77ord=secret", "postgresql://h/db?pass%77ord=***");
    redacts("postgresql://h/db?sslpassword=secret", "postgresql://h/db?sslpassword=***");
    redacts("postgresql://u:pw1@h/db?password=pw2", "postgresql://u:***@h/db?password=***");
    redacts("postgresql://u@h/db?application_name=x@y:z",
            "postgresql://u@h/db?application_name=x@y:z");

    /* key=value */
    redacts("host=h password=secret dbname=d", "host=h password=*** dbname=d");
    redacts("host=h password='sec ret\\'s' dbname=d", "host=h password=*** dbname=d");
    redacts("host=h password = 'a b' dbname=d", "host=h password = *** dbname=d");
    redacts("password=a\\ b host=h", "password=*** host=h");
    redacts("password= host=x", "password= ***");
    redacts("PASSWORD=secret", "PASSWORD=***");
    redacts("sslpassword=secret sslkey=/k", "sslpassword=*** sslkey=/k");
    redacts("application_name='password=abc' password=real1 user=u",
            "application_name='password=abc' password=*** user=u");
    redacts("application_name='a password=b' user=u", "application_name='a password=b' user=u");
    redacts("host=h dbname=d", "host=h dbname=d");
    redacts("host=h password='sec ret", "host=h password=***");
    redacts("host=h password=sec ret dbname=d", "host=h password=*** *** dbname=d");
    redacts("dbname=u:secret@h", "dbname=u:***@h");
    redacts("postgre://u:secret@h/db?sslmode=require", "postgre://u:***@h/db?sslmode=require");
    /* libpq's reading is masked wherever it appears: here the user name is the password. */
    redacts("user=landrec password=landrec dbname=x", "user=*** password=*** dbname=x");

    /* not a connection string: a database name, or a mistyped URI */
    redacts("landrec", "landrec");
    redacts("", "");
    redacts("u:secret@host/db", "u:***@host/db");
    redacts("postgresql:/u:secret@host/db", "postgresql:/u:***@host/db");

    /* garbage must not crash and must not leak */
    hides("postgresql://:secret@", "secret");
    hides("password='secret", "secret");
    hides("password=secret\\", "secret");
    hides("password=\\'secret' x", "secret");
    hides("  password  =  secret  ", "secret");
    hides("a=b password=secret ===", "secret");
    hides("postgresql://u:secret@[::1/db", "secret");
    hides("postgresql://u:secret@h/db?password", "secret");
    hides("postgresql://u:sec%zzret@h/db", "sec%zzret");
    redacts("postgresql://", "postgresql://");
    redacts("postgresql://@", "postgresql://@");
    redacts("=", "=");
    redacts("password", "password");
    redacts("'''", "'''");
    redacts("%", "%");
    char junk[512];
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)(rand_r(&seed) % (sizeof junk - 1));
        static const char alphabet[] = "postgresql:/@?&=%' \\passwordxyz";
        for (size_t i = 0; i < n; i++)
            junk[i] = (rand_r(&seed) % 4 == 0) ? (char)(1 + rand_r(&seed) % 255)
                                               : alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        junk[n] = '\0';
        char *r = lr_conninfo_redact(junk);
        char *t = lr_conninfo_redact_text(junk, junk);
        CHECK(r != NULL && t != NULL);
        free(r);
        free(t);
    }
    CHECK(lr_conninfo_redact(NULL) == NULL);

    /* messages */
    text_redacts("end of string reached when looking for matching \"]\" in IPv6 host address "
                 "in URI: \"postgresql://u:s3cretpw@[::1/db\"",
                 "postgresql://u:s3cretpw@[::1/db",
                 "end of string reached when looking for matching \"]\" in IPv6 host address "
                 "in URI: \"postgresql://u:***@[::1/db\"");
    text_redacts("invalid percent-encoded token: \"s3cret%zzpw\"",
                 "postgresql://u:s3cret%zzpw@host/db", "invalid percent-encoded token: \"***\"");
    text_redacts("password for \"p@ss w\" refused", "postgresql://u:p%40ss%20w@host/db",
                 "password for \"***\" refused");
    text_redacts("missing \"=\" after \"two\" in connection info string", "host=h password=one two",
                 "missing \"=\" after \"***\" in connection info string");
    text_redacts("value sec ret's", "host=h password='sec ret\\'s'", "value ***");
    text_redacts("database ab, table tab", "password=ab host=h", "database ***, table tab");
    text_redacts("nothing secret here", NULL, "nothing secret here");
    setenv("PGPASSWORD", "envsecret", 1);
    text_redacts("it was envsecret!", NULL, "it was ***!");
    text_redacts("it was envsecret!", "host=h", "it was ***!");
    unsetenv("PGPASSWORD");
    CHECK(lr_conninfo_redact_text(NULL, "x") == NULL);

    return lr_test_finish("test_store_conninfo");
}
