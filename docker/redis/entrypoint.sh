#!/bin/sh
# Entrypoint of atende/redis: writes the server configuration, password
# included, to a 0600 file readable only by the redis user, then execs
# redis-server on it, so the password never appears in argv (ps, docker inspect).
#
# Env: REDIS_PASSWORD (required, any characters but line breaks).
set -eu

CONF_DIR=/run/redis
CONF="$CONF_DIR/redis.conf"

# `docker run atende/redis redis-cli --version` and the like: run the command
# as given. Options (or nothing) start the server with them appended.
if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
  exec "$@"
fi

if [ -z "${REDIS_PASSWORD:-}" ]; then
  echo "atende/redis: invalid environment:
  REDIS_PASSWORD is required" >&2
  exit 1
fi
case "$REDIS_PASSWORD" in
  *"
"* | *"$(printf '\r')"*)
    echo "atende/redis: invalid environment:
  REDIS_PASSWORD must not contain line breaks" >&2
    exit 1
    ;;
esac

if [ ! -w /data ]; then
  echo "atende/redis: /data is not writable by $(id -un) (uid $(id -u)); mount a volume owned by it" >&2
  exit 1
fi

# Inside double quotes redis.conf understands \\ and \" (and \n, \xHH, …):
# escape the backslashes first, then the quotes.
password=$(printf '%s' "$REDIS_PASSWORD" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')

umask 077
rm -f "$CONF"
cat > "$CONF" <<CONF
# Written by /usr/local/bin/atende-entrypoint at every start.
bind * -::*
port 6379
# A password is always set, so protected mode would only refuse the runtime
# container, which connects over the tenant network.
protected-mode no
requirepass "$password"
dir /data
# BullMQ: jobs must never be evicted; AOF so pending side-effect jobs survive a
# restart (the database commit, not Redis, is the durability point).
maxmemory 48mb
maxmemory-policy noeviction
appendonly yes
appendfsync everysec
save ""
daemonize no
logfile ""
CONF
unset password

exec redis-server "$CONF" "$@"
