#!/bin/sh
# Only WebSockets (/ws/) reach daphne; it sits behind Caddy, so it takes the client address from Caddy's headers.
# WS_HOST and WS_PORT are for platform/local.sh, which starts two of these on loopback; the container keeps its default.
set -eu

exec daphne --bind "${WS_HOST:-0.0.0.0}" --port "${WS_PORT:-8001}" --proxy-headers placette.asgi:application
