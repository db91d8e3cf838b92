#!/usr/bin/env bash
# Rebuilds the web app into router/http/webapp/site (committed: `make up` serves it without Node).
# Usage: clients/web/build.sh   (needs Node 20 and npm; works from any directory)
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run codegen
npm run build
