"""Shared test helpers: run the CLI in-process, find the repository."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from generator import cli

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"


@contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `fawen ARGS` in-process (optionally in a directory); return (status, stdout, stderr)."""

    def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
        with chdir(cwd or Path.cwd()):
            status = cli.main(list(args))
        out = capsys.readouterr()
        return status, out.out, out.err

    return run


def processes_of(marker: str, commands: tuple[bytes, ...] = ()) -> list[int]:
    """Processes (other than this one) whose environment carries FAWEN_TEST_MARKER=`marker`,
    optionally only those whose command line names one of `commands`: what a fawen run started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == str(os.getpid()):
            continue
        try:
            environ = (entry / "environ").read_bytes()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if f"FAWEN_TEST_MARKER={marker}".encode() in environ.split(b"\0") and (
                not commands or any(c in cmdline for c in commands)):
            found.append(int(entry.name))
    return found



def copy_campaign(root: Path) -> Path:
    """A copy of the example campaign with progress data (plans/anshan-2021, its own registry) and
    the schemas beside it, under `root`; returns the plan's folder."""
    import shutil
    shutil.copytree(PLANS / "anshan-2021", root / "plans" / "anshan-2021")
    shutil.copytree(ROOT / "schema", root / "schema")
    return root / "plans" / "anshan-2021"


def progress_template(run_cli: Any, root: Path, period: str) -> Path:
    """`fawen progress template plans/anshan-2021 --period P` in `root`: the sheet's path."""
    out = root / f"t-{period}.xlsx"
    status, _out, err = run_cli("progress", "template", "plans/anshan-2021", "--period", period, "-o", str(out),
                                cwd=root)
    assert status == 0, err
    return out
