#!/usr/bin/env bash
# Least privilege in the database (docs/security.md): "db init" creates a loading role that
# owns the tables and is no superuser, and a read-only role; landrec runs as the loader; the
# loader cannot run programs on the server; the reader only reads, also tables a later
# migration adds; a database made before the roles existed is taken over; db init by a user
# who may not create roles fails with a hint; concurrent db init with roles not yet created
# succeed. Logs in as the roles it creates, so the server must let local users in without a
# password (scripts/test.sh's cluster does).
set -u
. "$(dirname "$0")/lib.sh"
L=${LANDREC:?}
T=${LR_TESTDATA:?}
fresh_db
db1=$TEST_DB
tmp=$(mktemp -d "${LR_TEST_TMP:-/tmp}/roles.XXXXXX")
tag="lr_t$$_$RANDOM" # this test's own roles and databases, dropped at the end
dbs=("$db1")
roles=()
cleanup() {
    for d in "${dbs[@]}"; do psql -d postgres -Atqc "drop database if exists $d with (force)"; done
    for r in "${roles[@]}"; do psql -d postgres -Atqc "drop role if exists $r"; done
    rm -rf "$tmp"
}
trap cleanup EXIT
new_db() { # NAME [OWNER]: a database of this test
    dbs+=("$1")
    psql -d postgres -Atqc "create database $1${2:+ owner $2}" >/dev/null
}
# Succeeds when the command fails and says why: permission denied (or its variants).
denied() {
    local out
    if out=$("$@" 2>&1); then echo "not refused: $*" >&2; return 1; fi
    grep -qiE 'permission denied|must be superuser|privilege' <<<"$out" \
        || { echo "refused for another reason: $out" >&2; return 1; }
}
as_loader() { PGUSER=landrec_loader psql -Atq -v ON_ERROR_STOP=1 -c "$1"; }
as_reader() { psql -Atq -v ON_ERROR_STOP=1 -c "set role landrec_reader" -c "$1"; }
admin=$(q "select current_user")

# A fresh database: the roles, who owns what.
check "db init" $L db init
check "loader: login, no superuser, createdb, createrole, replication, bypassrls" \
    [ "$(q "select concat_ws(',', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls) from pg_roles where rolname = 'landrec_loader'")" = "t,f,f,f,f,f" ]
check "reader: no login, no superuser" \
    [ "$(q "select concat_ws(',', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole) from pg_roles where rolname = 'landrec_reader'")" = "f,f,f,f" ]
check "the landrec tables are there" [ "$(q "select count(*) from pg_tables where schemaname = 'public'")" -ge 16 ]
check "the loader owns every one" \
    [ "$(q "select count(*) from pg_tables where schemaname = 'public' and tableowner <> 'landrec_loader'")" = 0 ]
check "and their sequences" \
    [ "$(q "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'S' and pg_get_userbyid(c.relowner) <> 'landrec_loader'")" = 0 ]
check "db init twice applies nothing" bash -c "$L db init | grep -q '0 migrations applied'"
check "db init by the loader itself" $L db init --db "user=landrec_loader"

# landrec runs as the loader.
check "the loader logs in" [ "$(as_loader "select current_user")" = landrec_loader ]
PGUSER=landrec_loader $L run -j 1 --no-derivatives --no-progress --batch roles \
    "$T/pages/ledger-a-bitonal-g4.tif" >"$tmp/run.out" 2>&1
st=$?
check "run as the loader exits 0 (got $st)" [ $st -eq 0 ]
[ $st -eq 0 ] || cat "$tmp/run.out" >&2
check "the page is loaded" [ "$(q "select count(*) from page_run where status = 'done'")" = 1 ]
check "export as the loader" bash -c "PGUSER=landrec_loader $L export --format jsonl --batch roles | grep -q ledger-a-bitonal"

