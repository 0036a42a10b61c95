"""The README's Configuration table names every environment variable settings read."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings


def test_every_environment_variable_is_documented():
    source = (Path(settings.BASE_DIR) / "storebot" / "settings.py").read_text(encoding="utf-8")
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    configuration = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]

    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", source))

    assert read, "no environment reads found: has settings.py changed shape?"
    assert sorted(name for name in read if f"`{name}`" not in configuration) == []
