#!/usr/bin/env python3
"""Speed and scale of factsheet, measured side by side with Typst, pandoc and WeasyPrint in one run.

Run from the repository (see benchmarks/README.md):

    python3 benchmarks/run.py                 # every target, PASS or FAIL with its ratio
    python3 benchmarks/run.py --quick         # fewer runs, same cases
    python3 benchmarks/run.py --compare       # ... and each ratio against benchmarks/baseline.json
    python3 benchmarks/run.py --save          # ... and write the ratios as the new baseline

Everything happens in a temporary copy of the project (see factbench.synthetic).
Each case is a whole process started cold; cases compared with each other are
run in alternating rounds, and every target is a ratio of runs made in the same
rounds, so the load of a shared machine hits both sides alike.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

try:
    import factsheet  # noqa: F401
except ImportError:  # the system's python3 without the project: use the project's .venv if there is one
    VENV = HERE.parent / ".venv" / "bin" / "python"
    if VENV.is_file() and Path(sys.executable).resolve() != VENV.resolve():
        os.execv(str(VENV), [str(VENV), __file__, *sys.argv[1:]])
    raise

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from factbench import baseline, peers, stages, synthetic, targets  # noqa: E402
from factbench.exporting import change_every_sheet, export_argv, export_check, make_export_project  # noqa: E402
from factbench.machine import machine  # noqa: E402
from factbench.placement import check_placement, docx_notes  # noqa: E402
from factbench.synthetic import NK_SHEET, make_project  # noqa: E402,F401  (make_project: used by tests)
from factbench.timing import Case, fmt_time, loadavg, measure_group, run_case  # noqa: E402
from factbench.watching import measure_watch  # noqa: E402

#: Notes in the brief WeasyPrint lays out for the default-formats target.
WEASYPRINT_NOTES = 25


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--sizes",
        default="250,1000,2500",
        help="claims per synthetic sheet: the smallest and largest are compared for linear growth, "
        "1,000 (or the middle one) for pandoc and memory (default: 250,1000,2500)",
    )
    ap.add_argument("--runs", type=int, default=5, help="timed rounds per group of cases (default: 5)")
    ap.add_argument("--quick", action="store_true", help="3 timed rounds (2 for slow cases, as always)")
    ap.add_argument(
        "--brief-runs",
        type=int,
        default=15,
        help="timed rounds of the North Korea group and of its watch rebuilds: a cold build takes a quarter "
        "of a second, which a 2-core machine's noise moves by a tenth (default: 15; --quick: --runs)",
    )
    ap.add_argument(
        "--slow", type=float, default=4.0, help="a case over this many seconds gets 2 runs (default: 4)"
    )
    ap.add_argument(
        "--single",
        type=float,
        default=20.0,
        help="a case over this many seconds is measured once (default: 20)",
    )
    ap.add_argument("--peer-timeout", type=float, default=150.0, help="stop a peer after this many seconds")
    ap.add_argument("--claims-per-metric", type=int, default=5, help="claims sharing each figure metric")
    ap.add_argument("--export-sheets", type=int, default=50, help="sheets in the export case (default: 50)")
    ap.add_argument(
        "--export-format", default="pdf,docx", help="--format of the export case (default: pdf,docx)"
    )
    ap.add_argument("--no-peers", action="store_true", help="skip Typst, pandoc and WeasyPrint")
    ap.add_argument(
        "--no-scale", action="store_true", help="skip the synthetic sheets (linear growth, memory)"
    )
    ap.add_argument("--no-export", action="store_true", help="skip the export case")
    ap.add_argument("--no-watch", action="store_true", help="skip the factsheet watch case")
    ap.add_argument("--profile-runs", type=int, default=5, help="cold builds in each stage profile (0: none)")
    ap.add_argument("--save", action="store_true", help=f"write the ratios to {baseline.BASELINE.name}")
    ap.add_argument(
        "--compare", action="store_true", help=f"print each ratio against {baseline.BASELINE.name}"
    )
    ap.add_argument("--json", metavar="FILE", help="write every measurement to FILE as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the temporary project and print where it is")
    args = ap.parse_args(argv)
    try:
        args.sizes = sorted({int(v) for v in args.sizes.split(",") if v.strip()})
    except ValueError:
        ap.error(f"--sizes: expected numbers separated by commas, found {args.sizes!r}")
    if len(args.sizes) < 2 or min(args.sizes) < 1:
        ap.error("--sizes: expected at least two sizes of 1 claim or more")
    if args.quick:
        args.runs = min(args.runs, 3)
        args.brief_runs = args.runs
    return args


class Bench:
    """One run: the temporary project, the cases measured, and how to print them."""

    def __init__(self, args, work: Path):
        self.args = args
        self.work = work
        self.root = work / "project"
        self.fs = [sys.executable, "-m", "factsheet"]
        self.env = {
            k: v for k, v in os.environ.items() if k not in ("FACTSHEET_ROOT", "PYTHONDONTWRITEBYTECODE")
        }
        # factsheet keeps parsed fonts and compiled templates in a disk cache: an empty one of its own,
        # which each case's warm-up run fills (as an editor's first build does)
        self.env["FACTSHEET_CACHE_DIR"] = str(work / "cache")
        self.cases: dict[str, Case] = {}
        self.loads: list[float] = []
        self.notes: dict[str, int] = {}

    # -- commands -------------------------------------------------------------

    def factsheet(self, *tail: str) -> list[str]:
        return [*self.fs, "--root", str(self.root), *tail]

    def build(self, key: str, label: str, sheet: Path, *options: str) -> Case:
        out = self.work / "out" / key.replace(":", "-")
        return Case(key, label, self.factsheet("build", str(sheet), "--out", str(out), *options), self.root)

    def peer(self, key: str, label: str, argv: list[str]) -> Case:
        return Case(key, label, argv, self.work, timeout=self.args.peer_timeout)

    def typst(self, key: str, doc_key: str) -> Case:
        src, out = self.work / "peers" / f"{doc_key}.typ", self.work / "peers" / f"{doc_key}.typst.pdf"
        return self.peer(
            key, f"Typst → PDF, {doc_key}", [sys.executable, "-c", peers.TYPST_COMPILE, str(src), str(out)]
        )

    def weasyprint(self, key: str, doc_key: str) -> Case:
        src, out = self.work / "peers" / f"{doc_key}.html", self.work / "peers" / f"{doc_key}.weasy.pdf"
        return self.peer(
            key, f"WeasyPrint HTML → PDF, {doc_key}", [sys.executable, "-m", "weasyprint", str(src), str(out)]
        )

    def pandoc(self, key: str, doc_key: str, binary: str) -> Case:
        src, out = self.work / "peers" / f"{doc_key}.md", self.work / "peers" / f"{doc_key}.pandoc.docx"
        return self.peer(
            key,
            f"pandoc Markdown → DOCX, {doc_key}",
            [binary, "-f", "markdown", "-t", "docx", "-o", str(out), str(src)],
        )

    # -- measuring ------------------------------------------------------------

    def group(self, title: str, cases: list[Case | None], runs: int | None = None) -> None:
        """Measure ``cases`` in alternating rounds (``--runs`` unless given) and print one line each."""
        cases = [c for c in cases if c is not None]
        t0 = time.perf_counter()
        print(f"  {title}", flush=True)
        measure_group(cases, runs or self.args.runs, self.env, self.args.slow, self.args.single)
        for case in cases:
            self.cases[case.key] = case
            case.load = loadavg()
            peak = f"peak {case.peak_mib:.0f} MiB" if case.peak_mib else "peak n/a"
            print(f"    {case.label:<58} {case.error or fmt_time(case) + ' s, ' + peak}", flush=True)
        self.loads.append(float(loadavg().split()[0]))
        print(f"    [{time.perf_counter() - t0:.0f} s; load {loadavg()}]", flush=True)

    def peer_inputs(self, key: str, doc) -> None:
        folder = self.work / "peers"
        folder.mkdir(exist_ok=True)
        self.notes[key] = len(doc.footnotes)
        (folder / f"{key}.md").write_text(peers.to_markdown(doc), encoding="utf-8")
        (folder / f"{key}.html").write_text(peers.to_html(doc), encoding="utf-8")
        (folder / f"{key}.typ").write_text(peers.to_typst(doc), encoding="utf-8")


def notes_sized_sheet(bench: Bench, want: int) -> tuple[Path, object]:
    """Return a synthetic sheet whose full record has ``want`` notes (or just over), and that document."""
    for size in range(max(1, want - 8), want + 8):
        (sheet,) = make_project(bench.work / f"notes-{size}", [size]).values()
        doc = peers.load_document(sheet.parents[1], sheet, "dossier")
        if len(doc.footnotes) >= want:
            return sheet, doc
    raise SystemExit(f"no synthetic sheet has {want} notes")


def run_nk(bench: Bench, pandoc: str | None, weasy: bool, typst: bool) -> None:
    nk = bench.root / "factsheets" / NK_SHEET
    doc = peers.load_document(bench.root, nk)
    bench.peer_inputs("nk", doc)
    weasy_case = None
    if weasy:
        _, wdoc = notes_sized_sheet(bench, WEASYPRINT_NOTES)
        bench.peer_inputs("25notes", wdoc)
        weasy_case = bench.weasyprint("weasyprint:25notes", "25notes")
        weasy_case.label = f"WeasyPrint HTML → PDF, a {len(wdoc.footnotes)}-note brief"
    floor = stages.floor_case("floor:nk", bench.root)
    bench.group(
        f"North Korea brief ({bench.notes['nk']} notes), the import floor and the peers",
        [
            floor,
            bench.build(
                "build-pdf:nk", "factsheet build --format pdf, North Korea brief", nk, "--format", "pdf"
            ),
            bench.build("build-default:nk", "factsheet build (default formats), North Korea brief", nk),
            Case(
                "check:nk",
                "factsheet check, North Korea brief",
                bench.factsheet("check", str(nk)),
                bench.root,
            ),
            bench.typst("typst:nk", "nk") if typst else None,
            weasy_case,
        ],
        runs=bench.args.brief_runs,
    )
    if not bench.args.no_watch:
        peer = bench.typst("typst:watch", "nk") if typst else None
        if peer is not None:
            run_case(peer, bench.env)  # warm-up
            peer.runs.clear()
        watch = measure_watch(
            bench.fs,
            bench.root,
            nk,
            bench.work / "out" / "watch",
            max(bench.args.brief_runs, bench.args.runs + 2),
            bench.env,
            between=(lambda: run_case(peer, bench.env)) if peer is not None else None,
        )
        for case in (watch, peer):
            if case is not None:
                bench.cases[case.key] = case
                print(f"    {case.label:<58} {case.error or fmt_time(case) + ' s'}", flush=True)


def run_scale(bench: Bench, sheets: dict[int, Path], largest: Path, pandoc: str | None) -> None:
    small, big, top = bench.args.sizes[0], bench.big, bench.args.sizes[-1]
    for command in targets.LINEAR_COMMANDS:
        cases: list[Case | None] = []
        for size in (small, big, top):
            sheet = sheets[size]
            if command == "check":
                cases.append(
                    Case(
                        f"check:{size}",
                        f"factsheet check, {size:,} claims",
                        bench.factsheet("check", str(sheet)),
                        bench.root,
                    )
                )
            else:
                template, fmt = command.split("-")
                cases.append(
                    bench.build(
                        f"{command}:{size}",
                        f"factsheet build --template {template} --format {fmt}, {size:,} claims",
                        sheet,
                        "--template",
                        template,
                        "--format",
                        fmt,
                    )
                )
        if command == "dossier-docx" and pandoc:
            doc = peers.load_document(bench.root, sheets[big], "dossier")
            bench.peer_inputs(str(big), doc)
            cases.append(bench.pandoc(f"pandoc:{big}", str(big), pandoc))
            cases[-1].label = f"pandoc Markdown → DOCX, the same {len(doc.footnotes):,} notes"
        bench.group(f"{command}: {small:,}, {big:,} and {top:,} claims", cases)
    bench.group(
        f"the largest sheet the limits allow ({bench.largest:,} claims)",
        [
            Case(
                "check:largest",
                f"factsheet check, {bench.largest:,} claims",
                bench.factsheet("check", str(largest)),
                bench.root,
            ),
            bench.build(
                "dossier-all:largest",
                f"factsheet build --template dossier, every format, {bench.largest:,} claims",
                largest,
                "--template",
                "dossier",
                "--format",
                "docx,pdf,html",
            ),
        ],
    )
    pdf = bench.work / "out" / f"dossier-pdf-{big}" / f"{sheets[big].stem}.pdf"
    if pdf.is_file():
        doc = peers.load_document(bench.root, sheets[big], "dossier")
        print(f"    notes on their reference's page, {big:,}-claim full record: {check_placement(pdf, doc)}")
        docx = bench.work / "out" / f"dossier-docx-{big}" / f"{sheets[big].stem}.docx"
        print(f"    footnotes in its DOCX: {docx_notes(docx)} (the document has {len(doc.footnotes)})")


def run_export(bench: Bench) -> None:
    n, fmt = bench.args.export_sheets, bench.args.export_format
    eroot = bench.work / "export-project"
    paths = make_export_project(eroot, n, bench.root / "factsheets" / NK_SHEET)
    argv = export_argv(bench.fs, eroot, bench.work / "export-out", fmt, jobs=2)
    if argv is None:
        print("  export: skipped (this version has no `factsheet export`)")
        return
    outputs = n * len([f for f in fmt.split(",") if f.strip()])
    export = Case(
        "export-changed",
        f"factsheet export --jobs 2, {n} sheets, all changed",
        argv,
        eroot,
        change_every_sheet(paths),
        needs_warm_up=True,
        validate=export_check(outputs, 0),
    )
    cold = Case(
        "build-cold:export",
        "factsheet build of one of those sheets, cold",
        [
            *bench.fs,
            "--root",
            str(eroot),
            "build",
            str(paths[0]),
            "--format",
            fmt,
            "--out",
            str(bench.work / "cold"),
        ],
        eroot,
    )
    bench.group(f"export: {n} copies of the North Korea brief, --format {fmt}", [export, cold])


def run_profiles(bench: Bench) -> list[tuple[str, dict]]:
    if bench.args.profile_runs <= 0:
        return []
    nk = bench.root / "factsheets" / NK_SHEET
    out = []
    for formats, title in (
        ("pdf", "North Korea brief, PDF"),
        ("docx,pdf", "North Korea brief, default formats"),
    ):
        print(f"  stage profile: {title}", flush=True)
        prof = stages.profile(
            bench.root, nk, formats, "brief", bench.work / "profile", bench.env, bench.args.profile_runs
        )
        out.append((title, prof))
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    info = machine()
    info["load_before"] = loadavg()
    print(f"factsheet benchmarks, {info['date']}, commit {info['commit']}")
    print(
        f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory_gib']} GiB, Linux {info['kernel']}; "
        f"Python {info['python']}"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    print(f"load average (1, 5, 15 min) at start: {info['load_before']}")
    print(
        f"each group: 1 warm-up run per case, then {args.runs} alternating rounds "
        f"({args.brief_runs} for the North Korea brief's)\n"
    )

    work = Path(tempfile.mkdtemp(prefix="factsheet-bench-"))
    bench = Bench(args, work)
    pandoc = None if args.no_peers else peers.pandoc_path()
    weasy = not args.no_peers and peers.have_weasyprint()
    typst = not args.no_peers and peers.have_typst()
    for name, present in (("pandoc", pandoc), ("WeasyPrint", weasy), ("Typst", typst)):
        if not args.no_peers and not present:
            print(f"{name}: not installed (pip install -e '.[bench]'); its targets are n/a")
    profiles: list[tuple[str, dict]] = []
    try:
        bench.largest = synthetic.largest_size(args.claims_per_metric)
        sizes = args.sizes
        bench.big = 1000 if 1000 in sizes else sizes[len(sizes) // 2]
        wanted = [] if args.no_scale else sorted(set(sizes) | {bench.largest})
        sheets = make_project(bench.root, wanted, args.claims_per_metric)
        print("measuring: median (min–max) of the timed runs in seconds, and peak memory")
        run_nk(bench, pandoc, weasy, typst)
        if not args.no_scale:
            run_scale(bench, sheets, sheets[bench.largest], pandoc)
        if not args.no_export:
            run_export(bench)
        profiles = run_profiles(bench)
    finally:
        info["load_after"] = loadavg()
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    for title, prof in profiles:
        stages.print_profile(title, prof)
    found = targets.evaluate(bench.cases, args.sizes[0], bench.big, args.sizes[-1], args.export_sheets)
    targets.print_targets(found)
    now = {t.key: t.value for t in found if t.value is not None}
    if args.compare:
        baseline.print_comparison(baseline.compare(baseline.load(), now), {t.key: t.name for t in found})
    if args.save:
        baseline.save(found, info)
        print(f"\nsaved the ratios to {baseline.BASELINE}")
    spread = (
        f"; 1-minute load after each group: {min(bench.loads):.2f}–{max(bench.loads):.2f}"
        if bench.loads
        else ""
    )
    print(
        f"\nload average (1, 5, 15 min): {info['load_before']} at start, {info['load_after']} at the end{spread}; "
        f"the whole run took {time.perf_counter() - started:.0f} s"
    )
    if args.json:
        write_json(Path(args.json), args, info, bench, found, profiles)
    failed = any(t.result == "FAIL" for t in found) or any(c.error for c in bench.cases.values())
    return 1 if failed else 0


def write_json(path: Path, args, info: dict, bench: Bench, found, profiles) -> None:
    cases = {
        k: {
            "label": c.label,
            "error": c.error,
            "single": c.single,
            "timed_out": c.timed_out,
            "seconds": c.times,
            "maxrss_kib": [r.maxrss_kib for r in c.runs],
        }
        for k, c in bench.cases.items()
    }
    data = {
        "machine": info,
        "options": vars(args),
        "cases": cases,
        "notes": bench.notes,
        "targets": [
            {"key": t.key, "name": t.name, "limit": t.limit, "value": t.value, "result": t.result}
            for t in found
        ],
        "profiles": {title: p["stages"] for title, p in profiles},
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
