#!/usr/bin/env bash
# Brings up a demo tenant from a fresh machine, wires it to the WhatsApp Cloud API sandbox (the
# emulator, running in the background) and prints how to open both: `npm run demo`.
# `npm run demo -- --stop` stops the sandbox this script started (the tenant keeps running).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ATENDE_ROOT"

DEMO_TENANT="${DEMO_TENANT:-demo}"
DEMO_ADMIN_EMAIL="${DEMO_ADMIN_EMAIL:-admin@demo.atende.local}"
SANDBOX_PORT="${DEMO_SANDBOX_PORT:-8900}"
STATE_DIR="${ATENDE_HOME:-$HOME/.atende}/demo"
PID_FILE="$STATE_DIR/$DEMO_TENANT-sandbox.pid"
LOG_FILE="$STATE_DIR/$DEMO_TENANT-sandbox.log"
# The demo admin's password, kept (mode 0600) so a second `npm run demo` can wire the tenant again.
PASSWORD_FILE="$STATE_DIR/$DEMO_TENANT-admin-password"

# True when PID is the sandbox this script started for this tenant (never signal anything else).
is_our_sandbox() {
  local args
  args="$(ps -p "$1" -o args= 2>/dev/null)" || return 1
  [[ "$args" == *"atende.js sandbox --tenant $DEMO_TENANT "* ]]
}

stop_sandbox() {
  [ -f "$PID_FILE" ] || return 0
  local pid
  pid="$(cat "$PID_FILE")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_sandbox "$pid"; then
    say "Stopping the WhatsApp sandbox (PID $pid)"
    kill -INT "$pid"
    for _ in $(seq 1 50); do is_our_sandbox "$pid" || break; sleep 0.2; done
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  --stop) stop_sandbox; exit 0 ;;
  "") ;;
  *) die "Usage: npm run demo [-- --stop]" ;;
esac

ensure_npm_dependencies
ensure_docker
ensure_images
mkdir -p "$STATE_DIR"
chmod 700 "$STATE_DIR"

admin_password="${ATENDE_ADMIN_PASSWORD:-}"
new_password=""
if atende tenant show "$DEMO_TENANT" >/dev/null 2>&1; then
  say "Tenant $DEMO_TENANT exists already: wiring it to a fresh sandbox"
  atende tenant start "$DEMO_TENANT" >/dev/null
  DEMO_ADMIN_EMAIL="$(atende tenant show "$DEMO_TENANT" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).adminEmail))')"
  if [ -z "$admin_password" ] && [ -f "$PASSWORD_FILE" ]; then admin_password="$(cat "$PASSWORD_FILE")"; fi
  [ -n "$admin_password" ] || die "No saved password for $DEMO_ADMIN_EMAIL (the tenant was not created by this script). Run: ATENDE_ADMIN_PASSWORD='<its password>' npm run demo — or start over: atende tenant destroy $DEMO_TENANT --yes && npm run demo"
else
  created="$(atende tenant create "$DEMO_TENANT" --admin-email "$DEMO_ADMIN_EMAIL" --yes --json)"
  admin_password="$(printf '%s' "$created" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).oneTimePassword))')"
  # The one-time password must be replaced before the admin API does anything else; the sandbox
  # replaces it with this one, which the summary below prints.
  new_password="$(node -e 'console.log("Demo-" + require("node:crypto").randomBytes(12).toString("base64url"))')"
fi

stop_sandbox
# Saved before the sandbox may replace the one-time password, so a failure later never leaves
# the admin with a password nobody knows.
if [ -n "$new_password" ]; then (umask 077 && printf '%s\n' "$new_password" >"$PASSWORD_FILE"); fi
say "Starting the WhatsApp sandbox on 127.0.0.1:$SANDBOX_PORT (log: $LOG_FILE)"
# Passwords go through the environment, never argv (the process list is readable by everyone).
ATENDE_ADMIN_PASSWORD="$admin_password" ATENDE_NEW_ADMIN_PASSWORD="$new_password" CI=true \
  nohup node "$ATENDE_ROOT/cli/bin/atende.js" sandbox --tenant "$DEMO_TENANT" --port "$SANDBOX_PORT" \
  >"$LOG_FILE" 2>&1 </dev/null &
echo "$!" >"$PID_FILE"
pid="$(cat "$PID_FILE")"
for _ in $(seq 1 150); do
  grep -q "Press Ctrl-C to stop." "$LOG_FILE" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if ! grep -q "Press Ctrl-C to stop." "$LOG_FILE" 2>/dev/null; then
  cat "$LOG_FILE" >&2
  stop_sandbox
  [ -z "$new_password" ] || say "The tenant was created; its admin password is the one-time $admin_password, or $new_password if the sandbox had replaced it (saved in $PASSWORD_FILE)"
  die "The WhatsApp sandbox did not start (see above). Another one on port $SANDBOX_PORT? Try DEMO_SANDBOX_PORT=8901 npm run demo"
fi
if [ -n "$new_password" ]; then admin_password="$new_password"; fi
(umask 077 && printf '%s\n' "$admin_password" >"$PASSWORD_FILE")
grep -q "test connection  ok" "$LOG_FILE" ||
  say "Warning: the tenant could not reach the sandbox's Graph API; details in $LOG_FILE."

inbox_url="$(atende tenant show "$DEMO_TENANT" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).url))')"
cat <<EOF

atende demo is ready.

  Inbox        $inbox_url
  Log in as    $DEMO_ADMIN_EMAIL
  Password     $admin_password   (saved in $PASSWORD_FILE)
  Phone        http://127.0.0.1:$SANDBOX_PORT/phone   (you, as a customer, on WhatsApp)

Send a message from the phone: it appears in the inbox at once. Open it and answer; the answer
arrives on the phone, and its ticks advance when the phone reads it.

Stop the sandbox: npm run demo -- --stop    (the tenant keeps running; npm run demo again rewires it)
EOF
