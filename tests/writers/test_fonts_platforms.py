"""Fonts found where macOS and Windows keep them; the POSIX-only parts are documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.rendering import fonts

import required

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_debian_fonts(monkeypatch, tmp_path, font_dirs):
    """Return the real fonts' folder, a home folder and an environment without Debian's fonts or FACTSHEET_FONT_DIR."""
    real = fonts.font_dir()
    required.present(
        all((real / f.filename).is_file() for f in fonts.FACES), "the DejaVu fonts are not installed here"
    )
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(fonts, "DEFAULT_FONT_DIR", tmp_path / "no-such-folder")
    environ = {
        "HOME": str(home),
        "LOCALAPPDATA": str(tmp_path / "AppData" / "Local"),
        "WINDIR": str(tmp_path / "Windows"),
    }
    return real, home, tmp_path, lambda: font_dirs(fonts.search_dirs(environ))


def _install(real: Path, folder: Path) -> None:
    folder.mkdir(parents=True)
    for f in fonts.FACES:
        (folder / f.filename).symlink_to(real / f.filename)


@pytest.mark.parametrize("where", ["macos-user", "windows-user"])
def test_fonts_installed_for_the_user_are_found(no_debian_fonts, where):
    real, home, tmp, search = no_debian_fonts
    folder = (
        home / "Library" / "Fonts"
        if where == "macos-user"
        else tmp / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"
    )
    _install(real, folder)
    search()
    assert fonts.font_dir() == folder
    assert fonts.face_path(fonts.FACES[0]) == folder / "DejaVuSerif.ttf"


def test_missing_fonts_name_the_install_step(no_debian_fonts):
    no_debian_fonts[3]()
    with pytest.raises(fonts.RenderError, match="set FACTSHEET_FONT_DIR to a folder holding DejaVuSerif.ttf"):
        fonts.face_path(fonts.FACES[0])


def test_factsheet_font_dir_alone_is_searched(tmp_path):
    assert fonts.search_dirs({"FACTSHEET_FONT_DIR": str(tmp_path), "HOME": "/nowhere"}) == (tmp_path,)


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
