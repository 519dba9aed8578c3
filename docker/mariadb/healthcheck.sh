#!/bin/sh
# Ready means the application user can log in over TCP and query its own
# schema, not merely that the server answers a ping. Used by HEALTHCHECK and by
# the control plane (`docker exec <db> atende-healthcheck`) to wait for a new
# tenant. The password goes through MYSQL_PWD, never argv.
MYSQL_PWD="${DB_PASSWORD:-}" exec mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P3306 \
  --connect-timeout=2 -u"${DB_USER:-}" "${DB_NAME:-}" --batch --skip-column-names \
  -e 'SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()' >/dev/null
