"""The cache folder under attack: shared folders above it, a swap between check and read, links, poison."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from factsheet import cache


def _entry_bytes(payload: bytes) -> bytes:
    return cache._MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _poison_entry(folder: Path, kind: str, parts: tuple, payload: bytes) -> Path:
    entry = folder / kind / cache._key(parts)
    entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    entry.write_bytes(_entry_bytes(payload))
    return entry


def test_a_folder_above_the_cache_that_others_may_write_disables_it(tmp_path, cache_at, capsys):
    shared = tmp_path / "editors"
    shared.mkdir()
    shared.chmod(0o777)  # a shared, group- and world-writable folder: anyone may rename what is in it
    folder = shared / "cache"
    cache.use(folder)
    assert cache.memo("k", ("a",), lambda: b"made") == b"made"
    assert not folder.exists()  # not even made
    assert capsys.readouterr().err == (
        f"factsheet: warning: not using the cache folder {folder}: other users may rename what is in "
        f"the folder {shared} above it (choose a FACTSHEET_CACHE_DIR in a private folder); "
        "building without the cache\n"
    )


def test_a_sticky_folder_of_root_above_the_cache_is_fine(tmp_path, cache_at):
    # /tmp is world-writable but sticky and root's: nobody may rename another user's entries there
    assert stat.S_IMODE(os.stat("/tmp").st_mode) & stat.S_ISVTX
    assert cache.unsafe(cache_at) is None


def test_the_folder_swapped_between_check_and_read_is_never_read(cache_at, monkeypatch):
    """Someone who may rename folders above the cache swaps it right after it was checked."""
    assert cache.memo("k", ("a",), lambda: b"genuine") == b"genuine"
    attacker = cache_at.parent / "attacker"
    attacker.mkdir(mode=0o700)
    _poison_entry(attacker, "k", ("a",), b"poison")
    if os.geteuid() == 0:  # as the attacker would have it: their own folder
        for path in (attacker, *attacker.rglob("*")):
            os.chown(path, 65534, 65534)
    checked = cache._check_own
    swapped = []

    def check_then_swap(st):
        checked(st)
        if not swapped:  # the race: the checked folder moves away, the attacker's takes its name
            os.rename(cache_at, cache_at.parent / "moved")
            os.rename(attacker, cache_at)
            swapped.append(True)

    monkeypatch.setattr(cache, "_check_own", check_then_swap)
    made = []
    value = cache.memo("k", ("a",), lambda: made.append(1) or b"genuine")
    assert swapped
    assert value == b"genuine"  # read from the folder that was checked, not the one put in its place
    assert not made


def test_a_link_put_in_place_of_a_cache_folder_is_not_followed(cache_at, capsys):
    cache.memo("k", ("a",), lambda: b"genuine")
    attacker = cache_at.parent / "attacker"
    _poison_entry(attacker, "k", ("a",), b"poison")
    (cache_at / "k").rename(cache_at.parent / "old-k")
    (cache_at / "k").symlink_to(attacker / "k")
    assert cache.memo("k", ("a",), lambda: b"genuine") == b"genuine"
    assert f"{cache_at}/k is not a folder (a link or a file)" in capsys.readouterr().err


def test_an_entry_that_is_a_link_is_discarded_not_followed(cache_at):
    cache.memo("k", ("a",), lambda: b"genuine")
    elsewhere = cache_at.parent / "elsewhere.bin"
    elsewhere.write_bytes(_entry_bytes(b"poison"))
    entry = cache_at / "k" / cache._key(("a",))
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert cache.memo("k", ("a",), lambda: b"genuine") == b"genuine"
    assert elsewhere.read_bytes() == _entry_bytes(b"poison")  # not written through the link either
    assert not entry.is_symlink()


def test_a_damaged_chart_picture_is_made_again(cache_at):
    from factsheet.writers.docx import chart_picture

    good = chart_picture._png(_tiny_png(4, 3))
    assert good.startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        chart_picture._png(_tiny_png(5, 3)[:-12])  # cut short
    with pytest.raises(ValueError):
        chart_picture._png(b"{}")


def _tiny_png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, format="PNG")
    return out.getvalue()


def test_no_font_data_comes_from_the_cache(cache_at):
    """A character map that draws '7' for '1' cannot be planted: fonts are read from the font files."""
    from factsheet.rendering import fonts

    fonts._coverage.cache_clear()
    fonts._advances.cache_clear()
    path = str(fonts.face_path(fonts.face(fonts.SANS)))
    for kind in ("font-coverage", "font-advances", "pdf-face-json", "docx-subset", "docx-face-info"):
        _poison_entry(cache_at, kind, (cache.file_identity(path),), b'[{"49": 999}, 2048]')
    widths, units = fonts._advances(fonts.face(fonts.SANS).filename)
    assert widths[ord("1")] == widths[ord("7")] != 999
    assert ord("1") in fonts._coverage(fonts.face(fonts.SANS).filename)
    assert sorted(p.name for p in cache_at.iterdir()) == sorted(
        ("font-coverage", "font-advances", "pdf-face-json", "docx-subset", "docx-face-info")
    )
