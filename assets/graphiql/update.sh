#!/usr/bin/env bash
# Copies GraphiQL's and React's browser builds from the npm packages pinned in
# package-lock.json into this folder (the binary embeds them at build time), with their
# licences. `update.sh --check` copies nothing and fails when a committed file differs
# from its package (.ci/run runs that).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
m="$work/node_modules"
# committed name <- file in node_modules
files=(
  "graphiql.min.js:graphiql/graphiql.min.js"
  "graphiql.min.css:graphiql/graphiql.min.css"
  "react.production.min.js:react/umd/react.production.min.js"
  "react-dom.production.min.js:react-dom/umd/react-dom.production.min.js"
  "LICENSE-graphiql:graphiql/LICENSE"
  "LICENSE-react:react/LICENSE"
  "LICENSE-react-dom:react-dom/LICENSE"
)
status=0
for pair in "${files[@]}"; do
  name=${pair%%:*}; src="$m/${pair#*:}"
  if [ "${1:-}" = "--check" ]; then
    cmp -s "$src" "$name" || { echo "assets/graphiql/$name differs from ${pair#*:} of package-lock.json" >&2; status=1; }
  else
    cp "$src" "$name"
  fi
done
exit $status
