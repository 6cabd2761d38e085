"""`fawen preview`: the plan's documents as pages in a local web page that follows every save.

A Starlette app on uvicorn, bound to 127.0.0.1. The builder thread (watch.py) re-validates
and rebuilds through one LibreOffice pool kept warm for the server's life and publishes a
Snapshot; the page hears of it by server-sent events and swaps in the new panel, without a
reload. Page images are PNG rendered from the PDF with PDFium, cached by the PDF's hash.

What is served: the page itself, its two static files, and the PDFs (and their page images)
of the current and the previous snapshot, addressed by their SHA-256 and read from the
content-addressed store in the output directory. No route takes a file name or a path, so
`/../../etc/passwd`, `%2e%2e`, absolute paths or a symbolic link in the output directory
reach nothing: 404.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import ipaddress
import json
import os
import re
import socket
import sys
import threading
import traceback
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import convert, load
from .errors import OutputError, UsageError
from .preview_page import EDITOR, SCALE, TEMPLATES, context, environment, state_json
from .snapshot import Document, Snapshot, Store
from .watch import Builder, Watcher

STATIC = {"preview.css": "text/css; charset=utf-8", "preview.js": "text/javascript; charset=utf-8"}
CACHE_BYTES = 96 * 2**20  # page images kept in memory
KEEPALIVE = 15.0  # seconds between comments on an idle event stream
SHA = re.compile(r"[0-9a-f]{64}")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Hub:
    """The current snapshot, and the event streams waiting for the next one."""

    def __init__(self) -> None:
        self.snapshot = Snapshot(generation=0)
        self.previous = self.snapshot
        self.instance = uuid.uuid4().hex[:12]  # a page left open across a restart refreshes too
        self.loop: asyncio.AbstractEventLoop | None = None
        self.waiters: set[asyncio.Event] = set()  # touched only on the event loop's thread
        self.closed = False
        self.lock = threading.Lock()

    def publish(self, snap: Snapshot) -> None:
        """From the builder thread."""
        with self.lock:
            self.previous, self.snapshot = self.snapshot, snap
        self._wake()

    def close(self) -> None:
        """The server is stopping: every event stream ends."""
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between
                loop.call_soon_threadsafe(self._notify)

    def _notify(self) -> None:
        for waiter in self.waiters:
            waiter.set()

    def served(self, sha: str) -> Document | None:
        """A document of the current or the previous snapshot with this PDF (a page open
        before the last rebuild may still ask for the images it shows)."""
        with self.lock:
            snaps = (self.snapshot, self.previous)
        for snap in snaps:
            for doc in snap.documents:
                if doc.sha == sha:
                    return doc
        return None


class Pages:
    """PNG images of PDF pages, by (PDF hash, page), least recently used dropped first."""

    def __init__(self, limit: int = CACHE_BYTES):
        self.limit = limit
        self.cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def png(self, sha: str, index: int, pdf: Callable[[], bytes | None]) -> bytes | None:
        key = (sha, index)
        with self.lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
        data = pdf()
        if data is None:
            return None
        png = render_page(data, index)
        with self.lock:
            if key not in self.cache:
                self.cache[key] = png
                self.size += len(png)
            while self.size > self.limit and len(self.cache) > 1:
                _, old = self.cache.popitem(last=False)
                self.size -= len(old)
        return png


def render_page(pdf: bytes, index: int, scale: float = SCALE) -> bytes:
    import pypdfium2 as pdfium

    from .pdfread import _PDFIUM  # PDFium is not thread-safe: the process's one lock for it

    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            page = doc[index]
            try:
                image = page.render(scale=scale).to_pil().copy()
            finally:
                page.close()
        finally:
            doc.close()
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=3)
    return out.getvalue()


# ---------------------------------------------------------------- the app

def app(hub: Hub, store: Store, editor: str = EDITOR, against: str | None = None,
        hosts: list[str] | None = None) -> Any:
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    env = environment()
    pages = Pages()

    def not_found() -> Response:
        return Response("Not Found", status_code=404, media_type="text/plain", headers=SECURITY_HEADERS)

    def html(template: str, request: Request) -> Response:
        snap = hub.snapshot
        values = context(snap, request.query_params.get("doc"), editor, against)
        body = env.get_template(template).render(values, instance=hub.instance)
        return HTMLResponse(body, headers=SECURITY_HEADERS)

    async def index(request: Request) -> Response:
        return html("index.html", request)

    async def panel(request: Request) -> Response:
        return html("panel.html", request)

    async def state(request: Request) -> Response:
        return JSONResponse(state_json(hub.snapshot), headers=SECURITY_HEADERS)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            wake = asyncio.Event()
            hub.waiters.add(wake)
            try:
                yield "retry: 1000\n\n"
                sent = -1
                while not hub.closed:
                    wake.clear()  # before reading: a publish from now on sets it again
                    snap = hub.snapshot
                    if snap.generation != sent:
                        sent = snap.generation
                        data = {"instance": hub.instance, "generation": snap.generation, "stale": snap.stale,
                                "errors": len(snap.errors)}
                        yield f"event: build\ndata: {json.dumps(data)}\n\n"
                    try:
                        await asyncio.wait_for(wake.wait(), KEEPALIVE)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
            finally:
                hub.waiters.discard(wake)

        headers = {**SECURITY_HEADERS, "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    def page(request: Request) -> Response:  # sync: Starlette runs it in its thread pool
        sha, number = request.path_params["sha"], request.path_params["n"]
        doc = hub.served(sha) if SHA.fullmatch(sha) else None
        if doc is None or not 1 <= number <= len(doc.pages):
            return not_found()
        png = pages.png(sha, number - 1, lambda: store.read(sha))
        if png is None:
            return not_found()
        headers = {**SECURITY_HEADERS, "Cache-Control": "private, max-age=31536000, immutable"}
        return Response(png, media_type="image/png", headers=headers)

    def pdf(request: Request) -> Response:
        sha = request.path_params["sha"]
        doc = hub.served(sha) if SHA.fullmatch(sha) else None
        data = store.read(sha) if doc is not None else None
        if doc is None or data is None:
            return not_found()
        headers = {**SECURITY_HEADERS, "Cache-Control": "private, max-age=31536000, immutable",
                   "Content-Disposition": f"inline; filename=\"{doc.plan}-{doc.doc}.pdf\"; "
                                          f"filename*=UTF-8''{quote(doc.plan + '-' + doc.doc)}.pdf"}
        return Response(data, media_type="application/pdf", headers=headers)

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return not_found()
        return Response((TEMPLATES / name).read_bytes(), media_type=STATIC[name], headers=SECURITY_HEADERS)

    async def missing(request: Request, exc: Exception) -> Response:
        return not_found()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        hub.loop = asyncio.get_running_loop()
        yield
        hub.close()

    routes = [Route("/", index), Route("/panel", panel), Route("/state.json", state), Route("/events", events),
              Route("/page/{sha}/{n:int}.png", page), Route("/pdf/{sha}.pdf", pdf),
              Route("/static/{name}", static)]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts or ["127.0.0.1", "localhost"])]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                     exception_handlers={404: missing, 405: missing})


# ---------------------------------------------------------------- fawen preview

def _hosts(host: str) -> list[str]:
    """Host headers accepted (a page on another site that resolves its name to 127.0.0.1
    gets nothing: DNS rebinding)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return [host, "127.0.0.1", "localhost"]
    if address.is_unspecified:  # asked for: every interface, any name
        return ["*"]
    return [f"[{host}]" if address.version == 6 else host, "localhost"]


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                         "choose another port with --port (0 picks a free one)") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def serve(paths: list[Path], out_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          fonts_dir: Path | None = None, workers: int | None = None, against: load.Workspace | None = None,
          against_name: str | None = None, editor: str = EDITOR) -> int:
    """Run the preview until Ctrl-C (or SIGTERM); LibreOffice stays warm all along and stops with it."""
    import signal

    import uvicorn

    from .files import prepare_output

    sock = _listen(host, port)
    try:
        prepare_output(out_dir)  # a directory that cannot take the files is said before anything starts
    except OutputError:
        sock.close()
        raise
    bound = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{bound}/"
    hub = Hub()
    store = Store(out_dir)
    size = max(1, workers or os.cpu_count() or 1)
    stop = threading.Event()
    pool = convert.Pool(size, fonts_dir)
    watcher: Watcher | None = None
    thread: threading.Thread | None = None

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            hub.close()  # event streams end, so that the server need not wait for them
            super().handle_exit(sig, frame)

    def terminate(_sig: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    old_term = signal.signal(signal.SIGTERM, terminate)
    try:
        pool.warm()  # LibreOffice starts now, not at the first save
        builder = Builder(paths, out_dir, pool, fonts_dir, workers, against=against)
        watcher = Watcher(builder.inputs)

        def run() -> None:
            assert watcher is not None
            try:
                builder.loop(watcher, hub.publish, stop, repeats=False)
            except Exception as exc:  # a bug in fawen: say so in the terminal and on the page
                traceback.print_exc()
                last = hub.snapshot
                message = f"the preview stopped rebuilding (a bug in fawen; the traceback is in the terminal): {exc!r}"
                hub.publish(replace(last, generation=last.generation + 1, stale=True, failures=(message,)))

        thread = threading.Thread(target=run, name="fawen-builder", daemon=True)
        config = uvicorn.Config(app(hub, store, editor, against_name, _hosts(host)), log_level="warning",
                                access_log=False, timeout_graceful_shutdown=3, lifespan="on")
        server = Server(config)
        where = ", ".join(load.display(p) for p in paths)
        print(f"fawen preview: {where} at {url} (output in {load.display(out_dir)}; Ctrl-C to stop)", flush=True)
        thread.start()
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, old_term)
        hub.close()
        stop.set()
        if watcher is not None:
            watcher.close()
        if thread is not None and thread.is_alive():
            print("fawen preview: finishing the build in progress", file=sys.stderr, flush=True)
            thread.join()
        pool.close()
        sock.close()
        print("fawen preview: stopped", file=sys.stderr)
    return 0
