"""The system configuration, read through a short cache.

Staff edits take effect on the next request: whoever saves the row calls
`forget_config()` (the dashboard's `config_update` does).
"""

from django.core.cache import cache

from ops.models import SystemConfig

CACHE_KEY = "storebot:system-config"
CACHE_SECONDS = 30


def get_config() -> SystemConfig:
    config: SystemConfig | None = cache.get(CACHE_KEY)
    if config is None:
        config, _ = SystemConfig.objects.get_or_create(pk=1)
        cache.set(CACHE_KEY, config, CACHE_SECONDS)
    return config


def forget_config() -> None:
    cache.delete(CACHE_KEY)
