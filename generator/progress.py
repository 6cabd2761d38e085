"""What a running build shows, and the order in which its documents render."""

from __future__ import annotations

import sys
import threading


class Turns:
    """Documents render their DOCX one after the other, in the order they were queued (the
    longest first). Rendering is Python work under one interpreter lock: renders that race
    only delay the long document whose conversion everything else waits for."""

    def __init__(self) -> None:
        self.next = 0
        self.changed = threading.Condition()

    def wait(self, turn: int) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.next >= turn)

    def done(self, turn: int) -> None:
        """The turn is over (rendered, up to date, or failed); saying it twice is harmless."""
        with self.changed:
            if self.next == turn:
                self.next += 1
                self.changed.notify_all()


class Progress:
    """One line per document (CI, logs); a rich progress bar on a terminal."""

    def __init__(self, total: int, bar: bool = False):
        self.total = total
        self.count = 0
        self.lock = threading.Lock()
        self.bar = None
        if bar:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress
            self.bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                    TimeElapsedColumn(), transient=True)
            self.task = self.bar.add_task("building", total=total)
            self.bar.start()

    def done(self, name: str, what: str) -> None:
        with self.lock:
            self.count += 1
            if self.bar is not None:
                self.bar.update(self.task, advance=1, description=f"{what}: {name}")
            else:
                print(f"[{self.count}/{self.total}] {what}: {name}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