# The loader is no superuser: no programs, no server files.
check "loader: COPY TO PROGRAM refused" denied as_loader "copy (select 1) to program 'true'"
check "loader: COPY FROM a server file refused" denied as_loader "copy settings from '/etc/hostname'"
check "loader: pg_read_file refused" denied as_loader "select pg_read_file('/etc/hostname')"
check "loader: CREATE ROLE refused" denied as_loader "create role ${tag}_evil superuser"

# The reader reads everything and changes nothing.
check "reader reads page_run" [ "$(as_reader "select count(*) from page_run")" = 1 ]
check "reader reads the records" as_reader "select count(*) from field_value, record_sheet limit 1"
check "reader reads schema_version" as_reader "select max(version) from schema_version"
check "reader: export" bash -c "PGOPTIONS='-c role=landrec_reader' $L export --format jsonl --batch roles | grep -q ledger-a-bitonal"
check "reader: db status" env PGOPTIONS='-c role=landrec_reader' $L db status
check "reader: INSERT refused" denied as_reader "insert into settings (hash, description) values (repeat('a', 64), '{}')"
check "reader: UPDATE refused" denied as_reader "update page_run set attempts = attempts"
check "reader: DELETE refused" denied as_reader "delete from word"
check "reader: TRUNCATE refused" denied as_reader "truncate page_failure"
check "reader: CREATE in public refused" denied as_reader "create table ${tag}_r (x int)"

# A later migration: applied as the loader (by db init as the admin, and as the loader), its
# tables owned by the loader and readable by the reader.
mkdir "$tmp/schemas"
cp "${LR_SCHEMA_DIR:?}"/[0-9]*.sql "$tmp/schemas/"
echo "CREATE TABLE later_998 (x int); INSERT INTO later_998 VALUES (1);" >"$tmp/schemas/998_later.sql"
check "db init applies a later migration" env LR_SCHEMA_DIR="$tmp/schemas" $L db init
check "its table belongs to the loader" [ "$(q "select tableowner from pg_tables where tablename = 'later_998'")" = landrec_loader ]
check "the reader reads it" [ "$(as_reader "select x from later_998")" = 1 ]
echo "CREATE TABLE later_999 (x int); INSERT INTO later_999 VALUES (2);" >"$tmp/schemas/999_later.sql"
check "the loader applies a later migration" env LR_SCHEMA_DIR="$tmp/schemas" PGUSER=landrec_loader $L db init
check "the reader reads that one too" [ "$(as_reader "select x from later_999")" = 2 ]

# A database made before the roles existed: every table owned by the admin who ran db init.
db2="${tag}_old"
new_db "$db2"
check "db init --no-roles: the migrations only" $L db init --db "dbname=$db2" --no-roles
check "--no-roles: tables owned by the admin" \
    [ "$(PGDATABASE=$db2 q "select count(*) from pg_tables where schemaname = 'public' and tableowner <> '$admin'")" = 0 ]
PGDATABASE=$db2 q "create table ${tag}_other (x int)" # not landrec's: the admin's, and stays so
PGDATABASE=$db2 q "alter table ${tag}_other owner to landrec_reader"
check "db init takes an old database over" $L db init --db "dbname=$db2"
check "the loader owns its tables now" \
    [ "$(PGDATABASE=$db2 q "select count(*) from pg_tables where schemaname = 'public' and tableowner <> 'landrec_loader' and tablename <> '${tag}_other'")" = 0 ]
check "a table of another owner is left alone" \
    [ "$(PGDATABASE=$db2 q "select tableowner from pg_tables where tablename = '${tag}_other'")" = landrec_reader ]
check "the loader writes there" \
    env PGDATABASE="$db2" PGUSER=landrec_loader psql -Atq -v ON_ERROR_STOP=1 -c "insert into settings (hash, description) values (repeat('b', 64), '{}')"
check "the reader reads there" [ "$(PGDATABASE=$db2 as_reader "select count(*) from settings")" = 1 ]

