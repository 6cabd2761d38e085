"""The environment variables fawen reads, checked once before a command does anything.

A typo in an environment variable is a user mistake like a typo in a plan: it gets one
line saying which variable, what is wrong with it and what to set instead, never a
traceback half-way through a build.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from .errors import UsageError, printable

DEFAULT_TIMEOUT = 120.0
LAST_EPOCH = 4102444800  # 2100-01-01: a document date past it is a typo, not a plan


def convert_timeout() -> float:
    """FAWEN_CONVERT_TIMEOUT: seconds one conversion may take before it is killed and retried."""
    raw = os.environ.get("FAWEN_CONVERT_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise UsageError(f"FAWEN_CONVERT_TIMEOUT='{printable(raw)}' is not a number of seconds; "
                         f"set it to e.g. {DEFAULT_TIMEOUT:.0f} or unset it")
    return value


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (reproducible builds): seconds since 1970 for the PDF dates."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > LAST_EPOCH:
        raise UsageError(f"SOURCE_DATE_EPOCH='{printable(raw)}' is not a time in seconds since 1970 (before "
                         "2100); set it to e.g. `git log -1 --format=%ct` or unset it")
    return int(raw)


def _directory(name: str, must_have: str | None = None) -> None:
    raw = os.environ.get(name)
    if raw is None:
        return
    path = Path(raw)
    if not path.is_dir() or (must_have and not (path / must_have).is_dir()):
        what = f"a directory with {must_have}/ in it" if must_have else "a directory"
        raise UsageError(f"{name}='{printable(raw)}' is not {what}; point it at one or unset it")


def check() -> None:
    """Every variable at once, before anything is read or written."""
    convert_timeout()
    source_date_epoch()
    _directory("FAWEN_TEMPLATES", "text")
    _directory("FAWEN_FONTS")


def cache_home() -> Path:
    """Where caches go: $XDG_CACHE_HOME, else ~/.cache, else the temporary directory (no
    home directory is a normal state for a CI job or a service account)."""
    raw = os.environ.get("XDG_CACHE_HOME")
    if raw and Path(raw).is_absolute():
        return Path(raw)
    try:
        return Path.home() / ".cache"
    except RuntimeError:
        import tempfile
        return Path(tempfile.gettempdir())
