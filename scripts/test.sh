#!/usr/bin/env bash
# The whole test suite, from a fresh machine: `npm test`.
# Installs what is missing (npm dependencies; Docker from Debian when root on Debian), starts
# MariaDB, Redis and dockerd if they are down, builds the images, then runs lint, type checks,
# unit, integration and Docker end-to-end tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ATENDE_ROOT"

ensure_npm_dependencies
ensure_local_services
ensure_docker
ensure_chromium
ensure_images

say "Lint and format check"
npx biome ci .
say "Type check"
npm run typecheck
say "Tests: unit, integration, end-to-end"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
# One plain closing line for CI: "N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit "$status"
