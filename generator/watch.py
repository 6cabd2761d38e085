"""Watch a plan's files and rebuild on every save, through one LibreOffice pool kept warm.

Shared by `fawen build --watch` and `fawen preview`. A watcher thread (watchfiles) counts
the saves under the plan's directory (and its departments.yaml and numbers.yaml); one builder
thread re-validates and rebuilds. Saves that come in a burst are built once: the watcher
groups changes until they pause, and a build whose inputs changed between its start and its
end is not published but run again, so what is shown always comes from one consistent set of
files. Each published result is a `Snapshot`, immutable: the preview serves only the PDFs a
snapshot lists, from a content-addressed copy (`Store`) that no later build can overwrite or
delete, so a broken save keeps the last good pages, and no half-written file is ever served.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from . import build, convert, load, validate
from .errors import FawenError, Problem, printable
from .files import prepare_output
from .snapshot import Document, Snapshot, Store, kind_name, page_sizes

DEBOUNCE_MS = 1_000  # the longest a burst of saves is grouped before a rebuild starts anyway
QUIET_MS = 50  # a rebuild starts once the files have been quiet this long
RETRIES = 3  # builds in a row whose inputs changed under them before one is published anyway



# ---------------------------------------------------------------- what is watched

class Inputs:
    """The files a build reads: everything under the plan directories, and the department
    registry and numbers ledger found above them. Not the output directory."""

    def __init__(self, paths: list[Path], out_dir: Path):
        self.dirs = sorted({(p if p.is_dir() else p.parent).resolve() for p in paths})
        files, _ = load.plan_files(paths)
        extra: set[Path] = set()
        for file in files:  # every registry and ledger up the plan's tree (the nearest wins on an id)
            extra |= {p.absolute() for p in load.input_files(file.parent)}
        self.files = sorted(f for f in extra if not any(_under(f, d) for d in self.dirs))
        self.out_dir = out_dir.resolve()

    @property
    def roots(self) -> list[Path]:
        """Directories to watch (recursively: a registry's directory too, filtered)."""
        return sorted({*self.dirs, *(f.parent for f in self.files)})

    def wanted(self, path: str) -> bool:
        p = Path(os.path.abspath(path))
        if _under(p, self.out_dir):
            return False
        return p in self.files or any(_under(p, d) for d in self.dirs)

    def walk(self) -> Iterator[Path]:
        for root in self.dirs:
            for folder, dirs, names in os.walk(root):
                here = Path(folder)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _under(here / d, self.out_dir))
                yield from (here / n for n in sorted(names))
        yield from self.files

    def stamp(self) -> tuple[tuple[str, int, int, int, str], ...]:
        """Every input's name, size, modification time, inode and content hash: equal stamps
        before and after a build mean that it read one consistent set of files (the hash, as
        two saves of the same length may fall within one tick of the file system's clock)."""
        out = []
        for path in self.walk():
            try:
                st = path.stat()
                digest = hashlib.sha256(path.read_bytes()).hexdigest() if st.st_size < 2**24 else ""
            except OSError:
                continue
            out.append((str(path), st.st_size, st.st_mtime_ns, st.st_ino, digest))
        return tuple(out)


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class Watcher:
    """Counts the bursts of saves (watchfiles, in a thread); `wait` until the count moves."""

    def __init__(self, inputs: Inputs):
        import watchfiles

        self.inputs = inputs
        self.count = 0
        self.changed = threading.Condition()
        self.stop = threading.Event()
        default = watchfiles.DefaultFilter()  # editor swap and backup files, .git, caches

        def wanted(change: watchfiles.Change, path: str) -> bool:
            return default(change, path) and inputs.wanted(path)

        self._filter = wanted
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="fawen-watch", daemon=True)
        self.thread.start()
        self._ready.wait(10)

    def _run(self) -> None:
        import watchfiles

        roots = [str(r) for r in self.inputs.roots if r.is_dir()]
        # an empty answer at least every 200 ms: the first one says that the watches are set up
        watcher = watchfiles.watch(*roots, watch_filter=self._filter, debounce=DEBOUNCE_MS, step=QUIET_MS,
                                   stop_event=self.stop, rust_timeout=200, yield_on_timeout=True,
                                   raise_interrupt=False)
        try:
            for changes in watcher:
                self._ready.set()
                if changes:
                    with self.changed:
                        self.count += 1
                        self.changed.notify_all()
        finally:
            self._ready.set()

    def wait(self, seen: int, timeout: float | None = None) -> int:
        """The count once it differs from `seen` (or the stop was asked for, or the timeout passed)."""
        with self.changed:
            self.changed.wait_for(lambda: self.count != seen or self.stop.is_set(), timeout)
            return self.count

    def close(self) -> None:
        self.stop.set()
        with self.changed:
            self.changed.notify_all()
        self.thread.join(5)


