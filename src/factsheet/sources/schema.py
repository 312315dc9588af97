"""The claim format, declared once: validated here and published as JSON Schema."""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from factsheet.errors import Problem
from factsheet.sources.loading import (
    Located,
    YamlMap,
    YamlPath,
    character_fix,
    describe_character,
    display_path,
    type_name,
)
from factsheet.sources.model import (
    DATE_PATTERN,
    Attribution,
    Citation,
    Claim,
    FactSheet,
    Figure,
    Group,
    MetricLabel,
    PartialDate,
    Party,
    Publication,
    Section,
    Settings,
    Source,
    Topic,
    Update,
    labelled,
)

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
METRIC = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
PARTIAL_DATE = DATE_PATTERN
#: Each status and when to use it (shown to editors by their YAML tooling).
STATUS_USES = {
    "reported": "Someone said it and it is not yet confirmed by an independent source.",
    "confirmed": "Independent sources or official records bear it out.",
    "disputed": "Credible sources contradict it; say who in the note, or with contradicts or disputes on their claims.",
    "denied": "The party it concerns says it is false.",
}
STATUSES = tuple(STATUS_USES)

#: Characters refused in every text field: C0/C1 controls (newline aside), the
#: bidirectional controls that can make "859,3" display as "3,958", invisible
#: line separators and byte-order marks, code points that are not characters, and
#: the invisible characters that make two equal-looking words differ.
_FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    "\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff"
    # invisible characters that hide inside words: zero-width space and joiner, word
    # joiner, soft hyphen, invisible operators and separator, combining grapheme joiner
    "\u200b\u200d\u2060-\u2064\u00ad\u034f]"
)


def without_forbidden(text: str) -> str:
    """Return ``text`` without the characters refused in every text field (for values taken from a web page)."""
    return _FORBIDDEN.sub("", text)


def forbidden_character(text: str) -> str | None:
    """Return a description of the first refused character in ``text``, or None."""
    m = _FORBIDDEN.search(text)
    if not m:
        return None
    return f"{describe_character(m.group())} at character {m.start() + 1}"


