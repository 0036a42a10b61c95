"""Settings for the test run: django-q2 runs tasks inline, fast hashing,
no network. Everything else comes from settings.py (DATABASE_URL included)."""

import os

os.environ.setdefault("LLM_PROVIDER", "offline")
os.environ.setdefault("LOG_FORMAT", "console")

from storebot.settings import *  # noqa: F403
from storebot.settings import Q_CLUSTER

Q_CLUSTER["sync"] = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOG_LEVEL = "WARNING"