# ---------------------------------------------------------------- rebuilding

class Builder:
    """Validates and builds the plan; each call of `once` returns a new Snapshot, or None when
    the files changed while it was building (it must run again)."""

    def __init__(self, paths: list[Path], out_dir: Path, pool: convert.Pool | None,
                 fonts_dir: Path | None = None, workers: int | None = None,
                 against: load.Workspace | None = None, store: bool = True):
        self.paths = paths
        self.out_dir = out_dir
        self.pool = pool
        self.fonts_dir = fonts_dir
        self.workers = workers
        self.against = against
        self.inputs = Inputs(paths, out_dir)
        self.store = Store(out_dir) if store else None
        self.last = Snapshot(generation=0)

    def once(self, force: bool = False) -> Snapshot | None:
        """Check and build the files as they are now. None (unless `force`): they changed
        while this ran, and a build of them all is needed again."""
        before = self.inputs.stamp()
        checked_at = time.time()
        workspace, problems = load.load(self.paths)
        problems += validate.check(workspace)
        problems = sorted(dict.fromkeys(problems), key=Problem.sort_key)
        errors = [p for p in problems if p.severity == "error"]
        report: build.Report | None = None
        failure = ""
        if not errors:
            try:
                report = build.build(workspace, self.out_dir, pdf=self.pool is not None,
                                     fonts_dir=self.fonts_dir, workers=self.workers, pool=self.pool)
            except FawenError as exc:  # the output directory cannot be written, …
                failure = str(exc)
            except Exception as exc:  # a bug in fawen: say so, and keep watching for the next save
                traceback.print_exc()
                failure = f"fawen failed on this save (a bug; the traceback is in the terminal): {exc!r}"
        if self.inputs.stamp() != before and not force:
            return None
        last = self.last
        snap = replace(last, generation=last.generation + 1, problems=tuple(problems), checked_at=checked_at,
                       sources=self._sources(problems), stale=bool(errors or failure))
        if report is None:
            return replace(snap, failures=(failure,) if failure else ())
        documents = self._documents(workspace, report)
        changes = None
        if self.against is not None:
            from . import diff
            changes = tuple(diff.compare(self.against, workspace))
        return replace(snap, documents=documents, failures=tuple(report.failed), warnings=tuple(report.warnings),
                       summary=report.lines()[-1], stale=bool(report.failed), built_at=time.time(),
                       titles=tuple(s.plan.title for s in sorted(workspace.plans, key=lambda s: s.plan.id)),
                       changes=changes)

    def _documents(self, workspace: load.Workspace, report: build.Report) -> tuple[Document, ...]:
        """The documents this build listed as built or up to date, in the plan's order; for one
        that failed, its earlier pages, marked stale."""
        done = set(report.built) | set(report.skipped)
        earlier = {d.name: d for d in self.last.documents}
        out: list[tuple[tuple[int, int, str], Document]] = []
        for p, source in enumerate(sorted(workspace.plans, key=lambda s: s.plan.id)):
            plan = source.plan
            names = source.registry.names() if source.registry else {}
            for d, declared in enumerate(plan.documents):
                label = kind_name(declared)
                title = str(getattr(declared, "title", None) or "")
                ids = {declared.id: label}
                for dep, dep_name in names.items():
                    ids[f"{declared.id}-{dep}"] = f"{label}（{dep_name}）"
                for doc_id, doc_label in ids.items():
                    name = f"{plan.id}/{doc_id}"
                    document: Document | None = None
                    if name in done:
                        document = self._document(Document(plan.id, doc_id, declared.kind, doc_label, title, ""),
                                                  earlier.get(name))
                    elif name in earlier and any(f.startswith(f"{name}:") for f in report.failed):
                        document = replace(earlier[name], stale=True)
                    if document is not None:
                        out.append(((p, d, doc_id if doc_id != declared.id else ""), document))
        if self.store is not None:
            self.store.prune({d.sha for _, d in out} | {d.sha for d in self.last.documents})
        return tuple(d for _, d in sorted(out, key=lambda x: x[0]))

    def _document(self, new: Document, earlier: Document | None) -> Document:
        pdf = self.out_dir / new.plan / f"{new.doc}.pdf"
        if self.store is None or self.pool is None or not pdf.is_file():
            return new
        sha, data = self.store.keep(pdf)
        if earlier is not None and earlier.sha == sha:
            return replace(new, sha=sha, pages=earlier.pages)
        return replace(new, sha=sha, pages=page_sizes(data))

    def _sources(self, problems: list[Problem]) -> dict[str, str]:
        """The files problems point at that are inputs (and so may be quoted back)."""
        out = {}
        for p in problems:
            path = Path(p.position.path).absolute()
            if path.is_file() and self.inputs.wanted(str(path)):
                out[p.position.path] = str(path)
        return out

    def loop(self, watcher: Watcher, on_snapshot: Callable[[Snapshot], None],
             stop: threading.Event, repeats: bool = True) -> None:
        """Build now, then after every burst of saves, until `stop` is set. Without `repeats`,
        a result that shows nothing new is not published."""
        seen = watcher.count
        tries = 0
        while not stop.is_set():
            snap = self.once(force=tries >= RETRIES)
            if snap is None:  # the files moved under the build: take them again
                tries += 1
                seen = watcher.count
                continue
            tries = 0
            if repeats or self.last.generation == 0 or not snap.same(self.last):
                self.last = snap
                on_snapshot(snap)
            while not stop.is_set():
                count = watcher.wait(seen, timeout=0.5)
                if count != seen:
                    seen = count
                    break


