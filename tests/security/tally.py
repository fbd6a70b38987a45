"""How many hostile requests tests/security/ sent, and how many answered 500, summed over pytest-xdist workers.

A plugin of the whole test run (registered by tests/conftest.py), not of
tests/security/conftest.py: under xdist the controller collects nothing, so a
conftest below tests/ is never loaded there, and the summary is written by the
controller. Each process writes its own counts to a file in a folder the
controller makes (its path is passed to the workers in the environment, which
they inherit when xdist starts them); the controller adds them up.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest

FOLDER_VARIABLE = "PARPLAN_SECURITY_TALLY"
# requests: every request sent; forms: the forms walked with payloads; urls: the URL patterns walked;
# answered_500: responses with status 500 (each also fails its test).
KINDS = ("requests", "forms", "urls", "answered_500")

counts: Counter[str] = Counter()


def count(kind: str, n: int = 1) -> None:
    counts[kind] += n


def pytest_configure(config: pytest.Config) -> None:
    if "PYTEST_XDIST_WORKER" not in os.environ:
        os.environ[FOLDER_VARIABLE] = tempfile.mkdtemp(prefix="parplan-security-")


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get(FOLDER_VARIABLE)
    if folder and counts:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        (Path(folder) / f"{worker}.json").write_text(json.dumps(dict(counts)), encoding="utf-8")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if "PYTEST_XDIST_WORKER" in os.environ:
        return
    folder = Path(os.environ.get(FOLDER_VARIABLE, ""))
    if not folder.name or not folder.is_dir():
        return
    total: Counter[str] = Counter()
    for path in folder.glob("*.json"):
        total.update(json.loads(path.read_text(encoding="utf-8")))
    shutil.rmtree(folder, ignore_errors=True)
    if total["requests"]:
        terminalreporter.write_line(
            f"security: {total['requests']} requests sent ({total['forms']} forms, {total['urls']} URLs), "
            f"{total['answered_500']} answered 500"
        )
