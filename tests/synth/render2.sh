#!/usr/bin/env bash
# synth-render2: the second renderer (tools/render2, docs/synthetic.md). Usage: render2.sh
# RENDER2.PY TEST.PY. Skips (77) only when Debian's /usr/bin/python3 or its PIL is absent.
set -u
[ -x /usr/bin/python3 ] || { echo "no /usr/bin/python3: skipped" >&2; exit 77; }
/usr/bin/python3 -c 'import PIL.Image' 2>/dev/null || { echo "no python3-pil: skipped" >&2; exit 77; }
exec /usr/bin/python3 "$2" "$1" "${LR_TEST_TMP:-/tmp}/synth-render2"
