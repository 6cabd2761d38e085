"""LibreOffice worker, run by the system Python that has LibreOffice's `uno` module.

Why not `soffice --convert-to pdf`: LibreOffice's DOCX import ignores w:autoSpaceDE and
w:autoSpaceDN, so it puts a ¼ em gap between Chinese and digits and a line no longer
holds 28 characters. Through UNO we load the DOCX, switch that gap off where the DOCX
asked for it (every paragraph, as fawen's DOCX does), and export the PDF ourselves.
One worker starts one soffice with its own profile and converts a batch of documents.

Usage: python3 lo_worker.py PROFILE_DIR, then one JSON job per line on standard input
({"in": "a.docx", "out": "a.pdf", "roots": [style names]}); it answers {"ready": true}
once soffice is up, then one line per job: {"in": ..., "ok": true} or {"in": ..., "error": "..."}.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def _prop(name: str, value: Any) -> Any:
    import uno  # only in LibreOffice's Python

    p = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    p.Name, p.Value = name, value
    return p


def _connect(pipe: str, deadline: float) -> tuple[Any, Any, Any]:
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            smgr = ctx.ServiceManager
            return smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx), smgr, ctx
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _no_autospace(doc: Any, roots: list[str] | None) -> None:
    """Every paragraph style without the Asian/Latin gap and without hanging punctuation.
    The DOCX import drops both settings from a paragraph (it ignores w:autoSpaceDE/DN and
    w:overflowPunct), so the styles decide for all of them.

    Hanging punctuation is off because LibreOffice loses marks with it: a 、，。 that should
    hang after a full 28-character line is sometimes dropped from the page and the text
    layer (its hanging portion is not painted). Off, the mark and the character before it
    move to the next line together (避头尾), as Word does with w:overflowPunct="0".

    Switching them off on "Standard", the root LibreOffice's own styles inherit from, covers
    those; `roots` names the DOCX's other parentless paragraph styles (the caller reads them
    from styles.xml). Asking each of ~140 styles over the bridge costs 0.17 s a document, so
    the full scan runs only when `roots` is not given or names a style LibreOffice renamed.
    """
    styles = doc.getStyleFamilies().getByName("ParagraphStyles")
    if styles.hasByName("Standard"):
        standard = styles.getByName("Standard")
        standard.ParaIsCharacterDistance = False
        standard.ParaIsHangingPunctuation = False
    if roots is not None and all(styles.hasByName(name) for name in roots):
        candidates = [styles.getByName(name) for name in roots]
    else:
        candidates = [styles.getByIndex(i) for i in range(styles.getCount())]
    for style in candidates:
        info = style.getPropertySetInfo()
        for prop in ("ParaIsCharacterDistance", "ParaIsHangingPunctuation"):
            if info.hasPropertyByName(prop) and style.getPropertyValue(prop):
                style.setPropertyValue(prop, False)


def _pdf_options() -> Any:
    """PDF export settings: images as they are (fawen's charts are drawn at the resolution
    they print at; LibreOffice's default resampling to 300 dpi took more time than the rest
    of a conversion)."""
    import uno

    data = (_prop("ReduceImageResolution", False),)
    return (_prop("FilterName", "writer_pdf_Export"),
            _prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)))


def _convert(desktop: Any, smgr: Any, ctx: Any, src: str, dst: str, roots: list[str] | None = None) -> None:
    """Load the DOCX into a document model without a view (so nothing is laid out yet), fix
    the styles, then give it a hidden view: LibreOffice lays the document out once, with the
    styles already right, instead of laying it out on load and again after the change."""
    doc = smgr.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
    try:
        doc.load((_prop("URL", Path(src).resolve().as_uri()), _prop("FilterName", "MS Word 2007 XML")))
        _no_autospace(doc, roots)
        desktop.loadComponentFromURL("private:object", "_blank", 0, (_prop("Model", doc), _prop("Hidden", True)))
        doc.storeToURL(Path(dst).resolve().as_uri(), _pdf_options())
    finally:
        doc.close(True)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """soffice, the splash process it starts and soffice.bin. The pool starts each worker as
    the leader of its own process group, which they all share: killing the group leaves
    nothing behind (this worker included). Run by hand, outside such a group, only soffice
    itself is killed."""
    try:
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass


def _watch_parent(proc: subprocess.Popen[bytes]) -> None:
    """Die with the build, however it died: a build killed with SIGKILL closes no pipe in
    time and runs no clean-up, so the worker notices that its parent is gone (it is
    reparented) and takes soffice down with it. No LibreOffice outlives its build."""
    parent = int(os.environ.get("FAWEN_BUILD_PID") or os.getppid())  # known even if it died before we looked
    while True:
        if os.getppid() != parent:
            _kill_group(proc)
            os._exit(1)
        time.sleep(0.25)


def main() -> int:
    """Start soffice, say {"ready": true}, then convert one job per input line until EOF."""
    profile = Path(sys.argv[1])
    soffice = shutil.which("soffice") or "soffice"
    pipe = f"fawen{os.getpid()}"
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
         "--nolockcheck", "--nodefault", "--nologo", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    threading.Thread(target=_watch_parent, args=(proc,), daemon=True).start()
    try:
        desktop, smgr, ctx = _connect(pipe, time.monotonic() + 60)
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                continue
            job = json.loads(line)
            try:
                _convert(desktop, smgr, ctx, job["in"], job["out"], job.get("roots"))
                print(json.dumps({"in": job["in"], "ok": True}), flush=True)
            except Exception as exc:  # report per document, go on with the next
                print(json.dumps({"in": job["in"], "error": str(exc).strip() or type(exc).__name__}), flush=True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
