#!/usr/bin/env bash
# The main job on the embedded defaults. Called by `make demo` with BIN and OUT set.
set -euo pipefail
BIN=${BIN:-.venv/bin}
OUT=${OUT:-out}
mkdir -p "$OUT"
echo "OpenIMR demo: output in $OUT/"
