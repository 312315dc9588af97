"""Measure ``seeds add`` on a folder of saved article pages: body sentences found, metadata stated, time per page.

    python3 benchmarks/capture_pages.py FOLDER [--gold GOLD.yaml] [--cold]

FOLDER holds saved pages (``*.html``, ``*.warc``, ``*.warc.gz``). GOLD.yaml, by
default ``FOLDER/gold.yaml``, maps a page's file name to the sentences a person
marked as the article's body, read off the page itself (never off the
extractor's output)::

    example.com.story.html:
      sentences:
        - "The first sentence of the story, as the page prints it."

A page's entry may instead (or also) mark a run of paragraphs as the body:
``paragraphs: {from: "first words", to: "first words", except: ["first words", …]}``
takes every ``<p>`` of the page from the one starting with ``from`` to the one
starting with ``to``, leaves out those starting with an ``except`` entry (an
embedded post, a "Read more" link), and splits them into sentences.

For each page it prints whether the extracted body holds each marked sentence
(byte for byte after whitespace is collapsed), whether the headline, outlet and
publication date were found, and the time taken to read the capture and extract
its article in a warm process; ``--cold`` also times a whole ``factsheet seeds
add`` command (a new process) into a temporary project. The pages are measured
where they lie: nothing is copied into the project.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from factsheet.sources.capture import CaptureProblem
from factsheet.sources.intake import read_capture
from factsheet.errors import InputError


def _collapse(text: str) -> str:
    return " ".join(text.split())


_SENTENCE_END = re.compile(r"[.!?…][”\"’»)]?(\s+)(?=[A-ZÄÖÜ„“\"«(])")


def _sentences(text: str) -> list[str]:
    """Return the sentences of a paragraph: split after a full stop (or ! ? …) before a capital."""
    out, at = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append(text[at : m.start(1)])
        at = m.end(1)
    return out + [text[at:]]


def _marked(page: Path, entry: dict) -> list[str]:
    """Return the sentences marked for a page: listed ones, then those of its marked run of paragraphs."""
    marked = [_collapse(s) for s in entry.get("sentences") or ()]
    run = entry.get("paragraphs")
    if run:
        from lxml import html

        tree = html.fromstring(page.read_bytes())
        texts = [_collapse(p.text_content()) for p in tree.iter("p")]
        start = next(i for i, t in enumerate(texts) if t.startswith(run["from"]))
        end = next(i for i, t in enumerate(texts) if i >= start and t.startswith(run["to"]))
        skip = tuple(run.get("except") or ())
        for text in texts[start : end + 1]:
            if text and not (skip and text.startswith(skip)):
                marked += [s for s in _sentences(text) if s not in marked]
    return marked


def _pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith((".html", ".htm", ".warc", ".warc.gz")))


def _cold_seconds(page: Path) -> float:
    """Return the wall time of ``factsheet seeds add PAGE`` in a new process and an empty project."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "seeds").mkdir()
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "factsheet", "--root", tmp, "seeds", "add", str(page)],
            capture_output=True,
            check=False,
        )
        return time.perf_counter() - start


def measure(folder: Path, gold: dict, cold: bool) -> int:
    """Print one line per page and the totals; return 0."""
    found_total = marked_total = complete = pages = 0
    slowest = 0.0
    for page in _pages(folder):
        pages += 1
        start = time.perf_counter()
        try:
            intake = read_capture(page, page.name)
        except (InputError, CaptureProblem) as exc:
            print(f"{page.name}: refused: {exc}")
            marked_total += len((gold.get(page.name) or {}).get("sentences") or ())
            continue
        seconds = time.perf_counter() - start
        slowest = max(slowest, seconds)
        body = _collapse(intake.text)
        stated = intake.extraction.stated if intake.extraction else {}
        fields = {k: k in stated for k in ("headline", "outlet", "published")}
        complete += all(fields.values())
        marked = _marked(page, gold.get(page.name) or {})
        found = [s for s in marked if s in body]
        found_total += len(found)
        marked_total += len(marked)
        missing = (
            "; missing: " + " | ".join(s[:60] for s in marked if s not in body)
            if len(found) < len(marked)
            else ""
        )
        cold_time = f", cold command {_cold_seconds(page):.2f} s" if cold else ""
        flags = " ".join(f"{k}={'yes' if v else 'NO'}" for k, v in fields.items())
        print(
            f"{page.name}: {len(found)}/{len(marked)} marked sentences; {flags}; "
            f"{seconds * 1000:.0f} ms{cold_time}{missing}"
        )
    share = found_total / marked_total if marked_total else 0.0
    print(
        f"\n{pages} pages: {found_total}/{marked_total} marked body sentences found ({share:.1%}); "
        f"headline, outlet and date found on {complete}/{pages}; slowest extraction {slowest * 1000:.0f} ms"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--gold", type=Path, help="the marked sentences (default: FOLDER/gold.yaml)")
    parser.add_argument("--cold", action="store_true", help="also time a whole 'factsheet seeds add' command")
    args = parser.parse_args()
    gold_path = args.gold or args.folder / "gold.yaml"
    gold = yaml.safe_load(gold_path.read_text("utf-8")) if gold_path.is_file() else {}
    if args.cold and shutil.which(sys.executable) is None:
        args.cold = False
    return measure(args.folder, gold or {}, args.cold)


if __name__ == "__main__":
    sys.exit(main())
