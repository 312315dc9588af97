"""Disputes that point the right way: a claim disputes or denies claims of other speakers."""

from __future__ import annotations

from factsheet.errors import Problem
from factsheet.sources.loading import Located, YamlMap


def _attribution(claim: YamlMap) -> YamlMap:
    found = claim.get("attribution")
    return found if isinstance(found, dict) else {}


def _speaker(claim: YamlMap) -> tuple[str, str]:
    """Return (who, organisation) of a claim's attribution, folded for comparison."""
    attribution = _attribution(claim)
    who, organisation = attribution.get("who"), attribution.get("organisation")
    return (
        " ".join(who.split()).casefold() if isinstance(who, str) else "",
        " ".join(organisation.split()).casefold() if isinstance(organisation, str) else "",
    )


def same_speaker(a: YamlMap, b: YamlMap) -> bool:
    """Return True when two claims have the same speaker: the same who, or the same organisation."""
    (who_a, org_a), (who_b, org_b) = _speaker(a), _speaker(b)
    return bool(who_a and who_a == who_b) or bool(org_a and org_a == org_b)


def problems(doc: Located) -> list[Problem]:
    """Return an error for each dispute whose disputing speaker is the disputed claim's own speaker.

    ``contradicts``/``disputes``/``denies`` on claim Y naming claim X reads "X said
    ...; Y disputed this": listing it under the wrong claim names the claim's own
    speaker as its disputer. A speaker who retracts their own claim says so with ``disputes_own_claim``.
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    claims = [c for c in data.get("claims") or () if isinstance(c, dict)] if isinstance(data, dict) else []
    by_id = {c["id"]: c for c in claims if isinstance(c.get("id"), str)}
    out: list[Problem] = []
    for i, claim in enumerate(data.get("claims") or ()):
        if not isinstance(claim, dict) or claim.get("disputes_own_claim") is True:
            continue
        for key in ("contradicts", "disputes", "denies"):
            refs = claim.get(key)
            for j, ref in enumerate(refs if isinstance(refs, list) else ()):
                other = by_id.get(ref) if isinstance(ref, str) else None
                if other is None or other is claim or not same_speaker(claim, other):
                    continue
                verb = key
                out.append(
                    doc.problem(
                        ("claims", i, key, j),
                        f"claim '{claim.get('id')}' {verb} '{ref}', but both are said by "
                        f"'{_named(claim)}': a speaker does not dispute their own claim. List the "
                        f"dispute under the claim of the disputing speaker, or, for a retraction, "
                        f"add disputes_own_claim: true",
                    )
                )
    return out


def _named(claim: YamlMap) -> str:
    who = _attribution(claim).get("who")
    return who if isinstance(who, str) else "?"
