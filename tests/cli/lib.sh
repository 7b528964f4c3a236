# Shared by the command-line tests: checks that count, and a fresh database per test.
checks=0; failures=0
check() { # DESCRIPTION COMMAND...
    local what=$1; shift
    checks=$((checks + 1))
    if "$@"; then :; else failures=$((failures + 1)); echo "check failed: $what" >&2; fi
}
finish() {
    echo "$(basename "$0"): $checks checks, $failures failed"
    [ "$failures" -eq 0 ]
}
# A fresh database on the test server (PG* from scripts/test.sh); skip (77) without a server
# unless LR_TEST_REQUIRE_DB=1.
fresh_db() {
    if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
        if [ "${LR_TEST_REQUIRE_DB:-0}" = 1 ]; then
            echo "no PostgreSQL server answers (PGHOST=${PGHOST:-unset}); scripts/test.sh starts one" >&2
            exit 1
        fi
        echo "skipped: no PostgreSQL server (set PG* or run scripts/test.sh)" >&2
        exit 77
    fi
    TEST_DB="lr_cli_$$_$RANDOM"
    psql -d postgres -Atqc "create database $TEST_DB" >/dev/null || {
        echo "could not create a test database as ${PGUSER:-$(id -un)}: the tests need a role" \
             "that may (scripts/pg-cluster.sh env DIR --admin)" >&2
        exit 1
    }
    trap 'psql -d postgres -Atqc "drop database if exists $TEST_DB with (force)" >/dev/null 2>&1' EXIT
    export PGDATABASE=$TEST_DB
}
q() { psql -Atqc "$1"; }
