"""manage.py eval_agent: the labelled evaluation set through the engine, with the figures the targets name.

Targets for the offline model: intent and field accuracy at least 95%, every
complete save done in one turn, at most two model requests for a one-store
save, no passphrase leak. `--json` prints the figures as one JSON object.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from conversations.evaluation import EVAL_DIR, EvalReport, run_evaluation


class Command(BaseCommand):
    help = "Run tests/eval/ through the classifier model and the orchestrator and print accuracy and cost figures."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR, help="Directory with the three .jsonl files.")
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--failures", action="store_true", help="List every miss and failed check.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_evaluation(eval_dir=options["eval_dir"], progress=lambda line: self.stderr.write(line))
        if options["json"]:
            self.stdout.write(json.dumps(report.figures(), indent=2))
        else:
            self.stdout.write(_table(report))
        if options["failures"]:
            for line in [*report.utterances.misses, *report.failures]:
                self.stdout.write(f"  - {line}")


def _table(report: EvalReport) -> str:
    figures = report.figures()
    u = report.utterances
    turns = figures["turns"]
    rows = [
        f"Classifier ({u.utterances} utterances through {report.classifier_model or 'the classifier model'})",
        f"  intent accuracy            {u.intent_accuracy:7.1%}  ({u.intents_correct}/{u.utterances})",
        f"  field accuracy             {u.field_accuracy:7.1%}  ({u.fields_correct}/{u.fields_total})",
        f"Conversations ({report.conversations}, {turns} turns through the orchestrator)",
        f"  task success               {report.task_success:7.1%}  "
        f"({report.conversations_passed}/{report.conversations})",
        f"  complete saves in one turn {report.complete_saves_in_one_turn:>7}  of {report.complete_saves}",
        f"  turns per saved store      {report.turns_per_save:7.2f}",
        f"  model requests per turn    {report.requests_per_turn:7.2f}  "
        f"(one-store save: at most {report.max_requests_one_store_save})",
        f"  tokens per turn            {report.tokens_per_turn:7.0f}",
        f"  passphrase leaks           {report.passphrase_leaks:>7}",
        f"Injections ({report.injections} attempts)",
        f"  attempts that revealed     {report.injection_reveals:>7}",
    ]
    return "\n".join(rows)
