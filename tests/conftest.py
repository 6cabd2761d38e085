"""Shared test helpers: run the CLI in-process, find the repository."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
