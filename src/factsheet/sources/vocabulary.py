"""The metric vocabulary of a sheet: near-identical metric names, and topics naming unused metrics."""

from __future__ import annotations

import re

from factsheet.errors import Problem
from factsheet.sources.loading import Located

_DIGITS = re.compile(r"[0-9]+")
#: Word endings dropped to find a metric's stem ("deaths" and "death", "displaced" and "displace").
_ENDINGS = ("ing", "ed", "es", "s")


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def stem_key(metric: str) -> tuple[str, ...]:
    """Return the metric's words stemmed and sorted: ``people_missing`` and ``missing_person`` differ, ``death`` and ``deaths`` do not."""
    return tuple(sorted(_stem(w) for w in metric.split("_") if w))


def _deletions(word: str) -> set[str]:
    """Return ``word`` and every string one character shorter (two names one edit apart share one)."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def near_metrics(metrics: list[str]) -> dict[str, list[str]]:
    """Return, for each metric, the others one edit apart or with the same stem (linear in the names)."""
    by_variant: dict[str, set[str]] = {}
    by_stem: dict[tuple[str, ...], set[str]] = {}
    for m in metrics:
        for v in _deletions(m):
            by_variant.setdefault(v, set()).add(m)
        by_stem.setdefault(stem_key(m), set()).add(m)
    out: dict[str, list[str]] = {}
    for m in metrics:
        found = set(by_stem[stem_key(m)])
        for v in _deletions(m):
            found |= by_variant.get(v, set())
        found.discard(m)
        # names that differ only in digits are a numbered series ("sector_03", "sector_04"), not a typo
        out[m] = sorted(f for f in found if _DIGITS.sub("", f) != _DIGITS.sub("", m))
    return out


def _figures(data: object) -> list[tuple[int, int, str, str]]:
    """Return (claim index, figure index, claim id, metric) for every well-formed figure."""
    out = []
    claims = data.get("claims") if isinstance(data, dict) else None
    for i, c in enumerate(claims if isinstance(claims, list) else ()):
        if not isinstance(c, dict):
            continue
        figures = c.get("figures")
        for j, f in enumerate(figures if isinstance(figures, list) else ()):
            if isinstance(f, dict) and isinstance(f.get("metric"), str):
                out.append((i, j, str(c.get("id")), f["metric"]))
    return out


def vocabulary_problems(doc: Located) -> list[Problem]:
    """Return a warning for a metric one claim uses next to a near-identical one, and an error
    for a topic that names a metric no figure uses."""
    figures = _figures(doc.data)
    claims_of: dict[str, list[str]] = {}
    first: dict[str, tuple[int, int]] = {}
    for i, j, claim_id, metric in figures:
        users = claims_of.setdefault(metric, [])
        if claim_id not in users:
            users.append(claim_id)
        first.setdefault(metric, (i, j))
    near = near_metrics(list(claims_of))
    problems: list[Problem] = []
    for metric, users in claims_of.items():
        close = [m for m in near[metric] if len(claims_of[m]) >= len(users)][:3]
        if len(users) == 1 and close:
            i, j = first[metric]
            others = ", ".join(
                f"'{m}' ({len(claims_of[m])} claim{'s' * (len(claims_of[m]) != 1)})" for m in close
            )
            problems.append(
                doc.problem(
                    ("claims", i, "figures", j, "metric"),
                    f"metric '{metric}' is used by claim '{users[0]}' only, next to {others}; "
                    f"a typo keeps this figure out of its group and chart",
                    severity="warning",
                )
            )
    settings = doc.data.get("settings") if isinstance(doc.data, dict) else None
    topics = settings.get("topics") if isinstance(settings, dict) else None
    for t, topic in enumerate(topics if isinstance(topics, list) else ()):
        metrics = topic.get("metrics") if isinstance(topic, dict) else None
        for k, metric in enumerate(metrics if isinstance(metrics, list) else ()):
            if isinstance(metric, str) and metric not in claims_of:
                guess = near_metrics([metric, *claims_of])[metric]
                hint = f" (did you mean '{guess[0]}'?)" if guess else ""
                known = ", ".join(claims_of) or "(no figures)"
                problems.append(
                    doc.problem(
                        ("settings", "topics", t, "metrics", k),
                        f"topic '{topic.get('id')}' names metric '{metric}' that no figure uses{hint}; "
                        f"expected one of: {known}",
                    )
                )
    return problems
