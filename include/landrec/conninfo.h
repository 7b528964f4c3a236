/* conninfo.h — connection strings without their passwords, for everything landrec stores or
 * prints about a connection (invocation.args, error messages, logs).
 *
 * A password is masked as "***" (a fixed mark: it tells that a password was given, not its
 * length), the rest of the string is kept byte for byte:
 *   postgresql://user:secret@host/db?sslpassword=k  → postgresql://user:***@host/db?sslpassword=***
 *   host=h password='a b' dbname=d                  → host=h password=*** dbname=d
 * Masked are: the password of a URI's user-info (everything between the first ':' and the
 * last '@' of the authority), the values of the keys password and sslpassword (any case; in a
 * URI query also percent-encoded keys), and in a key=value string the bare words that follow
 * such a value (an unquoted password with a space in it). Strings libpq would not parse are
 * handled the same way as far as they go, and any word of the form user:secret@host (a
 * mistyped URI, taken by libpq as a database name) has its secret masked too. A password
 * that libpq itself reads out of the string (PQconninfoParse) is masked wherever it appears.
 *
 * Owns: nothing; each result is the caller's. Borrows: the strings it is given, the hex digits
 * of percent-encoding (utf8.h), and reads $PGPASSWORD.
 */
#ifndef LANDREC_CONNINFO_H
#define LANDREC_CONNINFO_H

/* conninfo with its passwords masked. Caller frees with free(); NULL when out of memory or
 * conninfo is NULL. */
char *lr_conninfo_redact(const char *conninfo);

/* text (a message about a connection, e.g. libpq's PQerrorMessage) with the secrets of
 * conninfo masked: every occurrence of conninfo is replaced by its redacted form, and every
 * occurrence of one of its passwords — as written, unquoted or percent-decoded — and of
 * $PGPASSWORD by "***". A secret shorter than 4 bytes is only masked where it is not part of
 * a longer word. conninfo may be NULL (then only $PGPASSWORD). Caller frees with free(); NULL
 * when out of memory or text is NULL. */
char *lr_conninfo_redact_text(const char *text, const char *conninfo);

#endif