class Spec:
    """A value's expected shape."""

    expected = "a value"

    def check(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        """Append a Problem for each way ``value`` differs from this spec."""

    def json(self) -> dict[str, Any]:
        """Return this spec as JSON Schema."""
        return {}

    def wrong(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        problems.append(
            doc.problem(path, f"{display_path(path)}: expected {self.expected}, found {type_name(value)}")
        )

    def strict(self, value: Any) -> Any:
        """Return the model value of a validated YAML value."""
        return value

    def loose(self, value: Any) -> Any:
        """Return the model value of a YAML value that may not validate, kept as written."""
        return as_text(value)

    def plain(self, value: Any) -> Any:
        """Return a model value as plain JSON data."""
        return value


def as_text(value: Any) -> str | None:
    """Return a YAML value as the text it was written as (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return repr(value)
    return str(value)


@dataclass
class Str(Spec):
    """A non-empty string of text, optionally matching a pattern."""

    pattern: str | None = None
    expected: str = "text"
    max_len: int = 10_000
    doc: str = ""

    def check(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        if self.pattern == PARTIAL_DATE and (
            (isinstance(value, _dt.date) and not isinstance(value, _dt.datetime))
            # an unquoted year (said_on: 2024) reads as a number; it means the year
            or (isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999)
        ):
            return
        if not isinstance(value, str) or not value.strip():
            return self.wrong(value, path, doc, problems)
        bad = forbidden_character(value)
        if bad:
            problems.append(
                doc.problem(path, f"{display_path(path)}: {bad} is not allowed in text; {character_fix(bad)}")
            )
        elif len(value) > self.max_len and self.pattern != PARTIAL_DATE:  # a date: say what a date is
            problems.append(
                doc.problem(
                    path,
                    f"{display_path(path)}: text is {len(value):,} characters; the limit is {self.max_len:,}",
                )
            )
        elif self.pattern and ("\n" in value or not re.match(self.pattern, value)):
            # "\n": a pattern's $ would otherwise accept one trailing line break ("id\n")
            self.wrong(value, path, doc, problems)
        elif self.pattern == PARTIAL_DATE and PartialDate.problem(value):
            problems.append(
                doc.problem(
                    path, f"{display_path(path)}: {value} is not a real date ({PartialDate.problem(value)})"
                )
            )

    def wrong(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        hint = ""
        if self.pattern is None and (
            isinstance(value, (bool, int, float, _dt.date))
            and not (isinstance(value, float) and not math.isfinite(value))
        ):
            hint = "; put it in quotes to use it as text"
        problems.append(
            doc.problem(
                path, f"{display_path(path)}: expected {self.expected}, found {type_name(value)}{hint}"
            )
        )

    def strict(self, value: Any) -> Any:
        return PartialDate.of(value) if self.pattern == PARTIAL_DATE else value

    def loose(self, value: Any) -> Any:
        text = as_text(value)
        return PartialDate(text) if self.pattern == PARTIAL_DATE and text is not None else text

    def plain(self, value: Any) -> Any:
        return None if value is None else str(value)

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": self.max_len}
        if self.pattern:
            out["pattern"] = self.pattern
        if self.pattern == PARTIAL_DATE:
            out = {"anyOf": [out, {"type": "integer", "minimum": 1000, "maximum": 9999}]}
        if self.doc:
            out["description"] = self.doc
        return out


@dataclass
class Number(Spec):
    """A number (not a boolean, not text)."""

    expected: str = "a number such as 11000 (no thousands separators or words)"
    minimum: float | None = 0

    def check(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.wrong(value, path, doc, problems)
        if not math.isfinite(value):
            problems.append(
                doc.problem(path, f"{display_path(path)}: expected a finite number, found {type_name(value)}")
            )
            return
        if self.minimum is not None and value < self.minimum:
            problems.append(
                doc.problem(
                    path, f"{display_path(path)}: expected a number ≥ {self.minimum:g}, found {value}"
                )
            )

    def loose(self, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        return as_text(value)  # kept as written; the diff shows it verbatim

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out


@dataclass
class Bool(Spec):
    expected: str = "true or false"

    def check(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        if not isinstance(value, bool):
            self.wrong(value, path, doc, problems)

    def loose(self, value: Any) -> Any:
        return value if isinstance(value, bool) or value is None else as_text(value)

    def json(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass
class Enum(Spec):
    """One of a fixed set of words; ``uses`` says when to use each."""

    values: tuple[str, ...] = ()
    uses: dict[str, str] = field(default_factory=dict)

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + " | ".join(self.values)

    def check(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        if value not in self.values:
            close = (
                difflib.get_close_matches(value, self.values, n=1, cutoff=0.6)
                if isinstance(value, str)
                else []
            )
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                doc.problem(
                    path, f"{display_path(path)}: expected {self.expected}, found {type_name(value)}{hint}"
                )
            )

    def json(self) -> dict[str, Any]:
        if not self.uses:
            return {"enum": list(self.values)}
        return {
            "enum": list(self.values),
            "oneOf": [{"const": v, "description": self.uses[v]} for v in self.values],
            "enumDescriptions": [self.uses[v] for v in self.values],
        }


@dataclass
class Nullable(Spec):
    """A value that may be null, meaning explicitly unknown."""

    inner: Spec = field(default_factory=Str)

    def check(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        if value is not None:
            self.inner.check(value, path, doc, problems)

    def strict(self, value: Any) -> Any:
        return None if value is None else self.inner.strict(value)

    def json(self) -> dict[str, Any]:
        return {"anyOf": [self.inner.json(), {"type": "null"}]}


#: How a field is compared and shown in a diff (see factsheet.review.compare):
#: ``value`` as a whole, ``prose`` word by word, ``refs`` as a set of ids,
#: ``object`` field by field (``attribution.who``), ``figures`` by metric,
#: ``citations`` by source and quote, ``key`` not at all (claims are matched by it);
#: at sheet level ``sections`` by id and order, ``claims`` claim by claim, ``settings`` and
#: ``groups`` as named lines (``settings.topics.<id>``, ``groups.<id>``); ``none``: not shown.
DIFF_KINDS = (
    "value",
    "prose",
    "refs",
    "object",
    "figures",
    "citations",
    "key",
    "sections",
    "claims",
    "settings",
    "groups",
    "none",
)


@dataclass
class Field:
    """One field of a mapping: its value's spec, whether it is required, its title and
    documentation, how a diff compares it, and what a lenient read puts in its place when absent."""

    spec: Spec
    required: bool = False
    doc: str = ""
    title: str = ""
    diff: str = "value"
    missing: Any = None


@dataclass
class Obj(Spec):
    """A mapping with known keys only."""

    name: str = "mapping"
    fields: dict[str, Field] = field(default_factory=dict)
    rule: Callable[[YamlMap, YamlPath, Located, list[Problem]], None] | None = None
    json_extra: dict[str, Any] = field(default_factory=dict)
    model: type | None = None  # the model class whose attributes are these fields

    def model_fields(self) -> dict[str, Field]:
        """Return the fields the model class holds (others, such as allow_furniture, are read from the data)."""
        held = getattr(self.model, "__dataclass_fields__", {})
        return {k: f for k, f in self.fields.items() if k in held}

    def strict(self, value: Any) -> Any:
        if self.model is None:
            return value
        # an absent optional field takes the model's default (publish: false, figures: ())
        return self.model(
            **{k: f.spec.strict(value[k]) for k, f in self.model_fields().items() if k in value}
        )

    def loose(self, value: Any) -> Any:
        if self.model is None:
            return value
        data = value if isinstance(value, dict) else {}
        out = {}
        for k, f in self.model_fields().items():
            if k not in data and not f.required:
                continue  # the model's default
            item = f.spec.loose(data.get(k))
            out[k] = f.missing if item is None and f.missing is not None else item
        return self.model(**out)

    def plain(self, value: Any) -> Any:
        if self.model is None or value is None:
            return value
        return {k: f.spec.plain(getattr(value, k)) for k, f in self.model_fields().items()}

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a mapping ({self.name})"

    def check(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        if not isinstance(value, dict):
            return self.wrong(value, path, doc, problems)
        misspelt = set()
        for key, item in value.items():
            if key not in self.fields:
                known = ", ".join(self.fields)
                close = difflib.get_close_matches(key, list(self.fields), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                misspelt.update(close)
                problems.append(
                    doc.problem(
                        path + (key,),
                        f"unknown key '{key}' in {self.name}{_owner(path, doc)}{hint}; expected one of: {known}",
                        key=True,
                    )
                )
                continue
            self.fields[key].spec.check(item, path + (key,), doc, problems)
        for key, f in self.fields.items():
            # a misspelt key is one mistake: "did you mean" says it, not a second "missing" line
            if f.required and key not in value and key not in misspelt:
                problems.append(
                    doc.problem(
                        path,
                        f"{display_path(path)}: {self.name} is missing required key '{key}' ({f.spec.expected})",
                    )
                )
        if self.rule:
            self.rule(value, path, doc, problems)

    def json(self) -> dict[str, Any]:
        props = {}
        for key, f in self.fields.items():
            sub = f.spec.json()
            if f.title:
                sub = {"title": f.title, **sub}
            if f.doc:
                sub = {**sub, "description": f.doc}
            props[key] = sub
        out = {"type": "object", "additionalProperties": False, "properties": props}
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            out["required"] = required
        out.update(self.json_extra)
        return out


def _owner(path: YamlPath, doc: Located) -> str:
    """Return " 'id'" for a key of a claim, " of claim 'id'" for a key inside one, else ""."""
    if len(path) >= 2 and path[0] == "claims" and isinstance(doc.data, dict):
        claims = doc.data.get("claims")
        claim = claims[path[1]] if isinstance(claims, list) and isinstance(path[1], int) else None
        if isinstance(claim, dict) and isinstance(claim.get("id"), str):
            return f" '{claim['id']}'" if len(path) == 2 else f" of claim '{claim['id']}'"
    return ""


@dataclass
class List(Spec):
    item: Spec = field(default_factory=Str)
    min_items: int = 0
    name: str = "items"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a list of {self.name}"

    def check(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        if not isinstance(value, list):
            return self.wrong(value, path, doc, problems)
        if len(value) < self.min_items:
            problems.append(
                doc.problem(
                    path,
                    f"{display_path(path)}: expected at least {self.min_items} of {self.name}, found {len(value)}",
                )
            )
        for i, item in enumerate(value):
            self.item.check(item, path + (i,), doc, problems)

    def strict(self, value: Any) -> Any:
        return tuple(self.item.strict(x) for x in value or ())

    def loose(self, value: Any) -> Any:
        items = value if isinstance(value, list) else ([] if value is None else [value])
        return tuple(self.item.loose(x) for x in items)

    def plain(self, value: Any) -> Any:
        return [self.item.plain(x) for x in value or ()]

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.json()}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


def _figure_rule(value: YamlMap, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
    has_value = "value" in value
    has_low, has_high = "low" in value, "high" in value
    where = display_path(path)
    if has_value and (has_low or has_high):
        problems.append(doc.problem(path, f"{where}: give either value or low/high, not both"))
    elif has_low != has_high:
        missing = "high" if has_low else "low"
        problems.append(
            doc.problem(path, f"{where}: a range needs both low and high; '{missing}' is missing")
        )
    elif not (has_value or has_low or "qualifier" in value):
        problems.append(
            doc.problem(
                path,
                f"{where}: expected value, low/high, or a qualifier such as 'several thousand'; found none",
            )
        )
    elif has_low and all(
        isinstance(value[k], (int, float)) and not isinstance(value[k], bool) for k in ("low", "high")
    ):
        if value["low"] > value["high"]:
            problems.append(
                doc.problem(
                    path + ("low",), f"{where}: low ({value['low']}) is greater than high ({value['high']})"
                )
            )


SLUG_STR = Str(SLUG, "a lowercase slug such as 'people-missing' (letters, digits, hyphens)", 80)
PARTIAL = Str(
    PARTIAL_DATE,
    "a date such as 2024, 2024-10, 2024-10-18, 2024-10-early, 2024-autumn, 2025-01/2025-02 or 'by 2024-12'",
    30,
)

#: What an editor's YAML tooling shows for a figure with neither a number nor a qualifier.
FIGURE_AMOUNT = (
    "A figure needs an amount: value (11000), low and high (10000 and 12000), "
    "or a qualifier in the source's words ('several thousand')."
)

FIGURE = Obj(
    "figure",
    {
        "metric": Field(
            Str(METRIC, "a snake_case metric name such as 'people_missing'", 60),
            True,
            "What is counted; the same metric across claims groups their figures.",
            "Metric",
            missing="",
        ),
        "value": Field(
            Number(), doc="The number, when the source gives one (11000, no separators).", title="Value"
        ),
        "low": Field(Number(), doc="Lower end of a range; give high too.", title="Low"),
        "high": Field(Number(), doc="Upper end of a range; give low too.", title="High"),
        "unit": Field(Str(max_len=60), True, "What is counted, e.g. 'people'.", "Unit"),
        "qualifier": Field(
            Str(max_len=120),
            doc="The source's words: 'at least', 'about', 'several thousand'. "
            "Alone, without value or low/high, it is the whole amount.",
            title="Qualifier",
        ),
        "as_of": Field(PARTIAL, doc="The date the figure refers to, if not the claim's.", title="As of"),
        "derived": Field(
            Str(max_len=300),
            doc="How the figure was worked out when no quote gives it ('sum of the two figures "
            "the ministry gave'); printed in the dossier. Without it, a figure no quote gives is an error.",
            title="Derived",
        ),
    },
    rule=_figure_rule,
    model=Figure,
    json_extra={
        "errorMessage": FIGURE_AMOUNT,
        "anyOf": [
            {"required": ["value"], "not": {"anyOf": [{"required": ["low"]}, {"required": ["high"]}]}},
            {"required": ["low", "high"], "not": {"required": ["value"]}},
            {
                "required": ["qualifier"],
                "not": {"anyOf": [{"required": ["value"]}, {"required": ["low"]}, {"required": ["high"]}]},
            },
        ],
    },
)

ATTRIBUTION = Obj(
    "attribution",
    {
        "who": Field(Str(max_len=200), True, "A name, or a description of an anonymous source.", "Who"),
        "role": Field(
            Str(max_len=200), doc="The person's office or job, e.g. 'Minister of the Interior'.", title="Role"
        ),
        "organisation": Field(
            Str(max_len=200),
            doc="The body they speak for, e.g. 'National civil protection agency'.",
            title="Organisation",
        ),
        "on_record": Field(
            Bool(), True, "true when the source is named and speaks on the record.", "On the record"
        ),
    },
    model=Attribution,
)

CITATION = Obj(
    "citation",
    {
        "source": Field(SLUG_STR, True, "The id of an article in seeds/catalog.yaml.", "Source"),
        "quote": Field(
            Str(max_len=2000), True, "Words quoted verbatim from the article body.", "Quote", diff="prose"
        ),
        "allow_furniture": Field(
            Str(max_len=500),
            doc="Why this quote may come from page furniture (a caption, a headline).",
            title="Allow furniture",
        ),
    },
    model=Citation,
)


def _dispute_field(what: str, sentence: str, title: str) -> Field:
    """Return the field listing the claims this claim opposes, with the sentence the brief prints."""
    return Field(
        List(SLUG_STR, name="claim ids"),
        doc=f'Claims {what}. The brief says "X said ...; Y {sentence}", Y being this claim\'s attribution.',
        title=title,
        diff="refs",
    )


CLAIM = Obj(
    "claim",
    {
        "id": Field(
            SLUG_STR,
            True,
            "Stable slug, unique in the file; other claims refer to it.",
            "Claim id",
            diff="key",
        ),
        "section": Field(SLUG_STR, doc="The id of a section listed under sections.", title="Section"),
        "text": Field(Str(max_len=2000), True, "The editorial statement.", "Text", diff="prose"),
        "status": Field(
            Enum(values=STATUSES, uses=STATUS_USES),
            True,
            "How far the claim is established: " + "; ".join(f"{k}: {v}" for k, v in STATUS_USES.items()),
            "Status",
        ),
        "attribution": Field(
            ATTRIBUTION,
            True,
            "Who said it, in what role, for which organisation.",
            "Attribution",
            diff="object",
        ),
        "said_on": Field(
            PARTIAL,
            doc="When it was said or reported, as precise as the source: 2024-10-18, 2024-10, "
            "2024-10-early, 2024-autumn, 2025-01/2025-02, 2024, 'by 2024-12'.",
            title="Said on",
        ),
        "happened_on": Field(PARTIAL, doc="When the event itself happened.", title="Happened on"),
        "figures": Field(
            List(FIGURE, name="figures"),
            doc="The numbers the claim reports, each with its metric and unit.",
            title="Figures",
            diff="figures",
        ),
        "citations": Field(
            List(CITATION, 1, "citations"),
            True,
            "At least one verbatim quote from a stored article that supports the claim.",
            "Citations",
            diff="citations",
        ),
        "note": Field(
            Str(max_len=2000), doc="Editor's note printed with the claim.", title="Note", diff="prose"
        ),
        "contradicts": _dispute_field(
            "whose account this one conflicts with, where the sources show only that the two accounts "
            "conflict (this claim's speaker does not answer the other)",
            "gave a conflicting account",
            "Contradicts",
        ),
        "disputes": _dispute_field(
            "this one disputes: the sources show its speaker answering them, saying they are wrong or doubtful",
            "disputed this",
            "Disputes",
        ),
        "denies": _dispute_field("this one denies: its speaker says they are false", "denied this", "Denies"),
        "disputes_own_claim": Field(
            Bool(),
            doc="true when this claim's speaker contradicts, disputes or denies a claim they made themselves "
            "(a retraction); without it, check refuses such a dispute as a likely reversed link.",
            title="Disputes its own speaker's claim",
        ),
        "updates": Field(
            List(SLUG_STR, name="claim ids"),
            doc="Earlier claims this one updates.",
            title="Updates",
            diff="refs",
        ),
        "publish": Field(
            Bool(),
            doc="true to publish this claim as a schema.org ClaimReview with the web fact box.",
            title="Publish",
        ),
        "short": Field(
            Str(max_len=74),
            doc="The claim in under 75 characters, for ClaimReview's claimReviewed. On a claim that "
            'contradicts, disputes or denies another it ends the brief\'s sentence "Y denied this, saying <short>".',
            title="Short",
        ),
    },
    model=Claim,
)

METRIC_LABEL = Obj(
    "metric",
    {
        "id": Field(
            Str(METRIC, "a snake_case metric name such as 'people_missing'", 60),
            True,
            "The metric, as figures name it.",
            "Metric",
        ),
        "label": Field(
            Str(max_len=120),
            True,
            "What it counts, in the editor's words, printed wherever the metric is named "
            "('People displaced').",
            "Label",
        ),
    },
    model=MetricLabel,
)

TOPIC = Obj(
    "topic",
    {
        "id": Field(SLUG_STR, True, "Stable slug, unique among the topics.", "Topic id"),
        "title": Field(
            Str(max_len=200), True, "Heading of the topic's table and title of its chart.", "Title"
        ),
        "metrics": Field(
            List(Str(METRIC, "a snake_case metric name such as 'people_displaced'", 60), 1, "metrics"),
            True,
            "The metrics shown together; each must be used by a figure of the sheet.",
            "Metrics",
        ),
        "chart": Field(Bool(), doc="Draw the topic's figures over time (default true).", title="Chart"),
    },
    model=Topic,
)

PARTY = Obj(
    "party",
    {
        "name": Field(Str(max_len=120), True, "The side as a reader names it.", "Name"),
        "match": Field(
            List(Str(max_len=120), 1, "words"),
            True,
            "Words that, found in a claim's organisation (else its who), place the claim on this side.",
            "Match",
        ),
    },
    model=Party,
)

SETTINGS = Obj(
    "settings",
    {
        "paper": Field(
            Enum(values=("a4", "letter")),
            doc="Paper size of the brief (default a4).",
            title="Paper",
            missing="a4",
        ),
        "topics": Field(
            List(TOPIC, 1, "topics"),
            doc="Figures shown first and charted; without topics every group is shown and the "
            "largest group with dated numbers is charted.",
            title="Topics",
        ),
        "parties": Field(
            List(PARTY, 1, "parties"),
            doc="The sides of the story; a later figure from the same side is read as an update.",
            title="Parties",
        ),
    },
    model=Settings,
)

GROUP = Obj(
    "group",
    {
        "id": Field(SLUG_STR, True, "Stable slug, unique among the groups.", "Group id"),
        "title": Field(Str(max_len=200), True, "Heading of the group's table.", "Title"),
        "claims": Field(
            List(SLUG_STR, 2, "claim ids"),
            True,
            "Claims compared with each other, with or without figures.",
            "Claims",
        ),
        "metrics": Field(
            List(Str(METRIC, "a snake_case metric name such as 'deaths'", 60), 1, "metrics"),
            doc="Only these metrics of the claims' figures (default: every figure of the claims).",
            title="Metrics",
        ),
        "final": Field(
            SLUG_STR, doc="The claim whose figures are final (an official, confirmed count).", title="Final"
        ),
    },
    model=Group,
)

SECTION = Obj(
    "section",
    {
        "id": Field(SLUG_STR, True, "Stable slug that claims name in their section field.", "Section id"),
        "title": Field(Str(max_len=200), True, "The section heading printed in the brief.", "Title"),
    },
)

PUBLICATION = Obj(
    "publication",
    {
        "url": Field(
            Str(r"^https?://\S+$", "an http(s) URL", 2000),
            doc="The address of the page the fact box is published on (ClaimReview's url).",
            title="URL",
        ),
        "publisher": Field(
            Str(max_len=200),
            doc="The organisation that publishes the fact box (ClaimReview's author).",
            title="Publisher",
        ),
    },
)

UPDATE = Obj(
    "update",
    {
        "on": Field(PARTIAL, True, "When this version was published: YYYY-MM-DD.", "On"),
        "what": Field(
            Str(max_len=300),
            True,
            "What changed, in one line an editor would print, e.g. 'adds the commission's final toll'.",
            "What changed",
        ),
    },
    model=Update,
)

SHEET = Obj(
    "fact sheet",
    {
        "title": Field(Str(max_len=300), True, "The headline of the brief.", "Title", diff="prose"),
        "dek": Field(Str(max_len=600), doc="One-sentence subtitle.", title="Dek", diff="prose"),
        "as_of": Field(
            PARTIAL,
            True,
            "The date the sheet is current to, as precise as the sources "
            'allow: 2025, 2025-02, 2025-02-27, 2025-02-late (printed "as of February 2025").',
            "As of",
        ),
        "language": Field(
            Str(r"^[a-z]{2}(-[A-Z]{2})?$", "a language code such as 'en'", 5),
            doc="The language of the sheet's text, e.g. 'en' or 'en-GB'; default 'en'.",
            title="Language",
        ),
        "author": Field(
            Str(max_len=200), doc="Desk or editor named in the document's metadata.", title="Author"
        ),
        "summary": Field(
            Str(max_len=5000),
            doc="A short editorial account shown under the headline.",
            title="Summary",
            diff="prose",
        ),
        "settings": Field(
            SETTINGS,
            doc="Sheet-level settings: topics, parties, paper size.",
            title="Settings",
            diff="settings",
        ),
        "sections": Field(
            List(SECTION, name="sections"),
            doc="The brief's sections, in order.",
            title="Sections",
            diff="sections",
        ),
        "metrics": Field(
            List(METRIC_LABEL, name="metrics"),
            doc="A label for every metric the figures use, declared once: outputs print the label, "
            "never the metric's name.",
            title="Metric labels",
            diff="labels",
        ),
        "groups": Field(
            List(GROUP, name="groups"),
            doc="Claims an editor compares, figures or not.",
            title="Groups",
            diff="groups",
        ),
        "claims": Field(
            List(CLAIM, 1, "claims"),
            True,
            "The claims, each with its figures, attribution, status and citations.",
            "Claims",
            diff="claims",
        ),
        "publication": Field(
            PUBLICATION,
            doc="Where and by whom the web fact box is published.",
            title="Publication",
            diff="none",
        ),
        "contact": Field(
            Str(max_len=300),
            doc="Who to ask about the brief (a name, a desk, an address), printed at its end.",
            title="Contact",
            diff="prose",
        ),
        "unknowns": Field(
            List(Str(max_len=1000), name="unknowns"),
            doc='What the sources do not say, one sentence each, printed under "What we don\'t know".',
            title="What we don't know",
            diff="none",
        ),
        "correction": Field(
            Str(max_len=1000),
            doc="A correction saying what an earlier version got wrong, printed near the top.",
            title="Correction",
            diff="prose",
        ),
        "updates": Field(
            List(UPDATE, name="updates"),
            doc="The sheet's published versions, oldest first: the brief prints the latest as its "
            "version date and what changed, the dossier the whole log.",
            title="Updates",
            diff="none",
        ),
    },
)


@dataclass
class Lines(Str):
    """A line number (5) or a range of lines ("11-17")."""

    def check(self, value: object, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return
        super().check(value, path, doc, problems)

    def json(self) -> dict[str, Any]:
        return {"anyOf": [super().json(), {"type": "integer", "minimum": 1}]}


LINES = Lines(r"^[1-9][0-9]*(-[1-9][0-9]*)?$", "a line number or a range such as '11-17'", 20)


def _furniture_rule(value: YamlMap, path: YamlPath, doc: Located, problems: list[Problem]) -> None:
    given = [k for k in ("lines", "line", "from") if k in value]
    if len(given) != 1:
        found = ", ".join(given) or "none"
        problems.append(
            doc.problem(
                path, f"{display_path(path)}: expected exactly one of lines, line or from; found {found}"
            )
        )


BODY = Obj(
    "body",
    {
        "lines": Field(LINES, True, "First and last line of the article body, e.g. '4-10'.", "Lines"),
    },
)
FURNITURE = Obj(
    "furniture mark",
    {
        "lines": Field(LINES, doc="Lines that are furniture: '11-17' or 5.", title="Lines"),
        "line": Field(Str(max_len=400), doc="Every line that is exactly this text.", title="Line"),
        "from": Field(
            Str(max_len=400),
            doc="The first line that is exactly this text, and all lines after it.",
            title="From",
        ),
        "what": Field(Str(max_len=200), True, "What it is: 'photo caption', 'Read also list'.", "What"),
    },
    rule=_furniture_rule,
    json_extra={"oneOf": [{"required": [k]} for k in ("lines", "line", "from")]},
)
ERRATUM = Obj(
    "erratum",
    {
        "passage": Field(Str(max_len=2000), True, "The article's words that are wrong, verbatim.", "Passage"),
        "note": Field(Str(max_len=2000), True, "What is wrong and what is meant.", "Note"),
    },
)

_SHA256 = Str(r"^[0-9a-f]{64}$", "64 lowercase hex digits", 64)
_STATED_ORIGIN = Str(max_len=200)
STATED = Obj(
    "stated fields",
    {
        name: Field(_STATED_ORIGIN, doc=f"Where on the page the {name} was found.", title=name.capitalize())
        for name in ("headline", "author", "outlet", "published", "modified", "url", "language")
    },
)
CAPTURE = Obj(
    "capture",
    {
        "file": Field(
            Str(
                r"^captures/[a-z0-9]+(-[a-z0-9]+)*/[A-Za-z0-9._-]+$",
                "a path such as 'captures/ID/NAME.html'",
                300,
            ),
            True,
            "The capture as received (a saved page or a web archive), under seeds/.",
            "File",
        ),
        "sha256": Field(_SHA256, True, "SHA-256 of the capture's bytes.", "SHA-256"),
        "text": Field(
            Str(
                r"^([a-z0-9]+(-[a-z0-9]+)*|captures/[a-z0-9]+(-[a-z0-9]+)*/[A-Za-z0-9._-]+)\.txt$",
                "a text file name",
                300,
            ),
            True,
            "The article body extracted from the capture, under seeds/.",
            "Text",
        ),
        "text_sha256": Field(_SHA256, True, "SHA-256 of the extracted text.", "Text SHA-256"),
        "captured": Field(
            Nullable(Str(max_len=40)), True, "When the page was captured; null if not known.", "Captured"
        ),
        "captured_from": Field(
            Nullable(Str(max_len=40)), doc="Where the capture date comes from.", title="Captured from"
        ),
        "url": Field(Nullable(Str(max_len=2000)), doc="The address the page was captured from.", title="URL"),
        "extractor": Field(
            Nullable(Str(max_len=100)), True, "The extractor's name and version.", "Extractor"
        ),
        "modified": Field(Nullable(PARTIAL), doc="When the page says it was last changed.", title="Modified"),
        "notice": Field(
            Nullable(Str(max_len=2000)), doc="A correction or update notice on the page.", title="Notice"
        ),
    },
)

SOURCE = Obj(
    "source",
    {
        "id": Field(
            SLUG_STR,
            True,
            "Stable slug that citations name; the article is stored as seeds/ID.txt.",
            "Source id",
        ),
        "file": Field(
            Str(r"^[a-z0-9]+(-[a-z0-9]+)*\.txt$", "a file name such as 'id.txt'", 90),
            True,
            "The stored article's file name: the id followed by .txt.",
            "File",
        ),
        "original": Field(
            Nullable(Str(max_len=200)),
            True,
            "The file name the article arrived as; null if not recorded.",
            "Original file",
        ),
        "sha256": Field(
            Str(r"^[0-9a-f]{64}$", "64 lowercase hex digits", 64),
            True,
            "SHA-256 of the stored file, so a changed article is noticed.",
            "SHA-256",
        ),
        "outlet": Field(Nullable(Str(max_len=200)), True, "The publication; null if not known.", "Outlet"),
        "headline": Field(
            Nullable(Str(max_len=400)), True, "The article's headline; null if not known.", "Headline"
        ),
        "author": Field(
            Nullable(Str(max_len=200)), True, "The article's byline; null if not known.", "Author"
        ),
        "published": Field(
            Nullable(PARTIAL),
            True,
            "When the article was published (YYYY, YYYY-MM or YYYY-MM-DD); null if not known.",
            "Published",
        ),
        "url": Field(
            Nullable(Str(r"^https?://\S+$", "an http(s) URL", 2000)),
            True,
            "Where the article was published; null if not known.",
            "URL",
        ),
        "language": Field(
            Nullable(Str(r"^[a-z]{2}$", "a language code such as 'en'", 2)),
            True,
            "The article's language as a two-letter code; null if not known.",
            "Language",
        ),
        "notes": Field(Nullable(Str(max_len=5000)), True, "What else is known about the article.", "Notes"),
        "body": Field(
            BODY,
            doc="The lines that are the article itself; every other line is page furniture.",
            title="Body",
        ),
        "furniture": Field(
            List(FURNITURE, name="furniture marks"),
            doc="Lines that are not the article: navigation, captions, bylines, link lists.",
            title="Furniture",
        ),
        "errata": Field(
            List(ERRATUM, name="errata"), doc="Passages known to be wrong, each with a note.", title="Errata"
        ),
        "modified": Field(
            Nullable(PARTIAL),
            doc="When the page says the article was last changed; null if not stated.",
            title="Modified",
        ),
        "stated": Field(
            STATED,
            doc="Where on the captured page each value above was found ('seeds add' writes it).",
            title="Stated",
        ),
        "captures": Field(
            List(CAPTURE, name="captures"),
            doc="The captures of the article, oldest first; the first gave the stored text.",
            title="Captures",
        ),
    },
    model=Source,
)

CATALOG = Obj(
    "seed catalog",
    {"sources": Field(List(SOURCE, 1, "sources"), True, "The stored source articles.", "Sources")},
)


def validate(spec: Obj, doc: Located) -> list[Problem]:
    """Return every schema problem in ``doc``."""
    problems: list[Problem] = []
    spec.check(doc.data, (), doc, problems)
    return problems


def json_schema(spec: Obj, title: str) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) for ``spec``."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **spec.json()}


def claim_from_data(data: YamlMap) -> Claim:
    """Return the Claim of a validated claim mapping."""
    claim: Claim = CLAIM.strict(data)
    return claim


def lenient_claim(data: object) -> Claim:
    """Return a Claim from a mapping that may not validate, keeping every value as written.

    Values of the wrong type stay as their text (a figure value written as "11k"
    stays "11k"), so a diff can show a sheet under review as it is.
    """
    claim: Claim = CLAIM.loose(data)
    return claim


def notes_from_data(data: YamlMap) -> dict[str, Any]:
    """Return the FactSheet keywords of the optional fields printed around the brief, built as declared."""
    fields = SHEET.fields
    return {
        "contact": data.get("contact"),
        "unknowns": fields["unknowns"].spec.strict(data.get("unknowns")),
        "correction": data.get("correction"),
        "updates": fields["updates"].spec.strict(data.get("updates")),
    }


def story_from_data(data: YamlMap, lenient: bool = False) -> dict[str, Any]:
    """Return the FactSheet keywords of a sheet's settings and groups, built as declared.

    ``lenient`` reads data that may not validate, keeping values as written (for the diff).
    """
    settings_spec, groups_spec = SHEET.fields["settings"].spec, SHEET.fields["groups"].spec
    if lenient:
        settings: Settings = settings_spec.loose(data.get("settings"))
        groups = groups_spec.loose(data.get("groups"))
    else:
        settings = settings_spec.strict(data.get("settings") or {})
        groups = groups_spec.strict(data.get("groups"))
    return {
        "topics": tuple(settings.topics),
        "parties": tuple(settings.parties),
        "paper": settings.paper or "a4",
        "groups": tuple(groups),
    }


def source_from_data(data: YamlMap) -> Source:
    """Return the Source of a validated catalog entry."""
    source: Source = SOURCE.strict(data)
    return source


def sheet_from_data(data: dict[str, Any], sources: dict[str, Source]) -> FactSheet:
    """Return a FactSheet from validated YAML data; claims are built as the schema declares them."""
    labels = {m["id"]: m["label"] for m in data.get("metrics") or () if isinstance(m, dict)}
    return FactSheet(
        title=data["title"],
        as_of=PartialDate(str(data["as_of"])),
        claims=[labelled(claim_from_data(c), labels) for c in data["claims"]],
        metric_labels=labels,
        dek=data.get("dek"),
        language=data.get("language") or "en",
        author=data.get("author"),
        summary=data.get("summary"),
        sections=[Section(s["id"], s["title"]) for s in data.get("sections") or ()],
        sources=sources,
        **story_from_data(data),
        publication=Publication(**(data.get("publication") or {})),
        **notes_from_data(data),
    )
