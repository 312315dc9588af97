"""Git's answers about a project, asked again only when the repository's HEAD or refs have moved."""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: A file's identity and last change, or None when it is missing.
Stamp = tuple[int, int, int, int] | None

#: Answers by (question, folder), with the repository's state they were given in.
_answers: dict[tuple[Hashable, str], tuple[tuple[object, ...], object]] = {}


def kept(question: Hashable, folder: Path, ask: Callable[[], T]) -> T:
    """Return ``ask()``, remembered while the repository holding ``folder`` keeps its HEAD and refs.

    ``question`` names what ``ask`` asks git (its arguments): the history of a
    file and what HEAD names change only when HEAD or a ref moves, which a
    watch rebuild after an edit to a sheet never does. Starting git costs more
    than the rest of such a rebuild's history and provenance together.
    """
    folder = Path(folder).absolute()
    key = (question, str(folder))
    now = state(folder)
    held = _answers.get(key)
    if held is not None and held[0] == now:
        answer: T = held[1]  # type: ignore[assignment]  # stored by this function for this question
        return answer
    answer = ask()
    _answers[key] = (now, answer)
    return answer


def state(folder: Path) -> tuple[object, ...]:
    """Return what differs whenever git could answer differently about ``folder``.

    Where its repository is (each ``.git`` looked for from ``folder`` up to the
    first found, as git finds it), and the files a move of HEAD or of a ref
    rewrites: HEAD, its log, the branch file it names, packed refs and the
    reftable's list.
    """
    found: list[object] = []
    for place in (folder, *folder.parents):
        dotgit = place / ".git"
        stamp = _stamp(dotgit)
        found.append(stamp)
        if stamp is not None:
            found.extend(_refs(_git_dir(dotgit)))
            break
    return tuple(found)


def _git_dir(dotgit: Path) -> Path:
    """Return the repository folder ``.git`` is, or names (``gitdir: …`` in a linked work tree's file)."""
    if dotgit.is_dir():
        return dotgit
    try:
        line = dotgit.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return dotgit
    return dotgit.parent / line.removeprefix("gitdir:").strip()


def _refs(git_dir: Path) -> list[object]:
    """Return the stamps of the files that change when HEAD or a ref moves, and what HEAD says."""
    try:
        common = git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        common = git_dir
    try:
        head = (git_dir / "HEAD").read_bytes()[:4096]
    except OSError:
        head = b""
    files = [
        git_dir / "HEAD",
        git_dir / "logs" / "HEAD",
        common / "packed-refs",
        common / "reftable" / "tables.list",
    ]
    if head.startswith(b"ref: "):
        ref = head[5:].strip().decode("utf-8", "replace")
        files.append(common / ref)
    return [head, *(_stamp(f) for f in files)]


def _stamp(path: Path) -> Stamp:
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def forget() -> None:
    """Drop every remembered answer (tests start each case afresh)."""
    _answers.clear()
