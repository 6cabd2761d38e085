"""Output files are ordinary files: written whole or not at all, with the permissions the umask gives."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from generator import build, files, load

from conftest import PLANS


def _modes(root: Path) -> set[int]:
    return {stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_written_files_honour_the_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: int, mode: int) -> None:
    monkeypatch.setattr(files, "UMASK", umask)
    files.atomic_write(tmp_path / "a" / "b.txt", b"x")
    assert _modes(tmp_path) == {mode}
    assert not list(tmp_path.rglob("*.part"))


def test_build_outputs_are_0644(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "UMASK", 0o022)
    workspace, problems = load.load([PLANS / "pingli-2020"])
    assert problems == []
    report = build.build(workspace, tmp_path, pdf=False)
    assert report.ok
    assert (tmp_path / "pingli-2020" / "notice.docx").is_file()
    assert _modes(tmp_path) == {0o644}


def test_init_writes_0644(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(files, "UMASK", 0o022)
    status, _, _ = run_cli("init", str(tmp_path / "campaign"))
    assert status == 0
    assert _modes(tmp_path) == {0o644}
