#!/usr/bin/env bash
# Copies uPlot's ES-module build and stylesheet from the npm package pinned in
# package-lock.json into this folder (the binary embeds them at build time), with its
# licence. `update.sh --check` copies nothing and fails when a committed file differs from
# its package (.ci/outside-checks runs that).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
m="$work/node_modules"
# committed name <- file in node_modules
files=(
  "uPlot.esm.js:uplot/dist/uPlot.esm.js"
  "uPlot.min.css:uplot/dist/uPlot.min.css"
  "LICENSE-uplot:uplot/LICENSE"
)
status=0
for pair in "${files[@]}"; do
  name=${pair%%:*}; src="$m/${pair#*:}"
  if [ "${1:-}" = "--check" ]; then
    cmp -s "$src" "$name" || { echo "assets/explore/vendor/$name differs from ${pair#*:} of package-lock.json" >&2; status=1; }
  else
    cp "$src" "$name"
  fi
done
exit $status
