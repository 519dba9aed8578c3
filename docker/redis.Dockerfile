# atende/redis: a tenant's Redis for BullMQ queues and the Socket.IO adapter,
# password-protected without the password on argv, AOF on, bounded memory,
# run as the redis user.
#
# Build context: the repository root (reads docker/redis/ only).
# Build args (see docker/README.md):
#   normal : BASE=redis:7.2-bookworm (default)
#   offline: BASE=atende/debian-base:bookworm (installs Debian's Redis 7.0)
ARG BASE=redis:7.2-bookworm
FROM ${BASE}

# The official image already has redis-server, redis-cli and a redis user with
# uid/gid 999. On a bare Debian base install them from Debian, creating the
# user first with the same ids so a data volume keeps its ownership in both
# build modes.
RUN set -eu; \
    if ! command -v redis-server >/dev/null 2>&1; then \
      getent group redis >/dev/null || groupadd --system --gid 999 redis; \
      getent passwd redis >/dev/null || useradd --system --uid 999 --gid redis \
        --home-dir /data --no-create-home --shell /usr/sbin/nologin redis; \
      # Keep maintainer scripts from starting a server during the build.
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; \
      chmod 0755 /usr/sbin/policy-rc.d; \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server; \
      rm -f /usr/sbin/policy-rc.d; \
      apt-get clean; \
      rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log; \
    fi; \
    for bin in redis-server redis-cli; do \
      command -v "$bin" >/dev/null || { echo "missing $bin" >&2; exit 1; }; \
    done

COPY docker/redis/entrypoint.sh /usr/local/bin/atende-entrypoint
COPY docker/redis/healthcheck.sh /usr/local/bin/atende-healthcheck

# /data stays empty but owned by redis: Docker copies that ownership into a new
# named volume. (On the official image /data is a VOLUME already, owned by
# redis, so this RUN cannot and need not change it there.)
RUN set -eu; \
    chmod 0755 /usr/local/bin/atende-entrypoint /usr/local/bin/atende-healthcheck; \
    mkdir -p /data /run/redis; \
    chown redis:redis /data /run/redis; \
    chmod 0700 /run/redis

USER redis
VOLUME ["/data"]
WORKDIR /data
EXPOSE 6379
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/atende-healthcheck"]
ENTRYPOINT ["/usr/local/bin/atende-entrypoint"]
# Reset the base image's CMD (redis-server), which would bypass the entrypoint.
CMD []

ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="atende redis" \
      org.opencontainers.image.description="Tenant Redis: password from the environment via a 0600 config file, AOF, noeviction, 48 MB cap" \
      org.opencontainers.image.vendor="atende" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
