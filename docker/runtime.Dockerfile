# atende/runtime: the per-tenant service (web and worker roles) as one esbuild
# bundle on the official Node 22 binary, in a FROM scratch image
# (operations.md §5.5: ~134 MB unpacked vs 220 MB for node:22-slim).
#
# Build context: the repository root. Only docker/runtime.Dockerfile and
# runtime/dist/ (the output of `npm run build -w @atende/runtime`) are read, so a
# context holding just those two paths is enough (that is what the control
# plane sends).
#
# Build args (see docker/README.md):
#   normal : NODE_IMAGE=node:22-bookworm-slim   DEBIAN_IMAGE=debian:bookworm-slim
#   offline: NODE_IMAGE=atende/node-dist:<ver>  DEBIAN_IMAGE=atende/debian-base:bookworm
ARG DEBIAN_IMAGE=debian:bookworm-slim
ARG NODE_IMAGE=node:22-bookworm-slim

# COPY --from cannot expand build args, so name the Node image as a stage.
FROM ${NODE_IMAGE} AS node

# Assemble everything the binary needs around it in /rootfs: the shared
# libraries ldd reports (libc, libm, libdl, libpthread, libstdc++, libgcc_s) and
# the dynamic loader, at the paths ldd prints; passwd/group for the runtime
# user; a sticky world-writable /tmp; /app/media for the media volume.
FROM ${DEBIAN_IMAGE} AS rootfs
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN set -eu; \
    mkdir -p /rootfs/etc /rootfs/tmp /rootfs/app/media; \
    ldd /usr/local/bin/node | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' > /tmp/libs; \
    test "$(wc -l < /tmp/libs)" -ge 7; \
    while read -r lib; do \
      mkdir -p "/rootfs$(dirname "$lib")"; \
      cp -L "$lib" "/rootfs$lib"; \
    done < /tmp/libs; \
    printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' > /rootfs/etc/passwd; \
    printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' > /rootfs/etc/group; \
    printf '%s\n' 'hosts: files dns' > /rootfs/etc/nsswitch.conf; \
    chmod 1777 /rootfs/tmp; \
    chown 65534:65534 /rootfs/app/media; \
    chmod 0750 /rootfs/app/media; \
    mkdir -p /rootfs/app/.compile-cache; \
    chown 65534:65534 /rootfs/app/.compile-cache

FROM scratch
# Largest and most stable layer first: the Node binary changes only on a Node
# upgrade, the bundle on every release.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=rootfs /rootfs/ /
# Fail the build, not the first tenant start, if a library is missing.
RUN ["/usr/local/bin/node", "-e", "require('node:os').userInfo()"]
# Root-owned and read-only for the runtime user; only /app/media is writable.
COPY runtime/dist/ /app/

# PATH: the control plane runs `docker exec <app> node /app/main.js create-admin …`,
# so `node` must resolve; there is nothing else in the image to find.
# MALLOC_ARENA_MAX=2: glibc creates up to 8 malloc arenas per core for the libuv
# threads; two keep idle RSS down at no measurable cost for this workload.
# NODE_OPTIONS=--max-semi-space-size=1: smaller young generation, lower idle
# memory (performance.md §2.6). If the control plane sets NODE_OPTIONS (e.g. a
# --max-old-space-size per template), it must keep this flag in the value.
ENV PATH=/usr/local/bin \
    NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    NODE_OPTIONS=--max-semi-space-size=1
WORKDIR /app
# Numeric, so it holds even if /etc/passwd is replaced; 65534 is nobody:nogroup.
USER 65534:65534
# V8's compiled code for the bundle, made at build time: a start parses and
# compiles ~4.7 MB of JavaScript, and an upgrade's switch waits for it (the new
# app's boot: ~920 -> ~795 ms, seen in `npm run bench:upgrade`). Node keys
# the cache by its version, V8 flags and user id, so it is made as the runtime
# user; a running app that finds no match (other flags) compiles as before.
# Running main.js with no environment loads the whole bundle and exits at the
# env check; the cache is then made read-only, so no container can change it.
ENV NODE_COMPILE_CACHE=/app/.compile-cache
RUN ["/usr/local/bin/node", "-e", "const { spawnSync } = require('node:child_process'); const fs = require('node:fs'); for (const entry of ['/app/main.js', '/app/healthcheck.js']) spawnSync(process.execPath, [entry], { stdio: 'ignore', env: { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE, NODE_OPTIONS: process.env.NODE_OPTIONS } }); const dir = process.env.NODE_COMPILE_CACHE; const files = fs.readdirSync(dir, { recursive: true }).map((name) => dir + '/' + name); if (!files.some((file) => fs.statSync(file).isFile())) throw new Error('no compile cache was written'); for (const file of files.reverse()) fs.chmodSync(file, fs.statSync(file).isDirectory() ? 0o555 : 0o444); fs.chmodSync(dir, 0o555);"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/node", "/app/healthcheck.js"]
CMD ["node", "/app/main.js"]

# Last, so changing them never invalidates the layers above.
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="atende runtime" \
      org.opencontainers.image.description="Per-tenant atende service: WhatsApp webhooks, agent inbox, real time" \
      org.opencontainers.image.vendor="atende" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
