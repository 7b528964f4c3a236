#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds landrec, and runs it on the
# bundled samples — scans in testdata/pages/, drawn ledgers in testdata/ledger/ and synthetic
# ledger sheets in testdata/synth/ — into a database — a private PostgreSQL cluster under var/pg
# (Unix socket only) unless one is named with --db CONNINFO or LANDREC_DB.
#
#   scripts/demo.sh [--db CONNINFO]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
db=${LANDREC_DB:-}
if [ "${1:-}" = "--db" ]; then db=${2:?--db needs a connection string}; fi

scripts/install-deps.sh
[ -d build ] || meson setup build --buildtype=release >/dev/null
ninja -C build >/dev/null
landrec=("$root/build/landrec")

dbopt=()
if [ -z "$db" ]; then
    scripts/pg-cluster.sh start var/pg
    # db init as the cluster's superuser, which can also take over a database made before
    # landrec had roles (docs/security.md); everything after it as the loading role.
    (eval "$(scripts/pg-cluster.sh env var/pg --admin)" && "${landrec[@]}" db init)
    eval "$(scripts/pg-cluster.sh env var/pg)"
    where="private cluster in var/pg (socket $PGHOST, database $PGDATABASE, role $PGUSER)"
else
    where="$db"
    dbopt=(--db "$db")
    "${landrec[@]}" db init "${dbopt[@]}"
fi
set +e
"${landrec[@]}" run "${dbopt[@]}" --batch sample --out var/out testdata/pages testdata/ledger \
    testdata/synth
status=$?
set -e
"${landrec[@]}" export "${dbopt[@]}" --format jsonl --batch sample --output var/sample.jsonl
"${landrec[@]}" export "${dbopt[@]}" --format jsonl --records --batch sample \
    --output var/sample-records.jsonl
# The web application on the sample data, left running: a demo account that may do everything.
port=${LANDREC_PORT:-8080}
if [ -f var/serve.pid ]; then kill "$(cat var/serve.pid)" 2>/dev/null || true; rm -f var/serve.pid; sleep 1; fi
printf '%s\n' "landrec-demo" | "${landrec[@]}" user add demo --role admin --replace "${dbopt[@]}" >/dev/null
# As the web role (a user named in --db CONNINFO wins over PGUSER).
PGUSER=landrec_web nohup "${landrec[@]}" serve "${dbopt[@]}" --listen "127.0.0.1:$port" \
    >var/serve.log 2>&1 &
echo $! >var/serve.pid
served=""
for _ in $(seq 50); do
    if grep -q '^listening on' var/serve.log 2>/dev/null; then served=$(sed -n 's/^listening on //p' var/serve.log); break; fi
    kill -0 "$(cat var/serve.pid)" 2>/dev/null || break
    sleep 0.2
done
[ -n "$served" ] || { echo "landrec serve did not start (var/serve.log):" >&2; cat var/serve.log >&2; }

cat <<MSG

Results
  database:     $where
  derivatives:  var/out/  (enhanced view .jpg, OCR'd 1-bit .tif, .hocr, .txt per page)
  export:       var/sample.jsonl  ($(wc -l < var/sample.jsonl) pages: text, orientation, skew, confidence)
                var/sample-records.jsonl  ($(wc -l < var/sample-records.jsonl) ledger sheets: parcel fields)
  look:         $( [ -z "$db" ] && echo 'eval "$(scripts/pg-cluster.sh env var/pg)"; ')build/landrec db status
                then psql, or build/landrec export --format jsonl --records --batch sample
  web:          ${served:-not running (see var/serve.log)}  user demo, password landrec-demo
                (search, sheets, review desk, dashboard; docs/web.md); stop it: kill \$(cat var/serve.pid)
MSG
exit $status
