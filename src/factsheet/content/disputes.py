"""Who disputes whom: each contested claim with the claims that contradict, dispute or deny it, and their speakers."""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.sources.model import Claim, DraftSheet

#: What a claim linked under each key does to the claim it names, as the brief says it. ``contradicts``
#: says only that the sources show two accounts that conflict, so the later speaker is never said to
#: have answered the earlier one.
PHRASES = {
    "contradicted": "gave a conflicting account",
    "disputed": "disputed this",
    "denied": "denied this",
}


@dataclass(frozen=True)
class Dispute:
    """One claim (``by``) contradicting, disputing or denying another; its speaker is ``by``'s attribution."""

    by: Claim
    verb: str  # "contradicted" (contradicts:) | "disputed" (disputes:) | "denied" (denies:)

    @property
    def phrase(self) -> str:
        """Return what the speaker did, after their name: "denied this", "gave a conflicting account"."""
        return PHRASES[self.verb]

    @property
    def speaker(self) -> str:
        """Return who disputes, as the brief names them: "Ana Ruiz, ministry spokeswoman"."""
        return speaker(self.by)

    @property
    def subject(self) -> str:
        """Return the speaker as the subject of a sentence, a role set off by commas on both sides."""
        name = speaker(self.by)
        return f"{name}," if name != self.by.attribution.who else name


@dataclass(frozen=True)
class Contest:
    """A claim someone disputes or denies (or whose status says it is), with who does."""

    claim: Claim
    against: tuple[Dispute, ...]

    @property
    def speaker(self) -> str:
        """Return who made the contested claim, as the brief names them."""
        return speaker(self.claim)


def speaker(claim: Claim) -> str:
    """Return a claim's speaker with their role when the name does not already say it."""
    a = claim.attribution
    if a.role and a.role.lower() not in a.who.lower():
        return f"{a.who}, {a.role}"
    return a.who


def contests(sheet: DraftSheet) -> list[Contest]:
    """Return every contested claim in sheet order, each with its disputes, earliest first.

    A claim is contested when another lists it under ``contradicts`` (contradicted),
    ``disputes`` (disputed) or ``denies`` (denied), or when its own status is
    ``disputed`` or ``denied`` and it is not itself the dispute of another claim (a
    denial is shown with what it denies).
    """
    # who disputes each claim, found in one pass over the sheet (not once per claim)
    disputed_by: dict[str, list[tuple[int, Claim]]] = {}
    for index, other in enumerate(sheet.claims):
        for target in dict.fromkeys(other.opposes):
            disputed_by.setdefault(target, []).append((index, other))
    out: list[Contest] = []
    for claim in sheet.claims:
        against = [
            (index, Dispute(other, _verb(other, claim.id))) for index, other in disputed_by.get(claim.id, ())
        ]
        if against or (claim.status in ("disputed", "denied") and not claim.opposes):
            against.sort(key=lambda item: (_date_key(item[1].by), item[0]))
            out.append(Contest(claim, tuple(d for _, d in against)))
    return out


def _verb(by: Claim, target: str) -> str:
    """Return what ``by`` does to the claim ``target``: a denial, then a dispute, outweighs a contradiction."""
    if target in by.denies:
        return "denied"
    return "disputed" if target in by.disputes else "contradicted"


def _date_key(claim: Claim) -> tuple[int, tuple[int, int]]:
    when = claim.when
    return (0, when.sort_key()) if when is not None else (1, (0, 0))
