"""Bench-only settings of a bare Django project: one view, no app, no middleware, no database.

DESIGN.md's reference "a Django hello world serves ~3 200 requests/s under gunicorn (2 workers)" is this;
`bench/agenda_http.py` measures it in the same run as Placette's pages, beside the same view behind
Placette's own settings and middleware (`bench/agenda_settings.py`), so the two references show what the
middleware costs before any page does.
"""

SECRET_KEY = "bench-only-hello-world"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.hello_urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
