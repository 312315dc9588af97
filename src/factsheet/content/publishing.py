"""What a sheet publishes to the web beside its fact box: schema.org ClaimReview and CSL-JSON.

ClaimReview (https://schema.org/ClaimReview, as read by search engines and
fact-check aggregators) is made for each claim marked ``publish: true``:

- ``claimReviewed``: the claim's ``short`` wording, else its text when under 75
  characters, else the text cut after the last whole word that fits in 73
  characters, with "…" (Google asks for under 75 characters);
- ``itemReviewed``: a Claim whose ``author`` is the attribution (an Organization
  when the speaker is the organisation itself, else a Person with its role and
  organisation), ``datePublished`` when it was said, and ``appearance`` the cited
  articles whose URL is known;
- ``author``: the sheet's ``publication.publisher``, else its ``author``;
  ``datePublished``: the sheet's as-of date; ``url``: ``publication.url``;
- ``reviewRating``: the claim's status on a four-step scale of how well the claim is
  sourced, not a verdict on its truth: 1 Denied, 2 Disputed, 3 Unconfirmed
  (status ``reported``), 4 Confirmed (``worstRating`` 1, ``bestRating`` 4, and the
  label as ``alternateName``).

CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html) lists
each cited article as ``article-newspaper``, with only what the catalog records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factsheet.sources.model import Claim, DraftSheet, PartialDate, Source

if TYPE_CHECKING:
    from factsheet.sources.loading import YamlPath

#: status → (ratingValue, alternateName): how well the claim is sourced.
RATINGS = {
    "denied": (1, "Denied"),
    "disputed": (2, "Disputed"),
    "reported": (3, "Unconfirmed"),
    "confirmed": (4, "Confirmed"),
}
WORST_RATING, BEST_RATING = 1, 4
#: Google's limit for claimReviewed is "under 75 characters".
CLAIM_REVIEWED_MAX = 74


def claim_reviewed(claim: Claim) -> str:
    """Return the claim in under 75 characters: its ``short`` form, its text, or the text cut at a word."""
    if claim.short:
        return claim.short
    text = " ".join(claim.text.split())
    if len(text) <= CLAIM_REVIEWED_MAX:
        return text
    cut = text[: CLAIM_REVIEWED_MAX - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def _date(value: PartialDate | str | object | None) -> str | None:
    if value is None:
        return None
    return str(value.iso if isinstance(value, PartialDate) else value)


def _claim_author(claim: Claim) -> dict[str, Any]:
    a = claim.attribution
    if a.organisation and a.who.casefold() == a.organisation.casefold():
        return {"@type": "Organization", "name": a.who}
    person: dict[str, Any] = {"@type": "Person", "name": a.who}
    if a.role:
        person["jobTitle"] = a.role
    if a.organisation:
        person["affiliation"] = {"@type": "Organization", "name": a.organisation}
    return person


def _appearance(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle", "url": source.url}
    if source.headline:
        work["headline"] = source.headline
    if source.published:
        work["datePublished"] = _date(source.published)
    if source.outlet:
        work["publisher"] = {"@type": "Organization", "name": source.outlet}
    return work


def published_claims(sheet: DraftSheet) -> list[Claim]:
    """Return the claims the sheet marks for publication, in file order."""
    return [c for c in sheet.claims if c.publish]


def claim_reviews(sheet: DraftSheet) -> list[dict[str, Any]]:
    """Return one schema.org ClaimReview (JSON-LD) per claim marked for publication."""
    publisher = sheet.publication.publisher or sheet.author
    reviews = []
    for claim in published_claims(sheet):
        item: dict[str, Any] = {"@type": "Claim", "author": _claim_author(claim)}
        said = _date(claim.said_on or claim.happened_on)
        if said:
            item["datePublished"] = said
        seen: list[str] = []
        for citation in claim.citations:
            source = sheet.sources.get(citation.source)
            if source is not None and source.url and source.id not in seen:
                seen.append(source.id)
        if seen:
            item["appearance"] = [_appearance(sheet.sources[s]) for s in seen]
        value, label = RATINGS[claim.status]
        review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
        if sheet.publication.url:
            review["url"] = sheet.publication.url
        review["claimReviewed"] = claim_reviewed(claim)
        review["itemReviewed"] = item
        if publisher:
            review["author"] = {"@type": "Organization", "name": publisher}
        review["datePublished"] = _date(sheet.as_of)
        review["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": label,
        }
        reviews.append(review)
    return reviews


def _date_parts(value: PartialDate) -> list[int]:
    return [int(p) for p in value.iso.split("-")]


def csl_items(sheet: DraftSheet) -> list[dict[str, Any]]:
    """Return the cited articles as CSL-JSON items, in order of first citation."""
    items = []
    for source in sheet.cited_sources():
        item: dict[str, Any] = {"id": source.id, "type": "article-newspaper"}
        if source.headline:
            item["title"] = source.headline
        if source.outlet:
            item["container-title"] = source.outlet
        if source.author:
            # One literal name: the catalog keeps a byline as printed, and splitting it into
            # family and given names would guess wrong for many names.
            item["author"] = [{"literal": source.author}]
        if source.published:
            item["issued"] = {"date-parts": [_date_parts(source.published)]}
        if source.url:
            item["URL"] = source.url
        if source.language:
            item["language"] = source.language
        items.append(item)
    return items


def publication_gaps(sheet: DraftSheet) -> list[tuple[YamlPath, str]]:
    """Return (YAML path, message) for each thing ClaimReview needs that a sheet asking for it lacks."""
    claims = published_claims(sheet)
    if not claims:
        return []
    first = sheet.claims.index(claims[0])
    gaps: list[tuple[YamlPath, str]] = []
    if not sheet.publication.url:
        gaps.append(
            (
                ("claims", first, "publish"),
                f"{len(claims)} claim{'s are' if len(claims) != 1 else ' is'} marked publish: true, but "
                "publication.url is missing: ClaimReview requires the address of the page that "
                "publishes the fact box",
            )
        )
    if not (sheet.publication.publisher or sheet.author):
        gaps.append(
            (
                ("claims", first, "publish"),
                "claims are marked publish: true, but neither publication.publisher nor author names "
                "who publishes them: ClaimReview needs its author",
            )
        )
    for claim in claims:
        if not claim.short and len(" ".join(claim.text.split())) > CLAIM_REVIEWED_MAX:
            index = sheet.claims.index(claim)
            gaps.append(
                (
                    ("claims", index, "publish"),
                    f"claim '{claim.id}' is published as ClaimReview, whose claimReviewed must be under "
                    f'75 characters; its text will be cut to "{claim_reviewed(claim)}" unless you give '
                    "short: with your own wording",
                )
            )
    return gaps
