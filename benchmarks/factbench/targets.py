"""The targets factsheet is held to, each a ratio measured in the same run (or a peak memory)."""

from __future__ import annotations

from dataclasses import dataclass

from factbench.timing import Case, paired_ratio

#: The NK brief, PDF only, against a process that only imports what a PDF build needs.
NK_PDF_VS_FLOOR = 1.25
#: The NK brief in the default formats against WeasyPrint's brief of 25 notes.
NK_DEFAULT_VS_WEASYPRINT = 0.30
#: A saved edit to both outputs on disk, against Typst's cold compile of the same content.
WATCH_VS_TYPST = 1.0
#: The largest synthetic sheet against one a tenth of its size.
LINEAR = 11.0
#: A 1,000-claim DOCX against pandoc's DOCX of the same content.
DOCX_VS_PANDOC = 1.5
PEAK_MIB_1000 = 150.0
PEAK_MIB_LARGEST = 400.0
#: Exporting N changed sheets with --jobs 2 against N cold builds of one sheet each.
EXPORT_VS_COLD = 0.35

#: The commands whose time must grow linearly with the number of claims: check, and both
#: templates in every format.
LINEAR_COMMANDS = (
    "check",
    "brief-docx",
    "brief-pdf",
    "brief-html",
    "dossier-docx",
    "dossier-pdf",
    "dossier-html",
)


@dataclass
class Target:
    key: str  # the name in the baseline
    name: str
    limit: float
    unit: str  # "×" for a ratio, "MiB" for memory
    value: float | None
    shown: str = ""

    @property
    def result(self) -> str:
        if self.value is None:
            return "n/a"
        return "PASS" if self.value <= self.limit else "FAIL"


def _ratio(cases: dict[str, Case], a: str, b: str, scale: float = 1.0) -> tuple[float | None, str]:
    ca, cb = cases.get(a), cases.get(b)
    r = paired_ratio(ca, cb)
    if r is None:
        why = next((f"{c.key}: {c.error}" for c in (ca, cb) if c is not None and c.error), "not measured")
        return None, why
    r /= scale
    stopped = " (the peer was stopped: a bound)" if cb and cb.timed_out else ""
    shown = f"{ca.median:.3f} s vs {cb.median * scale:.3f} s" + (
        f" ({scale:g} × {cb.median:.3f} s)" if scale != 1 else ""
    )
    return r, shown + stopped


def _peak(cases: dict[str, Case], suffix: str) -> tuple[float | None, str]:
    peaks = [
        (c.peak_mib, c.label)
        for k, c in cases.items()
        if k.endswith(suffix) and k.startswith(("check", "brief", "dossier")) and c.peak_mib
    ]
    if not peaks:
        return None, "not measured"
    top = max(peaks)
    return top[0], f"{top[0]:.0f} MiB ({top[1]})"


def evaluate(cases: dict[str, Case], small: int, big: int, top: int, export_sheets: int) -> list[Target]:
    """Return every target with the ratio this run measured (None where a case is missing)."""
    out: list[Target] = []

    def add(key, name, limit, unit, got):
        out.append(Target(key, name, limit, unit, got[0], got[1]))

    add(
        "nk-pdf-vs-floor",
        "North Korea brief, PDF only, cold ÷ import floor",
        NK_PDF_VS_FLOOR,
        "×",
        _ratio(cases, "build-pdf:nk", "floor:nk"),
    )
    add(
        "nk-default-vs-weasyprint",
        "North Korea brief, default formats, cold ÷ WeasyPrint 25-note brief",
        NK_DEFAULT_VS_WEASYPRINT,
        "×",
        _ratio(cases, "build-default:nk", "weasyprint:25notes"),
    )
    add(
        "watch-vs-typst",
        "watch: saved edit → DOCX+PDF on disk ÷ Typst cold, North Korea brief",
        WATCH_VS_TYPST,
        "×",
        _ratio(cases, "watch:nk", "typst:watch"),
    )
    for command in LINEAR_COMMANDS:
        add(
            f"linear-{command}",
            f"linear: {command}, {top:,} ÷ {small:,} claims",
            LINEAR,
            "×",
            _ratio(cases, f"{command}:{top}", f"{command}:{small}"),
        )
    add(
        "docx-vs-pandoc",
        f"{big:,} claims, full-record DOCX ÷ pandoc's DOCX of the same content",
        DOCX_VS_PANDOC,
        "×",
        _ratio(cases, f"dossier-docx:{big}", f"pandoc:{big}"),
    )
    add(
        "peak-mib-big",
        f"{big:,} claims: peak memory of a factsheet process",
        PEAK_MIB_1000,
        "MiB",
        _peak(cases, f":{big}"),
    )
    add(
        "peak-mib-largest",
        "largest sheet the limits allow: peak memory of a factsheet process",
        PEAK_MIB_LARGEST,
        "MiB",
        _peak(cases, ":largest"),
    )
    add(
        "export-vs-cold",
        f"export of {export_sheets} changed sheets, --jobs 2 ÷ {export_sheets} cold builds",
        EXPORT_VS_COLD,
        "×",
        _ratio(cases, "export-changed", "build-cold:export", scale=export_sheets),
    )
    return out


def print_targets(targets: list[Target]) -> None:
    print()
    print("Targets (ratios of runs made alternately in this run; below the limit passes)")
    width = max(len(t.name) for t in targets)
    for t in targets:
        value = "n/a" if t.value is None else (f"×{t.value:.3f}" if t.unit == "×" else f"{t.value:.0f} MiB")
        limit = f"≤ {t.limit:g}{' MiB' if t.unit == 'MiB' else ' ×'}"
        print(f"{t.result:<5} {t.name:<{width}}  {limit:<10} {value:>10}   {t.shown}")
