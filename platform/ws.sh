#!/bin/sh
# Only WebSockets (/ws/) reach daphne; it sits behind Caddy, so it takes the client address from Caddy's headers.
set -eu

exec daphne --bind 0.0.0.0 --port 8001 --proxy-headers placette.asgi:application
