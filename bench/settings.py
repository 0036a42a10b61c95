"""Settings of benchmark processes: storebot.settings as production runs it (DEBUG off, set through
the environment by bench.environment), with static files served from static/ so no collectstatic is needed."""

from storebot.settings import *  # noqa: F403
from storebot.settings import STORAGES

STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
