"""Prompt versions for the editor, and how a draft differs from the active one."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from conversations.models import PromptVersion


def prompt_versions(*, role: str) -> list[PromptVersion]:
    """Every version of a role's prompt, newest first, with who wrote it."""
    return list(PromptVersion.objects.filter(role=role).select_related("created_by").order_by("-version"))


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "same" or "gap" (a jump between hunks)
    text: str


@dataclass(frozen=True)
class PromptDiff:
    lines: list[DiffLine]

    @property
    def added(self) -> int:
        return sum(line.kind == "add" for line in self.lines)

    @property
    def removed(self) -> int:
        return sum(line.kind == "remove" for line in self.lines)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed)


def prompt_diff(*, before: str, after: str, context: int = 3) -> PromptDiff:
    """Line by line, as a unified diff with `context` lines around each change.

    Lines are plain text: the template escapes them.
    """
    lines: list[DiffLine] = []
    for raw in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=context):
        if raw.startswith(("---", "+++")):
            continue
        if raw.startswith("@@"):
            lines.append(DiffLine("gap", raw))
        elif raw.startswith("+"):
            lines.append(DiffLine("add", raw[1:]))
        elif raw.startswith("-"):
            lines.append(DiffLine("remove", raw[1:]))
        else:
            lines.append(DiffLine("same", raw[1:]))
    return PromptDiff(lines=lines)
