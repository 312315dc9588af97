"""The committed baseline of ratios, and comparing a run with it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from factbench.targets import Target

BASELINE = Path(__file__).resolve().parents[1] / "baseline.json"
#: A ratio more than this much above its baseline is flagged as a regression.
WORSENING = 0.15


def save(targets: list[Target], info: dict, path: Path = BASELINE) -> dict:
    """Write the measured ratios (and peak memories) of ``targets`` to ``path``; return what was written."""
    data = {
        "about": "ratios measured by benchmarks/run.py in one run (factsheet ÷ peer or ÷ a smaller case), "
        "and peak memory in MiB; --compare flags any that grew by more than 15 %",
        "measured": {k: info.get(k) for k in ("date", "commit", "load_before", "load_after", "python")},
        "ratios": {t.key: round(t.value, 4) for t in targets if t.value is not None},
        "units": {t.key: t.unit for t in targets if t.value is not None},
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def load(path: Path = BASELINE) -> dict[str, float]:
    """Return the baseline's ratios by key ({} when there is no baseline)."""
    try:
        return dict(json.loads(path.read_text(encoding="utf-8"))["ratios"])
    except FileNotFoundError:
        return {}


@dataclass(frozen=True)
class Change:
    key: str
    before: float | None
    now: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.now is None or self.before <= 0:
            return None
        return self.now / self.before - 1

    @property
    def worse(self) -> bool:
        """True when the ratio grew by more than WORSENING (every ratio here is better lower)."""
        return self.change is not None and self.change > WORSENING


def compare(before: dict[str, float], now: dict[str, float]) -> list[Change]:
    """Return each ratio now against its baseline, in the baseline's order, then new ones."""
    keys = list(before) + [k for k in now if k not in before]
    return [Change(k, before.get(k), now.get(k)) for k in keys]


def print_comparison(changes: list[Change], names: dict[str, str]) -> None:
    print()
    print(f"Against the baseline ({BASELINE.name}): WORSE marks a ratio more than {WORSENING:.0%} above it")
    width = max((len(names.get(c.key, c.key)) for c in changes), default=10)
    for c in changes:
        before = "n/a" if c.before is None else f"{c.before:.3f}"
        now = "n/a" if c.now is None else f"{c.now:.3f}"
        change = "" if c.change is None else f"{c.change:+.1%}"
        flag = "WORSE" if c.worse else ("" if c.change is not None else "-")
        print(f"{flag:<5} {names.get(c.key, c.key):<{width}}  {before:>9} → {now:>9}  {change:>7}")
