"""Stand-in writers for export tests: deterministic bytes shaped like the real formats' ends."""

from __future__ import annotations

import hashlib
import os
import time


def _body(document) -> bytes:
    # Pause in the worker, for tests that need a build to be under way.
    pause = float(os.environ.get("FAKEWRITER_PAUSE") or 0)
    if pause:
        time.sleep(pause)
    text = repr(document).encode("utf-8")
    return text + b"\n% digest " + hashlib.sha256(text).hexdigest().encode() + b"\n"


def write_pdf(document, options=None) -> bytes:
    if "FAIL-PDF" in document.title:
        raise RuntimeError("the fake PDF writer refuses this title")
    return b"%PDF-1.7\n" + _body(document) + b"%%EOF\n"


def write_docx(document, options=None) -> bytes:
    return b"PK\x03\x04fake-docx\n" + _body(document)
