# atende/mariadb: a tenant's database, ready about a second after `docker run`
# (operations.md §5.3): the datadir is initialised at build time and copied into
# a new volume by docker/mariadb/entrypoint.sh, then mariadbd starts once with
# the lean profile of docker/mariadb/atende.cnf.
#
# Build context: the repository root (reads docker/mariadb/ only).
# Build args (see docker/README.md):
#   normal : BASE=mariadb:11.4 (default; mariadb:10.11 also works)
#   offline: BASE=atende/debian-base:bookworm (installs Debian's MariaDB 10.11)
ARG BASE=mariadb:11.4
FROM ${BASE}

# The official image already has the server, the client (mariadb-dump,
# mariadb-admin), mariadb-backup and a mysql user with uid/gid 999. On a bare Debian base,
# install them from Debian, creating the user first with the same ids so a data
# volume keeps the same ownership in both build modes. mariadb-server-core
# (mariadbd, mariadb-install-db) rather than mariadb-server: the latter adds
# Galera, rsync, socat, mariadbd-safe and a postinst-created datadir, none of
# which a tenant container uses (~200 MB). mariadb-backup (+ mbstream) takes the
# physical hot backups and zstd compresses them inside the container (ADR 0004);
# zstd is installed in both modes when the base lacks it.
RUN set -eu; \
    if ! command -v mariadbd >/dev/null 2>&1; then \
      getent group mysql >/dev/null || groupadd --system --gid 999 mysql; \
      getent passwd mysql >/dev/null || useradd --system --uid 999 --gid mysql \
        --home-dir /var/lib/mysql --no-create-home --shell /usr/sbin/nologin mysql; \
      # Keep maintainer scripts from starting a server during the build.
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; \
      chmod 0755 /usr/sbin/policy-rc.d; \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        mariadb-server-core mariadb-client mariadb-backup zstd; \
      rm -f /usr/sbin/policy-rc.d; \
      apt-get clean; \
      rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log \
        /var/lib/mysql/* /var/lib/mysql/.[!.]*; \
    fi; \
    if ! command -v zstd >/dev/null 2>&1; then \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends zstd; \
      apt-get clean; \
      rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log; \
    fi; \
    for bin in mariadbd mariadb-install-db mariadb mariadb-admin mariadb-dump \
      mariadb-backup mbstream zstd; do \
      command -v "$bin" >/dev/null || { echo "missing $bin" >&2; exit 1; }; \
    done

COPY docker/mariadb/atende.cnf /etc/atende/mariadb.cnf
COPY docker/mariadb/client.cnf /etc/mysql/conf.d/atende-client.cnf
COPY docker/mariadb/entrypoint.sh /usr/local/bin/atende-entrypoint
COPY docker/mariadb/healthcheck.sh /usr/local/bin/atende-healthcheck

# The template: system tables only (no test db, no anonymous users),
# root@localhost and mysql@localhost through the unix socket only (no network
# root, no password).
# /var/lib/mysql stays empty but owned by mysql: Docker copies that ownership
# into a new named volume, so the non-root entrypoint can fill it. (On the
# official image /var/lib/mysql is a VOLUME already, so this RUN cannot change
# it there, and it is already empty and owned by mysql.)
RUN set -eu; \
    chmod 0644 /etc/atende/mariadb.cnf /etc/mysql/conf.d/atende-client.cnf; \
    chmod 0755 /usr/local/bin/atende-entrypoint /usr/local/bin/atende-healthcheck; \
    mkdir -p /var/lib/mysql /run/mysqld /opt/atende; \
    find /var/lib/mysql -mindepth 1 -delete; \
    chown mysql:mysql /var/lib/mysql /run/mysqld; \
    chmod 0750 /var/lib/mysql; \
    chmod 0755 /run/mysqld; \
    # --rpm, as the official entrypoint passes it: no hostname lookup, and no
    # setuid-root auth_pam_tool (the official image ships the PAM plugin).
    mariadb-install-db --defaults-file=/etc/atende/mariadb.cnf \
      --datadir=/opt/atende/datadir-template --user=mysql --rpm \
      --skip-test-db --auth-root-authentication-method=socket > /dev/null; \
    # install-db also grants proxy rights to root and mysql @<build hostname>;
    # that host never exists again, and with skip-name-resolve the server warns
    # about the entries on every start.
    printf '%s\n' \
      "DELETE FROM mysql.global_priv WHERE User = '' OR Host <> 'localhost';" \
      "DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost';" \
      | mariadbd --defaults-file=/etc/atende/mariadb.cnf \
          --datadir=/opt/atende/datadir-template --user=mysql --bootstrap > /dev/null; \
    chown -R mysql:mysql /opt/atende/datadir-template; \
    chmod 0750 /opt/atende/datadir-template; \
    test -d /opt/atende/datadir-template/mysql

USER mysql
VOLUME ["/var/lib/mysql"]
EXPOSE 3306
# A real query as the application user over TCP (see healthcheck.sh).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/atende-healthcheck"]
ENTRYPOINT ["/usr/local/bin/atende-entrypoint"]
# Reset the base image's CMD (mariadbd), which would bypass the entrypoint.
CMD []

ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="atende mariadb" \
      org.opencontainers.image.description="Tenant MariaDB: pre-initialised datadir, single start, lean memory profile" \
      org.opencontainers.image.vendor="atende" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
