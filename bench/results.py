"""What a benchmark measured: percentiles of durations and one result row per measurement."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Summary:
    """Durations in milliseconds: nearest-rank percentiles."""

    samples: int
    p50: float
    p95: float
    max: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Summary:
        if not seconds:
            raise ValueError("No samples to summarise.")
        ordered = sorted(s * 1000 for s in seconds)
        return cls(
            samples=len(ordered),
            p50=round(percentile(ordered, 0.50), 3),
            p95=round(percentile(ordered, 0.95), 3),
            max=round(ordered[-1], 3),
        )


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def timed(action: Callable[[], T]) -> tuple[T, float]:
    """Run `action`; its result and how many seconds it took."""
    started = time.perf_counter()
    outcome = action()
    return outcome, time.perf_counter() - started


@dataclass
class Result:
    """One measurement of a case (a case may have several: heavy and typical user, save and lookup...)."""

    case: str
    name: str
    database: str
    size: str
    parameters: dict[str, Any]
    timing: Summary | None = None
    throughput: float | None = None
    throughput_unit: str = ""
    target: str = ""
    met: bool | None = None
    baseline_name: str = ""
    baseline: Summary | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Median over the baseline's median, when there is a baseline."""
        if self.timing is None or self.baseline is None or not self.baseline.p50:
            return None
        return round(self.timing.p50 / self.baseline.p50, 2)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        timing = data.pop("timing") or {}
        baseline = data.pop("baseline")
        return {
            **data,
            "samples": timing.get("samples"),
            "p50_ms": timing.get("p50"),
            "p95_ms": timing.get("p95"),
            "max_ms": timing.get("max"),
            "baseline": {"name": self.baseline_name, **baseline} if baseline else None,
            "ratio": self.ratio,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        baseline = data.get("baseline")
        timing = None
        if data.get("p50_ms") is not None:
            timing = Summary(samples=data["samples"], p50=data["p50_ms"], p95=data["p95_ms"], max=data["max_ms"])
        return cls(
            case=data["case"],
            name=data["name"],
            database=data["database"],
            size=data["size"],
            parameters=data["parameters"],
            timing=timing,
            throughput=data.get("throughput"),
            throughput_unit=data.get("throughput_unit", ""),
            target=data.get("target", ""),
            met=data.get("met"),
            baseline_name=baseline["name"] if baseline else "",
            baseline=Summary(**{k: baseline[k] for k in ("samples", "p50", "p95", "max")}) if baseline else None,
            figures=data.get("figures", {}),
        )
