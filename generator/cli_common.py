"""What every `fawen` command shares: the default plans directory, and loading plans with
every problem printed (warnings go on, errors stop the command before anything is written).
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import load, validate
from .errors import PlanError, Problem

DEFAULT_PLANS = Path("plans")


def print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems, key=Problem.sort_key):
        print(problem, file=sys.stderr)


def load_checked(paths: list[Path]) -> load.Workspace:
    """Load and validate; raise PlanError with every error of every plan."""
    workspace, problems = load.load(paths)
    problems += validate.check(workspace)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    print_problems(warnings)
    if errors:
        raise PlanError(errors)
    return workspace