# A user who may not create roles, on a database where the roles do not exist yet: refused
# with a hint, nothing created.
db3="${tag}_plain"
new_db "$db3"
roles+=("${tag}_user")
q "create role ${tag}_user login"
PGUSER=${tag}_user $L db init --db "dbname=$db3" --loader-role "${tag}_nl" --reader-role "${tag}_nr" \
    >"$tmp/plain.out" 2>&1
st=$?
check "no CREATEROLE, no roles: exit 2 (got $st)" [ $st -eq 2 ]
check "it says why" grep -q "may not create roles" "$tmp/plain.out"
check "and what to do" grep -q "HINT:.*--no-roles" "$tmp/plain.out"
check "nothing was created" [ "$(PGDATABASE=$db3 q "select count(*) from pg_tables where schemaname = 'public'")" = 0 ]
# The roles exist, but the user is not the loader nor a member of it.
PGUSER=${tag}_user $L db init --db "dbname=$db3" >"$tmp/member.out" 2>&1
st=$?
check "not a member of the loader: exit 2 (got $st)" [ $st -eq 2 ]
check "it says so" grep -q 'member of role "landrec_loader"' "$tmp/member.out"

# The loader alone, on a database where it may not create tables: refused with a hint.
PGUSER=landrec_loader $L db init --db "dbname=$db3" >"$tmp/create.out" 2>&1
st=$?
check "loader without CREATE on public: exit 2 (got $st)" [ $st -eq 2 ]
check "it says why" grep -q 'may not create tables in schema public' "$tmp/create.out"
check "and what to do" grep -q 'HINT:.*GRANT USAGE, CREATE ON SCHEMA public TO landrec_loader' "$tmp/create.out"
check "still nothing created" [ "$(PGDATABASE=$db3 q "select count(*) from pg_tables where schemaname = 'public'")" = 0 ]

# An administrator with CREATEROLE, no superuser (as on managed servers), owning the database.
roles+=("${tag}_admin" "${tag}_al" "${tag}_ar")
q "create role ${tag}_admin login createrole"
db4="${tag}_managed"
new_db "$db4" "${tag}_admin"
check "db init by a CREATEROLE admin" \
    env PGUSER="${tag}_admin" $L db init --db "dbname=$db4" --loader-role "${tag}_al" --reader-role "${tag}_ar"
check "its loader owns the tables" \
    [ "$(PGDATABASE=$db4 q "select count(*) from pg_tables where schemaname = 'public' and tableowner <> '${tag}_al'")" = 0 ]
check "its loader is no superuser" [ "$(q "select rolsuper from pg_roles where rolname = '${tag}_al'")" = f ]

# Roles are cluster-wide: db init at once on two new databases (and twice on one), the roles
# not yet created, all succeed; the reader's grants are per database.
for round in 1 2 3; do
    l="${tag}_cl$round" r="${tag}_cr$round"
    roles+=("$l" "$r")
    a="${tag}_ca$round" b="${tag}_cb$round"
    new_db "$a"; new_db "$b"
    pids=()
    for d in "$a" "$b" "$a"; do
        $L db init --db "dbname=$d" --loader-role "$l" --reader-role "$r" >"$tmp/c$round-$d-$RANDOM.out" 2>&1 &
        pids+=($!)
    done
    bad=0
    for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
    check "round $round: three concurrent db init succeed" [ $bad -eq 0 ]
    [ $bad -eq 0 ] || cat "$tmp"/c$round-*.out >&2
    for d in "$a" "$b"; do
        check "round $round: $d owned by $l" \
            [ "$(PGDATABASE=$d q "select count(*) from pg_tables where schemaname = 'public' and tableowner <> '$l'")" = 0 ]
        check "round $round: $r reads $d" \
            [ "$(PGDATABASE=$d q "select has_table_privilege('$r', 'page_run', 'select')")" = t ]
    done
done
# The reader of one database's roles reads nothing of a database it was not granted.
check "grants are per database" [ "$(q "select has_table_privilege('${tag}_cr1', 'page_run', 'select')")" = f ]

finish
