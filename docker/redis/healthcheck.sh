#!/bin/sh
# Healthy means an authenticated PING answers PONG. The password goes through
# REDISCLI_AUTH, never argv. Also usable as `docker exec <redis> atende-healthcheck`.
REDISCLI_AUTH="${REDIS_PASSWORD:-}" redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q '^PONG$'
