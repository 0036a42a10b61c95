"""The provider SDKs (anthropic, openai) load only when a hosted model is built.

They take seconds of CPU to import; `manage.py` commands, the web process's
first request and the offline model never need them. Each check runs in a
fresh interpreter, since this test process may have imported them already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SDK_MODULES = ("anthropic", "openai", "pydantic_ai.models.anthropic", "pydantic_ai.models.openai")
# Also heavy and needed only sometimes: the Langfuse client (tracing on) and phonenumbers' region names (a form
# with a region field).
SLOW_MODULES = ("langfuse", "phonenumbers.geocoder")

_PROBE = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("check", verbosity=0)
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as the first request loads them
from conversations.llm import build_model, model_name_of
from ops.models import SystemConfig
model_name_of(build_model("classifier", config=SystemConfig()))  # an unsaved config: no database needed
print(json.dumps([name for name in {modules!r} if name in sys.modules]))
"""


def _loaded_sdks(modules: tuple[str, ...] = SDK_MODULES, **env: str) -> list[str]:
    code = _PROBE.format(modules=modules)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "storebot.settings_test", **env}
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_check_urls_and_offline_model_import_no_provider_sdk() -> None:
    assert _loaded_sdks(LLM_PROVIDER="offline") == []


def test_check_and_urls_import_neither_langfuse_without_its_keys_nor_region_names() -> None:
    assert _loaded_sdks(SLOW_MODULES, LLM_PROVIDER="offline", LANGFUSE_PUBLIC_KEY="", LANGFUSE_SECRET_KEY="") == []


def test_building_a_hosted_model_imports_its_sdk() -> None:
    loaded = _loaded_sdks(
        LLM_PROVIDER="anthropic",
        ANTHROPIC_API_KEY="test-key",
        OPENAI_API_KEY="",
        OPENAI_BASE_URL="",
        LLM_CLASSIFIER_MODEL="anthropic:claude-haiku-4-5",
        LLM_FALLBACK_MODEL="anthropic:claude-haiku-4-5",
    )
    assert "pydantic_ai.models.anthropic" in loaded
    assert "pydantic_ai.models.openai" not in loaded
