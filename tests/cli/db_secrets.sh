#!/usr/bin/env bash
# Passwords given in --db never reach the database (invocation.args), stderr or stdout: URI
# user-info, URI query parameters, key=value pairs, in --db VALUE and --db=VALUE form, and in
# the messages of malformed connection strings. The test cluster trusts every local
# connection, so any password is accepted.
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/secrets.XXXXXX")
page="$tmp/p.tif"
cp "$T/pages/ledger-a-bitonal-g4.tif" "$page"
user=${PGUSER:-$(id -un)}
sock=${PGHOST:?}
uri="postgresql://$user:s3cretpw@/$TEST_DB?host=$sock"
kv="host=$sock dbname=$TEST_DB password='s3cret\\'pw two' application_name='password=shown'"
no_secret() { ! grep -q "s3cret" "$@"; }

check "db init through the URI" $L db init --db "$uri" >"$tmp/init.out" 2>&1
check "db init prints no password" no_secret "$tmp/init.out"
$L db status --db "$uri" >"$tmp/status.out" 2>&1
check "db status exits 0" [ $? -eq 0 ]
check "db status prints no password" no_secret "$tmp/status.out"

$L run --db "$uri" -j 1 --no-derivatives --no-progress "$page" >"$tmp/run1.out" 2>&1
check "run with a URI password: exit 0" [ $? -eq 0 ]
$L run --db="$kv" -j 1 --no-derivatives --no-progress "$page" >"$tmp/run2.out" 2>&1
check "run with a key=value password (--db=): exit 0" [ $? -eq 0 ]
cat "$tmp/run1.out" "$tmp/run2.out"
check "run prints no password" no_secret "$tmp/run1.out" "$tmp/run2.out"
q "select args from invocation order by id" > "$tmp/args"
cat "$tmp/args"
check "two invocations recorded" [ "$(wc -l < "$tmp/args")" = 2 ]
check "invocation.args holds no password" no_secret "$tmp/args"
check "the URI is kept with its password masked" grep -qF "postgresql://$user:***@/$TEST_DB?host=$sock" "$tmp/args"
check "the key=value string is kept with its password masked" \
    grep -qF -- "'--db=host=$sock dbname=$TEST_DB password=*** application_name='password=shown''" "$tmp/args"

# Malformed connection strings: libpq's message may quote the string; it is redacted.
bad=(
    'postgresql://u:s3cretpw@[::1/db'
    'postgresql://u:s3cretpw@host:notaport/db'
    'postgresql://u:s3cret%zzpw@host/db'
    'postgresql://u@host/db?password=s3cretpw&bogus=1'
    "host=nowhere password='s3cret pw"
    'host=nowhere password=s3cretpw bogus=1'
    'u:s3cretpw@host/db'
)
for c in "${bad[@]}"; do
    for cmd in "run --no-progress $page" "db status" "export --format jsonl"; do
        # shellcheck disable=SC2086
        $L $cmd --db "$c" >"$tmp/bad.out" 2>"$tmp/bad.err"
        st=$?
        check "malformed ($c) with $cmd: exit 2" [ $st -eq 2 ]
        check "malformed ($c) with $cmd: no password in the output" no_secret "$tmp/bad.out" "$tmp/bad.err"
    done
done
$L run --no-progress --db 'postgresql://u:s3cretpw@[::1/db' "$page" 2>"$tmp/bad.err"
check "the redacted message still explains" grep -qF 'postgresql://u:***@[::1/db' "$tmp/bad.err"

rm -rf "$tmp"
finish
