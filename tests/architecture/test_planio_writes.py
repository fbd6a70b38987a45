"""planio/ reads and writes plan files; it writes the database only through the apps' services.

A reader should find every write of a model by grepping the services. This test
reads planio's source (no database) and fails on a model write made there. The one
exception is planio's own model, the uploaded plan document: its services module,
planio/documents/saving.py, writes it (and only it: the plan goes through plan_import).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Calls that write rows: a model's save/delete, a manager's create…, the core's write helpers.
WRITES = {
    "save", "delete", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create",
    "save_if_changed", "set_m2m_if_changed",
}  # fmt: skip


OWN_MODEL_SERVICES = "planio/documents/saving.py"


def _writes(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        # `queryset.update(…)` writes; `a_dict.update(…)` does not: only an update on a call's result counts.
        on_a_call = isinstance(function, ast.Attribute) and isinstance(function.value, ast.Call)
        if name in WRITES or (name == "update" and on_a_call):
            found.append(f"line {node.lineno}: {name}()")
    return found


def test_planio_makes_no_model_write_of_its_own():
    writes = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "planio").rglob("*.py"))
        if "migrations" not in path.parts and (found := _writes(path.read_text(encoding="utf-8")))
    }
    own = writes.pop(OWN_MODEL_SERVICES, [])
    assert writes == {}
    assert own, f"{OWN_MODEL_SERVICES} no longer writes: drop the exception"


def test_the_check_sees_a_model_write():
    source = "def f(task):\n    save_if_changed(task, text='x')\n    Task.objects.filter(pk=1).update(text='y')\n"
    assert _writes(source) == ["line 2: save_if_changed()", "line 3: update()"]


def test_the_check_lets_a_dict_update_through():
    assert _writes("parents = {}\nparents.update({'a': 1})\n") == []
