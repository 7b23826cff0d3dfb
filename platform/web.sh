#!/bin/sh
# Pages go to gunicorn's WSGI workers, ten times daphne's throughput here (docs/adr/0003-two-servers-in-production.md).
# WEB_BIND is for platform/local.sh, which runs this same script on loopback; the container keeps 0.0.0.0:8000.
set -eu

exec gunicorn placette.wsgi:application \
    --bind "${WEB_BIND:-0.0.0.0:8000}" \
    --workers "${WEB_CONCURRENCY:-2}" \
    --access-logfile - \
    --worker-tmp-dir /dev/shm
