"""`watch --serve` under attack: DNS rebinding, busy or invalid ports, silent and vanishing clients."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factsheet.errors import UsageError
from factsheet.pipeline import livepage
from factsheet.pipeline.livepage import LivePage

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def page(tmp_path):
    served = LivePage(0, tmp_path)
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(b"%PDF-1.7 unpublished brief")
    served.built_pdf(Path("brief.yaml"), {"pdf": pdf})
    yield served
    served.close()


def _get(page: LivePage, path: str, host: str | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", page.port, timeout=30)
    conn.putrequest("GET", path, skip_host=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    answer = conn.getresponse()
    status, body = answer.status, answer.read()
    conn.close()
    return status, body


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
def test_the_brief_is_served_to_this_computers_own_names(page, name):
    assert _get(page, "/pdf/brief.pdf", f"{name}:{page.port}") == (200, b"%PDF-1.7 unpublished brief")


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example:{port}",  # a page whose name was rebound to 127.0.0.1
        "attacker.example",
        "localhost",  # the right name, the wrong port: another origin
        "localhost:1",
        "127.0.0.1.attacker.example:{port}",
        "",
        None,
    ],
)
def test_any_other_host_is_refused_without_a_byte_of_the_brief(page, host):
    shown = None if host is None else host.format(port=page.port)
    for path in ("/pdf/brief.pdf", "/", "/version"):
        status, body = _get(page, path, shown)
        assert status == 421
        assert b"PDF" not in body and b"brief" not in body


def test_a_busy_port_is_one_usage_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError) as err:
            LivePage(port, tmp_path)
    assert str(err.value) == f"--serve: port {port} is in use by another program; choose another port"


@pytest.mark.parametrize("port", [-1, 70000])
def test_a_port_out_of_range_is_one_usage_error(tmp_path, port):
    with pytest.raises(UsageError) as err:
        LivePage(port, tmp_path)
    assert str(err.value) == f"--serve: expected a port from 1 to 65535, found {port}"


def test_watch_with_a_busy_port_prints_one_line_and_exits_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "factsheet", "watch", "--format", "html", "--serve", str(port)],
            cwd=REPO / "tests" / "fixtures",
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONPATH": str(REPO / "src"), "FACTSHEET_CACHE_DIR": "off"},
        )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"factsheet: --serve: port {port} is in use by another program; choose another port\n"
    )


def test_silent_and_vanishing_clients_neither_hold_the_server_nor_print(page, monkeypatch, capfd):
    monkeypatch.setattr(livepage, "TIMEOUT", 1)
    silent = []
    for _ in range(livepage.MAX_CONNECTIONS + 4):  # more idle connections than threads
        s = socket.create_connection(("127.0.0.1", page.port))
        s.sendall(b"GET / HTTP/1.1\r\n")  # and never the rest
        silent.append(s)
    for _ in range(5):  # clients that hang up mid-request or before reading the answer
        with socket.create_connection(("127.0.0.1", page.port)) as s:
            s.sendall(f"GET /pdf/brief.pdf HTTP/1.1\r\nHost: localhost:{page.port}\r\n\r\n".encode())
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")  # reset on close
    # the silent ones time out and free their threads: the page still answers
    assert _get(page, "/version", f"localhost:{page.port}")[0] == 200
    for s in silent:
        s.close()
    time.sleep(0.1)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
