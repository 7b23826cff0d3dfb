#!/bin/sh
# Pages go to gunicorn's WSGI workers, ten times daphne's throughput here (docs/adr/0003-two-servers-in-production.md).
set -eu

exec gunicorn placette.wsgi:application \
    --bind 0.0.0.0:8000 \
    --workers "${WEB_CONCURRENCY:-2}" \
    --access-logfile - \
    --worker-tmp-dir /dev/shm
