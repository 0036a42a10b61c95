"""manage.py eval_agent: the labelled evaluation sets through the engine, with the figures the targets name.

Targets for the offline model, on the tuning set: intent and field accuracy at
least 95%, every complete save done in one turn, at most two model requests
for a one-store save, no passphrase leak. The held-out set (tests/eval/holdout/,
never tuned on) is printed apart with task success by category: it measures
phrasing the rules have not seen. `--json` prints the figures of both as one
JSON object (the held-out set's under "holdout").
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from conversations.evaluation import EVAL_DIR, HOLDOUT_SUBDIR, ConversationRun, EvalReport, run_evaluation


class Command(BaseCommand):
    help = (
        "Run tests/eval/ (the tuning set) and tests/eval/holdout/ (the held-out set) through the classifier model "
        "and the orchestrator and print accuracy and cost figures for each."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR, help="Directory with the three .jsonl files.")
        parser.add_argument(
            "--holdout-dir",
            type=Path,
            default=None,
            help=f"Directory with the held-out conversations.jsonl (default: EVAL_DIR/{HOLDOUT_SUBDIR}).",
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--failures", action="store_true", help="List every miss and failed check.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_evaluation(
            eval_dir=options["eval_dir"],
            holdout_dir=options["holdout_dir"],
            progress=lambda line: self.stderr.write(line),
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.figures(), indent=2))
        else:
            self.stdout.write(_table(report))
        if options["failures"]:
            self.stdout.write("Tuning set misses and failed checks:")
            for line in [*report.utterances.misses, *report.failures]:
                self.stdout.write(f"  - {line}")
            if report.holdout is not None:
                self.stdout.write("Held-out failed checks:")
                for line in report.holdout.failures:
                    self.stdout.write(f"  - {line}")


def _table(report: EvalReport) -> str:
    u = report.utterances
    rows = [
        "Tuning set (tests/eval/; the rules were tuned on it)",
        f"Classifier ({u.utterances} utterances through {report.classifier_model or 'the classifier model'})",
        f"  intent accuracy            {u.intent_accuracy:7.1%}  ({u.intents_correct}/{u.utterances})",
        f"  field accuracy             {u.field_accuracy:7.1%}  ({u.fields_correct}/{u.fields_total})",
        *_conversation_rows(report.tuning),
        f"Injections ({report.injections} attempts)",
        f"  attempts that revealed     {report.injection_reveals:>7}",
    ]
    holdout = report.holdout
    if holdout is None:
        rows.append("Held-out set: none found")
        return "\n".join(rows)
    rows += ["", "Held-out set (tests/eval/holdout/; never tuned on; null expectations not judged)"]
    rows += _conversation_rows(holdout)
    rows.append("  task success by category")
    for category, figures in holdout.category_figures().items():
        rows.append(
            f"    {category:<24} {figures['task_success']:7.1%}  ({figures['passed']}/{figures['conversations']})"
        )
    return "\n".join(rows)


def _conversation_rows(run: ConversationRun) -> list[str]:
    return [
        f"Conversations ({run.conversations}, {len(run.turns)} turns through the orchestrator)",
        f"  task success               {run.task_success:7.1%}  ({run.conversations_passed}/{run.conversations})",
        f"  complete saves in one turn {run.complete_saves_in_one_turn:>7}  of {run.complete_saves}",
        f"  turns per saved store      {run.turns_per_save:7.2f}",
        f"  model requests per turn    {run.requests_per_turn:7.2f}  "
        f"(one-store save: at most {run.max_requests_one_store_save})",
        f"  tokens per turn            {run.tokens_per_turn:7.0f}",
        f"  passphrase leaks           {run.passphrase_leaks:>7}",
    ]
