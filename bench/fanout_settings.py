"""Bench-only settings: Placette's own, with the URLconf of `bench/fanout_urls.py` (the site plus two triggers).

`ws_fanout.py --production-path` starts `platform/local.sh` with them, so that gunicorn, daphne and the worker
run production's settings in every other respect (DEBUG off, PostgreSQL, Redis), never in production itself.
"""

from placette.settings import *  # noqa: F403

ROOT_URLCONF = "bench.fanout_urls"
