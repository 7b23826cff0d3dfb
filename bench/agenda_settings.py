"""Bench-only settings: Placette's own, with the URLconf of `bench/agenda_urls.py` (the site plus a reference view).

gunicorn loads them while `bench/agenda_http.py` runs, never in production; everything else comes from the
environment exactly as in production (DEBUG off, PostgreSQL, Redis).
"""

from placette.settings import *  # noqa: F403

ROOT_URLCONF = "bench.agenda_urls"
