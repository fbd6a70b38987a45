"""Print which app imports which (the app-level import graph), from the source alone.

    .venv/bin/python scripts/app_graph.py [ROOT]

ROOT (default: this checkout) is a folder holding the apps. Nothing is imported or
run: grimp, import-linter's graph library, reads the files. The layers themselves
are the contract in pyproject.toml ([tool.importlinter]); this is for reading.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

APPS = ("config", "demo", "reports", "dashboard", "planio", "tasks", "inspections", "dossiers", "scoring",
        "targets", "notifications", "evidence", "parplan")  # fmt: skip


def app_graph(root: Path) -> dict[str, list[str]]:
    present = [app for app in APPS if (root / app / "__init__.py").exists()]
    sys.path.insert(0, str(root))
    graph = grimp.build_graph(*present, cache_dir=None)
    edges: dict[str, list[str]] = {}
    for app in present:
        edges[app] = [
            other
            for other in present
            if other != app and graph.find_illegal_dependencies_for_layers(layers=[other, app], containers=set())
        ]
    return edges


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent).resolve()
    edges = app_graph(root)
    for app, imported in edges.items():
        print(f"{app:14} → {', '.join(imported) or '—'}")
    cycles = sorted({tuple(sorted((a, b))) for a, bs in edges.items() for b in bs if a in edges.get(b, [])})
    print("cycles between two apps:", ", ".join(" ↔ ".join(pair) for pair in cycles) or "none")


if __name__ == "__main__":
    main()
