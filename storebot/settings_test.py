"""Settings for the test run: django-q2 runs tasks inline, fast hashing,
no network. Everything else comes from settings.py (DATABASE_URL included)."""

import os
import tempfile

os.environ.setdefault("LLM_PROVIDER", "offline")
os.environ.setdefault("LOG_FORMAT", "console")
# A key production settings accept: servers the tests start with DEBUG=false (the
# bench cases) share the test process's key, and refuse the development default.
os.environ.setdefault("SECRET_KEY", "test-only-key-7Qm2xV9pL4sK8dR1wZ6nB3cT5yH0jF-never-in-production")

from storebot.settings import *  # noqa: F403
from storebot.settings import DATABASES, Q_CLUSTER, STORAGES

Q_CLUSTER["sync"] = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Browser tests (tests/e2e) run the app in a separate daphne process that must
# see the test database, so on SQLite it is a file, not memory. One file per
# test process: parallel runs in the same checkout never share one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"storebot-test-{os.getpid()}.sqlite3"),
    }

# The e2e harness points the test process and its daphne at one file cache, so
# rate limits, cached config and cache.clear() mean the same thing in both.
_shared_cache_dir = os.environ.get("STOREBOT_TEST_CACHE_DIR", "")
if _shared_cache_dir:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": _shared_cache_dir}
    }

# Static files straight from static/ (no collectstatic), whatever DEBUG is.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
