#!/usr/bin/env bash
# scripts/pg-cluster.sh: a private cluster only its owner reaches. Other local users are
# refused at the socket (as root: "nobody" tries); "env DIR" connects as the loading role,
# "env DIR --admin" as the superuser; a PGPORT in the caller's environment changes nothing.
# Starts a cluster of its own (no need for the suite's server); skips without PostgreSQL.
set -u
. "$(dirname "$0")/lib.sh"
root=${LR_SOURCE_ROOT:?}
pgc="$root/scripts/pg-cluster.sh"
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    echo "skipped: no PostgreSQL server binaries" >&2
    exit 77
fi
# Short: the socket path must fit in 107 bytes. Mode 755, as "mkdir -p var/pg" makes it.
dir=$(mktemp -d /tmp/lr-pgc.XXXXXX)
chmod 755 "$dir"
cleanup() { "$pgc" stop "$dir" >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT
# The caller's PG* (the suite's server) and a stray port must not steer the script.
export PGPORT=6543 PGUSER=nobody_here PGDATABASE=nowhere
LR_PG_FSYNC=off "$pgc" start "$dir" >"$dir.log" 2>&1
st=$?
check "start (exit $st)" [ $st -eq 0 ]
[ $st -eq 0 ] || cat "$dir.log" >&2
rm -f "$dir.log"
check "start again: already running" "$pgc" start "$dir"

env_sql() { # ENV-ARGS... -- SQL: runs psql with what "pg-cluster.sh env" prints
    local args=() sql
    while [ "$1" != -- ]; do args+=("$1"); shift; done
    sql=$2
    (eval "$("$pgc" env "$dir" "${args[@]}")" && psql -Atq -v ON_ERROR_STOP=1 -c "$sql")
}
me=$([ "$(id -u)" -eq 0 ] && echo postgres || id -un)
check "env: landrec's loading role" [ "$(env_sql -- "select current_user")" = landrec_loader ]
check "env: database landrec" [ "$(env_sql -- "select current_database()")" = landrec ]
check "env: the loader owns the database" \
    [ "$(env_sql -- "select pg_get_userbyid(datdba) from pg_database where datname = 'landrec'")" = landrec_loader ]
check "env: the loader is no superuser" [ "$(env_sql -- "select rolsuper from pg_roles where rolname = current_user")" = f ]
check "env --admin: the superuser" [ "$(env_sql --admin -- "select current_user")" = "$me" ]
check "env --admin: a superuser" [ "$(env_sql --admin -- "select rolsuper from pg_roles where rolname = current_user")" = t ]
check "env sets the port the server listens on" [ "$(env_sql --admin -- "show port")" = 5432 ]
check "env with a bad option fails" bash -c "! '$pgc' env '$dir' --bogus >/dev/null 2>&1"
check "socket permissions 0700" [ "$(env_sql --admin -- "show unix_socket_permissions")" = 0700 ]

sock=$(eval "$("$pgc" env "$dir")"; echo "$PGHOST")
check "socket directory is mode 700" [ "$(stat -c %a "$sock")" = 700 ]
check "data directory's parent is not open to others" bash -c "[ \$(( 0\$(stat -c %a '$dir') & 7 )) -eq 0 ]"
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
    # Whatever port the server took: the one of the socket file.
    port=$(ls -a "$sock" | sed -n 's/^\.s\.PGSQL\.\([0-9]*\)$/\1/p' | head -n1)
    check "the server's socket is there" [ -n "$port" ]
    check "root reaches it as the superuser" psql -h "$sock" -p "${port:-0}" -U postgres -d postgres -Atqc 'select 1'
    for u in postgres landrec_loader; do
        check "nobody is refused as $u" \
            bash -c "! runuser -u nobody -- psql -h '$sock' -p '${port:-0}' -U $u -d postgres -Atqc 'select 1' >/dev/null 2>&1"
    done
    check "nobody cannot even list the socket directory" bash -c "! runuser -u nobody -- ls '$sock' >/dev/null 2>&1"
else
    echo "note: not root; other users are kept out by the modes checked above" >&2
fi

check "stop" "$pgc" stop "$dir"
check "stopped: nobody answers" bash -c "! (eval \"\$('$pgc' env '$dir' --admin)\"; psql -Atqc 'select 1' >/dev/null 2>&1)"
finish
