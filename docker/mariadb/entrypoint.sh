#!/bin/sh
# Entrypoint of atende/mariadb: a tenant database ready in about a second.
#
# Instead of the official entrypoint (install, temporary server, init scripts,
# restart: 10-15 s), the image carries a datadir initialised at build time
# (/opt/atende/datadir-template). On first start it is copied into the empty
# volume; then mariadbd starts once, and an --init-file written from the
# environment creates or updates the database and the application user before
# the server accepts connections. Every start rewrites the init file, so a
# rotated DB_PASSWORD applies on the next container.
#
# Env: DB_NAME, DB_USER ([A-Za-z0-9_]+), DB_PASSWORD (required, any characters
# but line breaks). root stays reachable only through the unix socket.
set -eu

DATADIR=/var/lib/mysql
TEMPLATE=/opt/atende/datadir-template
RUNDIR=/run/mysqld
INIT_FILE="$RUNDIR/init.sql"
DEFAULTS=/etc/atende/mariadb.cnf

# `docker run atende/mariadb mariadb-dump --version` and the like: run the
# command as given. Options (or nothing) start the server with them appended.
if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
  exec "$@"
fi

die() {
  echo "atende/mariadb: $*" >&2
  exit 1
}

problems=""
for var in DB_NAME DB_USER; do
  eval "value=\${$var:-}"
  if [ -z "$value" ]; then
    problems="$problems
  $var is required"
  else
    case "$value" in
      *[!A-Za-z0-9_]*) valid=no ;;
      *) valid=yes ;;
    esac
    if [ "$valid" = no ] || [ "${#value}" -gt 64 ]; then
      problems="$problems
  $var must match [A-Za-z0-9_]+ (at most 64 characters)"
    fi
  fi
done
if [ -z "${DB_PASSWORD:-}" ]; then
  problems="$problems
  DB_PASSWORD is required"
else
  case "$DB_PASSWORD" in
    *"
"* | *"$(printf '\r')"*) problems="$problems
  DB_PASSWORD must not contain line breaks" ;;
  esac
fi
if [ -n "$problems" ]; then
  die "invalid environment:$problems"
fi

if [ ! -w "$DATADIR" ]; then
  die "$DATADIR is not writable by $(id -un) (uid $(id -u)); mount a volume owned by it"
fi

# mysql/ (the system schema) marks an initialised datadir. It is copied last,
# under a temporary name and renamed, so a start interrupted mid-copy copies
# again instead of starting on half a datadir.
if [ ! -d "$DATADIR/mysql" ]; then
  for entry in "$TEMPLATE"/*; do
    [ "$entry" = "$TEMPLATE/mysql" ] && continue
    cp -a "$entry" "$DATADIR/"
  done
  rm -rf "$DATADIR/.mysql.partial"
  cp -a "$TEMPLATE/mysql" "$DATADIR/.mysql.partial"
  mv "$DATADIR/.mysql.partial" "$DATADIR/mysql"
  echo "atende/mariadb: new datadir from template" >&2
fi

# Quote for a single-quoted SQL string (default sql_mode: backslash escapes on).
sql_string() {
  printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g"
}
password=$(sql_string "$DB_PASSWORD")

# The init file holds the password: created 0600 in a directory of the mysql
# user, never printed.
umask 077
rm -f "$INIT_FILE"
cat > "$INIT_FILE" <<SQL
DELETE FROM mysql.global_priv WHERE User = '';
DROP DATABASE IF EXISTS test;
DELETE FROM mysql.db WHERE Db = 'test' OR Db LIKE 'test\\_%';
FLUSH PRIVILEGES;
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'%' IDENTIFIED BY '$password';
ALTER USER '$DB_USER'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO '$DB_USER'@'%';
SQL
unset password

exec mariadbd --defaults-file="$DEFAULTS" --init-file="$INIT_FILE" "$@"
