#!/usr/bin/env bash
# A private PostgreSQL cluster on a Unix socket only (no TCP), for the demo and the tests.
#
#   scripts/pg-cluster.sh start DIR   create (first time) and start the cluster in DIR
#   scripts/pg-cluster.sh stop DIR    stop it
#   scripts/pg-cluster.sh env DIR     print the PG* settings that reach it (eval-able)
#
# PostgreSQL refuses to run as root, so when run as root the server runs as the unprivileged
# "postgres" user (created by Debian's postgresql package) and DIR is handed to it.
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|env DIR" >&2; exit 2; }
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[ -x "$pgbin/pg_ctl" ] || { echo "pg-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data="$dir/data"; sock="$dir/socket"
# A Unix socket path is limited to 107 bytes: deep project paths get a short one under /tmp.
if [ $(( ${#sock} + 16 )) -gt 100 ]; then
    sock="/tmp/landrec-pg-$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
fi
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
db_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }
case "$cmd" in
start)
    mkdir -p "$sock"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$dir" "$sock"
        # The server user must be able to reach DIR through every parent directory.
        p="$dir"; while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        as_owner "$pgbin/initdb" -D "$data" -U "$(db_user)" --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
        cat >>"$data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$sock'
fsync = ${LR_PG_FSYNC:-on}
max_connections = 50
CONF
    fi
    if as_owner "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        exit 0
    fi
    as_owner "$pgbin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null \
        || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    as_owner "$pgbin/createdb" -h "$sock" -U "$(db_user)" landrec 2>/dev/null || true
    ;;
stop)
    [ -f "$data/PG_VERSION" ] || exit 0
    as_owner "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
env)
    echo "export PGHOST='$sock' PGUSER='$(db_user)' PGDATABASE=landrec; unset PGPORT PGPASSWORD PGSERVICE"
    ;;
*) echo "usage: $0 start|stop|env DIR" >&2; exit 2 ;;
esac
