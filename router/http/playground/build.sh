#!/usr/bin/env bash
# Regenerates the GraphiQL assets shipped in this folder from the npm registry.
# Usage: router/http/playground/build.sh   (needs npm; works from any directory)
# The files are copied byte for byte from the published packages; SHA256SUMS records them.
set -euo pipefail

GRAPHIQL_VERSION=3.8.3
REACT_VERSION=18.3.1

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "graphiql@${GRAPHIQL_VERSION}" "react@${REACT_VERSION}" "react-dom@${REACT_VERSION}" >/dev/null
unpack() {  # unpack NAME VERSION
  mkdir -p "$1"
  tar -xzf "$1-$2.tgz" -C "$1" --strip-components=1
}
unpack graphiql "$GRAPHIQL_VERSION"
unpack react "$REACT_VERSION"
unpack react-dom "$REACT_VERSION"

cp graphiql/graphiql.min.js graphiql/graphiql.min.css "$here/"
cp react/umd/react.production.min.js "$here/"
cp react-dom/umd/react-dom.production.min.js "$here/"
mkdir -p "$here/licenses"
cp graphiql/LICENSE "$here/licenses/graphiql.LICENSE"
cp react/LICENSE "$here/licenses/react.LICENSE"
cp react-dom/LICENSE "$here/licenses/react-dom.LICENSE"

cd "$here"
sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js \
  > SHA256SUMS
echo "GraphiQL ${GRAPHIQL_VERSION}, React ${REACT_VERSION}: assets written to ${here}"
