#!/usr/bin/env bash
# A private PostgreSQL cluster on a Unix socket only (no TCP), for the demo and the tests.
#
#   scripts/pg-cluster.sh start DIR          create (first time) and start the cluster in DIR
#   scripts/pg-cluster.sh stop DIR           stop it
#   scripts/pg-cluster.sh env DIR            print the PG* settings that reach its database
#                                            "landrec" as the loading role (eval-able)
#   scripts/pg-cluster.sh env DIR --admin    the same as the cluster's superuser
#
# PostgreSQL refuses to run as root, so when run as root the server runs as the unprivileged
# "postgres" user (created by Debian's postgresql package) and DIR is handed to it.
#
# Only the server's OS user and root reach the cluster: DIR and the socket directory are mode
# 700 and owned by the server's user, the socket itself 0700. Inside, local connections are
# trusted: whoever passes those modes can read the data files anyway. "start" also creates the
# roles "landrec db init" uses (docs/security.md) — landrec_loader (LOGIN), landrec_reader
# (NOLOGIN) and landrec_web (LOGIN, a member of the reader: "landrec serve") — and the
# database "landrec" owned by the loader, so that "env DIR" works at once
# and landrec runs without superuser rights; the superuser ("env DIR --admin") is for creating
# databases (the tests) and for taking over a database made before the roles existed.
#
# The server listens on port 5432 (it names the socket file; there is no TCP) whatever PGPORT
# the caller has, and "env" says so.
set -euo pipefail
usage() { echo "usage: $0 start|stop DIR | env DIR [--admin]" >&2; exit 2; }
cmd=${1:-}; dir=${2:-}; opt=${3:-}
[ -n "$cmd" ] && [ -n "$dir" ] && [ $# -le 3 ] || usage
[ -z "$opt" ] || { [ "$cmd" = env ] && [ "$opt" = --admin ]; } || usage
# The caller's PG* name some other server: none of them may steer the commands below.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS PGPASSWORD
port=5432
loader=landrec_loader; reader=landrec_reader; web=landrec_web
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
admin_psql() { as_owner psql -h "$sock" -p "$port" -U "$(db_user)" -X -q -v ON_ERROR_STOP=1 "$@"; }
case "$cmd" in
start)
    mkdir -p "$sock"
    chmod 700 "$dir" "$sock"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$dir" "$sock"
        # The server user must be able to reach DIR through every parent directory.
        p="$dir"; while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        as_owner "$pgbin/initdb" -D "$data" -U "$(db_user)" --auth-local=trust \
            --auth-host=reject -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # Rewritten at every start, so a cluster made by an older version of this script gets the
    # same settings; postgresql.conf includes it last.
    as_owner tee "$data/landrec.conf" >/dev/null <<CONF
# Written by scripts/pg-cluster.sh at every start.
listen_addresses = ''
port = $port
unix_socket_directories = '$sock'
unix_socket_permissions = 0700
fsync = ${LR_PG_FSYNC:-on}
max_connections = 50
CONF
    grep -qx "include 'landrec.conf'" "$data/postgresql.conf" \
        || echo "include 'landrec.conf'" | as_owner tee -a "$data/postgresql.conf" >/dev/null
    if ! as_owner "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_owner "$pgbin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null \
            || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    # Two starts at once may both find a role missing: the second try finds it made.
    roles_sql="DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$loader') THEN
        CREATE ROLE $loader LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$reader') THEN
        CREATE ROLE $reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$web') THEN
        CREATE ROLE $web LOGIN;
    END IF;
    IF NOT pg_has_role('$web', '$reader', 'MEMBER') THEN
        GRANT $reader TO $web;
    END IF;
END \$\$"
    admin_psql -d postgres -c "$roles_sql" 2>/dev/null || admin_psql -d postgres -c "$roles_sql"
    if [ "$(admin_psql -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname = 'landrec'")" = 0 ]; then
        as_owner "$pgbin/createdb" -h "$sock" -p "$port" -U "$(db_user)" -O "$loader" landrec
    fi
    ;;
stop)
    [ -f "$data/PG_VERSION" ] || exit 0
    as_owner "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
env)
    user=$loader
    [ "$opt" = --admin ] && user=$(db_user)
    echo "export PGHOST='$sock' PGPORT=$port PGUSER='$user' PGDATABASE=landrec; unset PGHOSTADDR PGPASSWORD PGSERVICE"
    ;;
*) usage ;;
esac
