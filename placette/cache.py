"""Django's Redis cache, degraded to a miss when Redis is out of reach (docs/adr/0005).

Redis is a cache and a bus, never a dependency of reading or writing. Wagtail keeps site root paths and
renditions in the default cache, allauth its rate limits, and placette/page_cache.py its shared pages:
with the stock backend every one of them raised, so every page answered 500 while Redis was down.
Here a connection error or a timeout is logged and answered as if the cache were empty: a read misses,
a write is dropped, `add` says it stored the value (allauth's rate-limit lock would otherwise wait a
second and then refuse everyone: sign-in keeps working, unthrottled, while Redis is away).

After a failure the backend stops trying for `DOWN_FOR` seconds (a top-level key of the cache's settings,
default 5), so that a Redis that does not even refuse connections costs one connect timeout per process
in that window rather than one per cache call. Every failure, and every call skipped in that window, is
counted: `failures()` lets the page cache know that an invalidation may have been lost meanwhile.
"""

import logging
import threading
from time import monotonic

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

# Per process: Django builds one backend instance per thread, and those of one cache share its Redis.
_failures = [0]
_down_until = {}
_lock = threading.Lock()


def failures():
    """How many cache calls of this process found Redis out of reach so far (never goes down)."""
    return _failures[0]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.down_for = params.get("DOWN_FOR", 5)
        self.server_key = tuple(self._servers)

    def failures(self):
        return failures()

    def _call(self, method, fallback, *args, **kwargs):
        if monotonic() < _down_until.get(self.server_key, 0.0):
            with _lock:
                _failures[0] += 1
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as error:
            with _lock:
                first = monotonic() >= _down_until.get(self.server_key, 0.0)
                _failures[0] += 1
                _down_until[self.server_key] = monotonic() + self.down_for
            if first:
                # One line per outage window, not one per call: a page makes several calls.
                logger.warning(
                    "Cache unreachable (%s: %s); pages are served without it for %ss",
                    type(error).__name__,
                    error,
                    self.down_for,
                )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        # Django's contract for a missing key; a caller that counts must not take a guess for a count.
        result = self._call("incr", None, key, delta=delta, version=version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)