# ---------------------------------------------------------------- fawen build --watch

def build_watch(paths: list[Path], out_dir: Path, pdf: bool = True, fonts_dir: Path | None = None,
                workers: int | None = None) -> int:
    """Rebuild on every save until Ctrl-C; the pool stays warm in between."""
    prepare_output(out_dir)  # a directory that cannot take the files is said at once
    size = max(1, workers or os.cpu_count() or 1)
    pool = convert.Pool(size, fonts_dir) if pdf else None
    stop = threading.Event()
    watcher: Watcher | None = None
    try:
        builder = Builder(paths, out_dir, pool, fonts_dir, workers, store=False)
        watcher = Watcher(builder.inputs)
        where = ", ".join(load.display(p) for p in paths)

        def show(snap: Snapshot) -> None:
            stamp = time.strftime("%H:%M:%S", time.localtime(snap.checked_at))
            for problem in snap.problems:
                print(problem, file=sys.stderr)
            if snap.errors:
                n = len(snap.errors)
                print(f"[{stamp}] {n} error{'s' if n != 1 else ''}; nothing was built", file=sys.stderr)
            for line in [f"warning: {w}" for w in snap.warnings] + [f"error: {f}" for f in snap.failures]:
                print(printable(line), file=sys.stderr)
            if snap.summary and not snap.errors:
                print(f"[{stamp}] {printable(snap.summary)}", file=sys.stderr)
            print(f"watching {where} for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)

        builder.loop(watcher, show, stop)
    except KeyboardInterrupt:
        print("fawen: stopped watching", file=sys.stderr)
    finally:
        stop.set()
        if watcher is not None:
            watcher.close()
        if pool is not None:
            pool.close()
    return 0
