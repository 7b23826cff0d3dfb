#!/bin/sh
# Run once per deploy by the one-shot `migrate` service, so web replicas never race on migrations.
set -eu

python manage.py check --deploy --fail-level WARNING
exec python manage.py migrate --noinput
