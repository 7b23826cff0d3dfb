#!/bin/sh
# Background work (e-mails, SMS, periodic tasks) from the database queue; several workers may run side by side.
set -eu

exec python manage.py worker
