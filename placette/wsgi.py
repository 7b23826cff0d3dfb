"""WSGI entry point: gunicorn serves ordinary pages in production (docs/adr/0003)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placette.settings")

application = get_wsgi_application()
