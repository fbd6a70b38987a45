"""The apps' ORM queries run on every backend the portal supports: SQLite with no environment set.

`QuerySet.distinct(*fields)` is PostgreSQL's DISTINCT ON; on SQLite it raises
NotSupportedError. The scoring's suggestions used it, and `manage.py demo` (so
`make run`, the README's one command) failed on a machine with no DATABASE_URL.
Raw SQL written for PostgreSQL sits behind a `connection.vendor` check instead.
This test reads the source (no database) and fails on such a call.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["root_packages"]


def _distinct_on(source: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "distinct"
        and (node.args or node.keywords)
    ]


def test_the_check_finds_a_distinct_on():
    assert _distinct_on('Score.objects.order_by("unit_id").distinct("unit_id")') == [1]
    assert _distinct_on("Score.objects.distinct()") == []


def test_no_app_query_uses_distinct_on():
    found = {
        str(path.relative_to(ROOT)): lines
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and (lines := _distinct_on(path.read_text(encoding="utf-8")))
    }
    assert found == {}
