"""benchmarks/run.py --compare: a ratio that worsened by more than 15 % against the saved baseline is flagged."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from factbench import baseline, targets  # noqa: E402
from factbench.timing import Case, Run, paired_ratio  # noqa: E402


def _case(key: str, seconds: list[float], mib: float = 50) -> Case:
    case = Case(key, key, [], Path("."))
    case.runs = [Run(s, int(mib * 1024), 0) for s in seconds]
    return case


def _measured(slower: float = 1.0) -> dict[str, Case]:
    """Cases of one run, as measured in alternating rounds; factsheet's PDF build ``slower`` times slower."""
    pdf = [0.50, 0.56, 0.47, 0.61, 0.52]
    cases = [
        _case("floor:nk", [0.40, 0.44, 0.38, 0.50, 0.41]),
        _case("build-pdf:nk", [s * slower for s in pdf]),
        _case("build-default:nk", [0.60, 0.66, 0.58, 0.70, 0.61]),
        _case("weasyprint:25notes", [2.1, 2.3, 2.0, 2.4, 2.2]),
        _case("check:250", [0.3] * 5, 40),
        _case("check:2500", [2.0] * 5, 90),
    ]
    return {c.key: c for c in cases}


def _ratios(cases: dict[str, Case]) -> dict[str, float]:
    found = targets.evaluate(cases, small=250, big=1000, top=2500, export_sheets=50)
    return {t.key: t.value for t in found if t.value is not None}


def test_a_planted_20_percent_slowdown_is_flagged_and_nothing_else(tmp_path):
    path = tmp_path / "baseline.json"
    found = targets.evaluate(_measured(), small=250, big=1000, top=2500, export_sheets=50)
    baseline.save(found, {"commit": "test"}, path)
    before = baseline.load(path)
    assert before["nk-pdf-vs-floor"] == pytest.approx(1.25, abs=0.01)

    changes = baseline.compare(before, _ratios(_measured(slower=1.2)))

    flagged = [c.key for c in changes if c.worse]
    assert flagged == ["nk-pdf-vs-floor"]
    (pdf,) = [c for c in changes if c.key == "nk-pdf-vs-floor"]
    assert pdf.change == pytest.approx(0.20, abs=0.001)


def test_a_slowdown_within_15_percent_or_a_speed_up_is_not_flagged(tmp_path):
    path = tmp_path / "baseline.json"
    baseline.save(targets.evaluate(_measured(), 250, 1000, 2500, 50), {}, path)
    for factor in (1.10, 0.70):
        changes = baseline.compare(baseline.load(path), _ratios(_measured(slower=factor)))
        assert not any(c.worse for c in changes), factor


def test_the_baseline_holds_ratios_never_seconds(tmp_path):
    path = tmp_path / "baseline.json"
    data = baseline.save(targets.evaluate(_measured(), 250, 1000, 2500, 50), {}, path)
    # the same ratios measured on a machine twice as slow: the baseline does not move
    halved = {k: _case(k, [s * 2 for s in c.times], c.peak_mib) for k, c in _measured().items()}
    assert _ratios(halved) == pytest.approx(data["ratios"], abs=1e-3)
    assert set(data["units"].values()) <= {"×", "MiB"}


def test_ratios_pair_the_runs_of_the_same_round():
    # a burst of load in round 2 slows both sides of that round; the paired median is unmoved by it
    a = _case("a", [1.0, 3.0, 1.0])
    b = _case("b", [0.5, 1.5, 0.5])
    assert paired_ratio(a, b) == pytest.approx(2.0)
