"""Fonts found where macOS and Windows keep them; the POSIX-only parts are documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.rendering import fonts
import required

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_debian_fonts(monkeypatch, tmp_path):
    """Return a home folder, with Debian's font folder and FACTSHEET_FONT_DIR out of the way."""
    real = fonts.font_dir()
    required.present(
        all((real / f.filename).is_file() for f in fonts.FACES), "the DejaVu fonts are not installed here"
    )
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(fonts, "DEFAULT_FONT_DIR", tmp_path / "no-such-folder")
    monkeypatch.delenv("FACTSHEET_FONT_DIR", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    fonts._found_font_dir.cache_clear()
    yield real, home, tmp_path
    fonts._found_font_dir.cache_clear()


def _install(real: Path, folder: Path) -> None:
    folder.mkdir(parents=True)
    for f in fonts.FACES:
        (folder / f.filename).symlink_to(real / f.filename)


@pytest.mark.parametrize("where", ["macos-user", "windows-user"])
def test_fonts_installed_for_the_user_are_found(no_debian_fonts, where):
    real, home, tmp = no_debian_fonts
    folder = (
        home / "Library" / "Fonts"
        if where == "macos-user"
        else tmp / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"
    )
    _install(real, folder)
    assert fonts.font_dir() == folder
    assert fonts.face_path(fonts.FACES[0]) == folder / "DejaVuSerif.ttf"


def test_missing_fonts_name_the_install_step(no_debian_fonts):
    with pytest.raises(fonts.RenderError, match="set FACTSHEET_FONT_DIR to a folder holding DejaVuSerif.ttf"):
        fonts.face_path(fonts.FACES[0])


def test_the_readme_says_what_is_posix_only():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    platforms = text.split("## Platforms", 1)[1].split("\n## ", 1)[0]
    for word in (
        "fcntl",
        "fork",
        "fsync",
        "/usr/share/fonts/truetype/dejavu",
        "FACTSHEET_FONT_DIR",
        "macOS",
        "Windows",
    ):
        assert word in platforms, word
