"""A loopback web page that shows the PDF briefs being watched and reloads them after each rebuild."""

from __future__ import annotations

import errno
import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from factsheet.errors import UsageError

#: The only address served: the editor's own computer.
HOST = "127.0.0.1"
#: Names a browser on this computer uses for it; any other Host header is a page from elsewhere
#: reaching this server through a name it rebinds to 127.0.0.1 (DNS rebinding).
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
#: Seconds a connection may stay silent, and connections answered at once; more wait their turn.
TIMEOUT = 10
MAX_CONNECTIONS = 16


class _Server(ThreadingHTTPServer):
    """A threading server with a bounded number of threads that prints nothing about clients."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()  # the accepting thread waits: at most MAX_CONNECTIONS run at once
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away, or sent garbage: nothing for the editor to read


def open_server(port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """Return a server listening on loopback ``port``; raise UsageError if it cannot listen there."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--serve: expected a port from 1 to 65535, found {port}")
    try:
        return _Server((HOST, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"--serve: port {port} is in use by another program; choose another port"
            ) from None
        if exc.errno == errno.EACCES:
            raise UsageError(
                f"--serve: port {port} may only be used by the system administrator; choose a port above 1023"
            ) from None
        raise UsageError(f"--serve: cannot listen on port {port}: {exc.strerror or exc}") from None


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>html,body{{margin:0;height:100%;font:14px sans-serif}} nav{{padding:4px 8px;background:#e8ebef}}
iframe{{border:0;width:100%;height:calc(100% - 28px)}}</style></head>
<body><nav>{links}</nav><iframe id="pdf" src="{src}"></iframe>
<script>
let version = {version_js};
setInterval(async () => {{
  try {{
    const now = await (await fetch("/version", {{cache: "no-store"}})).text();
    if (now !== version) {{ version = now; document.getElementById("pdf").src = {pdf_js} + "?v=" + now; }}
  }} catch (e) {{}}
}}, 500);
</script></body></html>
"""


class LivePage:
    """Serves ``/`` (the page), ``/pdf/NAME.pdf`` (built briefs only) and ``/version`` on loopback."""

    def __init__(self, port: int, out: Path):
        self.out = out
        self.version = 0
        self.built: dict[str, Path] = {}  # stem -> PDF written by this watch
        self._lock = threading.Lock()
        page = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                self.request.settimeout(TIMEOUT)  # a silent connection gives its thread back
                super().setup()

            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                try:
                    page.answer(self)
                except OSError:  # the browser went away mid-answer
                    self.close_connection = True

            def log_message(self, *args: object) -> None:  # the terminal shows rebuilds, not requests
                pass

        self.server = open_server(port, Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://{HOST}:{self.server.server_address[1]}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def built_pdf(self, sheet: Path, written: dict[str, Path]) -> None:
        """Record a rebuild: the page reloads its PDF."""
        with self._lock:
            if "pdf" in written:
                self.built[sheet.stem] = written["pdf"]
            self.version += 1

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        """Answer one GET request from this computer's own pages; refuse any other Host."""
        if not self.own_host(request.headers.get("Host", "")):
            return self._send(request, 421, "text/plain; charset=utf-8", b"wrong host\n")
        path = unquote(urlsplit(request.path).path)
        with self._lock:
            built, version = dict(self.built), self.version
        if path == "/version":
            return self._send(request, 200, "text/plain; charset=utf-8", str(version).encode())
        if path.startswith("/pdf/") and path.endswith(".pdf") and path[5:-4] in built:
            try:
                data = built[path[5:-4]].read_bytes()
            except OSError:
                return self._send(request, 404, "text/plain; charset=utf-8", b"not built yet\n")
            return self._send(request, 200, "application/pdf", data)
        if path in ("/", "/index.html") or (path.startswith("/view/") and path[6:] in built):
            stem = path[6:] if path.startswith("/view/") else next(iter(sorted(built)), "")
            links = " · ".join(
                f'<a href="/view/{html.escape(s)}">{html.escape(s)}</a>' for s in sorted(built)
            )
            pdf = f"/pdf/{stem}.pdf"
            body = _PAGE.format(
                title=html.escape(stem or "factsheet watch"),
                links=links or "no PDF built yet",
                src=html.escape(f"{pdf}?v={version}") if stem else "about:blank",
                pdf_js=json.dumps(pdf),
                version_js=json.dumps(str(version)),
            )
            return self._send(request, 200, "text/html; charset=utf-8", body.encode())
        return self._send(request, 404, "text/plain; charset=utf-8", b"not found\n")

    def own_host(self, host: str) -> bool:
        """Return True for a Host header that names this computer and this server's port."""
        return host.strip().lower() in {f"{name}:{self.port}" for name in LOOPBACK_NAMES}

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, kind: str, data: bytes) -> None:
        request.send_response(status)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(data)))
        request.send_header("Cache-Control", "no-store")
        request.end_headers()
        request.wfile.write(data)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
