#!/usr/bin/env bash
# Brings up a demo tenant from a fresh machine and prints how to open it: `npm run demo`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ATENDE_ROOT"

DEMO_TENANT="${DEMO_TENANT:-demo}"
ensure_npm_dependencies
ensure_docker
ensure_images

if atende tenant show "$DEMO_TENANT" >/dev/null 2>&1; then
  say "Tenant $DEMO_TENANT exists already:"
  atende tenant show "$DEMO_TENANT"
  say "Its one-time password was shown when it was created. For a fresh one: atende tenant destroy $DEMO_TENANT --yes && npm run demo"
  exit 0
fi
atende tenant create "$DEMO_TENANT" --admin-email "${DEMO_ADMIN_EMAIL:-admin@demo.atende.local}" --yes
