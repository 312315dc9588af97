"""A command's start: the collector waits while modules load, then walks long-lived objects less often; an in-process caller's collector is left alone."""

from __future__ import annotations

import gc
import subprocess
import sys

from factsheet import startup

from conftest import REPO


def test_a_command_collects_garbage_once_loaded_leaving_out_what_loading_made():
    probe = (
        "import gc; from factsheet import startup; startup.loading(); assert not gc.isenabled(); "
        "import json, tarfile; startup.loaded(); "
        "print(gc.isenabled(), gc.get_freeze_count() > 0, gc.get_threshold() == startup.THRESHOLDS)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.stdout.split() == ["True", "True", "True"], run.stderr


def test_calling_the_command_line_in_a_process_changes_nothing_of_its_collector():
    assert gc.isenabled()
    frozen, thresholds = gc.get_freeze_count(), gc.get_threshold()
    startup.loaded()
    assert gc.isenabled() and gc.get_freeze_count() == frozen and gc.get_threshold() == thresholds
