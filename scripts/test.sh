#!/usr/bin/env bash
# The second command of the README, and what CI runs: installs what is missing, builds with
# warnings as errors, starts a throw-away PostgreSQL cluster, and runs the whole suite twice —
# a normal build and an address/undefined sanitizer build.
#
#   scripts/test.sh [--no-sanitize]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sanitize=1
[ "${1:-}" = "--no-sanitize" ] && sanitize=0

scripts/install-deps.sh

pgdir=$(mktemp -d /tmp/landrec-test-pg.XXXXXX)
cleanup() { scripts/pg-cluster.sh stop "$pgdir" || true; rm -rf "$pgdir"; }
trap cleanup EXIT
LR_PG_FSYNC=off scripts/pg-cluster.sh start "$pgdir"
# As the cluster's superuser: each database test creates a database of its own. The tests of
# least privilege (tests/cli/roles.sh) log in as the loading and reading roles themselves.
eval "$(scripts/pg-cluster.sh env "$pgdir" --admin)"
export LR_TEST_REQUIRE_DB=1
# The browser test drives Debian's Chromium (install-deps.sh installs it): missing, it fails.
export LR_TEST_REQUIRE_BROWSER=1

passed=0; failed=0; skipped=0
run_suite() { # NAME BUILDDIR MESON-OPTIONS...
    local name=$1 dir=$2; shift 2
    echo "== $name"
    if [ ! -d "$dir" ]; then meson setup "$dir" -Dwerror=true "$@" >/dev/null; fi
    ninja -C "$dir" >/dev/null
    set +e
    meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier "${LR_TIMEOUT_MULTIPLIER:-1}"
    set -e
    local log="$dir/meson-logs/testlog.json"
    local p f s
    p=$(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(sum(x["result"]=="OK" for x in r))' "$log")
    f=$(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(sum(x["result"] not in ("OK","SKIP") for x in r))' "$log")
    s=$(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(sum(x["result"]=="SKIP" for x in r))' "$log")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}
run_suite "tests" build-test --buildtype=debugoptimized
if [ $sanitize -eq 1 ]; then
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}
    LR_TIMEOUT_MULTIPLIER=${LR_TIMEOUT_MULTIPLIER:-4} run_suite "tests under address+undefined sanitizers" build-asan \
        --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
