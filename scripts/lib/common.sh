#!/usr/bin/env bash
# Helpers shared by scripts/demo.sh and scripts/test.sh: bring up what the project needs on a
# fresh machine, saying on screen what is installed or started.
set -euo pipefail

ATENDE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ATENDE_ROOT

say() { printf '\033[1m[atende]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[atende] %s\033[0m\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }
is_debian() { [ -f /etc/debian_version ]; }

apt_install() {
  is_root && is_debian || die "Please install: $* (this script installs packages itself only as root on Debian)."
  if [ ! -f /tmp/.atende-apt-updated ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    touch /tmp/.atende-apt-updated
  fi
  say "Installing from Debian: $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# npm dependencies: install when missing or older than the lock file.
ensure_npm_dependencies() {
  cd "$ATENDE_ROOT"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund >&2
  fi
}

# MariaDB and Redis on 127.0.0.1 (used by the integration tests): start them if they are down.
ensure_local_services() {
  if ! mariadb-admin -uroot -h127.0.0.1 ping >/dev/null 2>&1; then
    command -v mariadbd >/dev/null || apt_install mariadb-server mariadb-client
    say "Starting MariaDB"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 1 60); do mariadb-admin -uroot -h127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
    mariadb-admin -uroot -h127.0.0.1 ping >/dev/null 2>&1 || die "MariaDB did not start on 127.0.0.1:3306."
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    command -v redis-server >/dev/null || apt_install redis-server
    say "Starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.25; done
    redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || die "Redis did not start on 127.0.0.1:6379."
  fi
}

# A Docker engine: use the one that answers; otherwise, as root on Debian, install Debian's
# docker.io and start dockerd in the background.
ensure_docker() {
  if docker info >/dev/null 2>&1; then return; fi
  if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" = "$DOCKER_HOST" ]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer. Start that engine, or unset DOCKER_HOST."
  fi
  is_root && is_debian || die "No Docker engine answers. Install Docker and start it (e.g. sudo systemctl start docker)."
  if [ ! -x /usr/sbin/dockerd ]; then
    apt_install docker.io
  fi
  command -v docker >/dev/null || apt_install docker.io
  say "Starting the Docker engine (dockerd, log in /var/log/atende-dockerd.log)"
  nohup /usr/sbin/dockerd >/var/log/atende-dockerd.log 2>&1 &
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && return; sleep 0.5; done
  die "dockerd did not come up; see /var/log/atende-dockerd.log."
}

# The offline image build needs mmdebstrap when no registry answers.
ensure_image_build_tools() {
  command -v mmdebstrap >/dev/null || { is_root && is_debian && apt_install mmdebstrap; } || true
}

atende() { node "$ATENDE_ROOT/cli/bin/atende.js" "$@"; }

# Images for this release, built offline automatically when no registry answers.
ensure_images() {
  ensure_image_build_tools
  say "Building images (atende images build)"
  atende images build
}

# Debian's Chromium, driven by playwright-core in the browser tests (no browser download).
ensure_chromium() {
  command -v chromium >/dev/null || apt_install chromium
}
