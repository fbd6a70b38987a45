"""What the database holds, to tell a refused post from a half-saved one and a stored text from a cut one."""

from __future__ import annotations

import json

from django.apps import apps
from django.db import connection, models

# The portal's own data and the people; not the sessions, and not django-axes' records of logins,
# which a refused login rightly writes.
APPS = ("parplan", "notifications", "evidence", "targets", "tasks", "inspections", "reports", "auth")


def _tables() -> list[type[models.Model]]:
    return [model for label in APPS if label in apps.app_configs for model in apps.get_app_config(label).get_models()]


def row_counts() -> dict[str, int]:
    """The number of rows of every table of the portal and of its history, in one query."""
    tables = sorted({model._meta.db_table for model in _tables()})
    quoted = connection.ops.quote_name
    counts = ", ".join(f"(SELECT count(*) FROM {quoted(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return dict(zip(tables, row, strict=True))


def holds_text(text: str) -> bool:
    """Whether some text column (or JSON value) of the portal or its history holds exactly `text`."""
    quoted = connection.ops.quote_name
    parts, params = [], []
    for model in _tables():
        for model_field in model._meta.concrete_fields:
            column = f"{quoted(model._meta.db_table)}.{quoted(model_field.column)}"
            if isinstance(model_field, models.CharField | models.TextField):
                parts.append(f"SELECT 1 FROM {quoted(model._meta.db_table)} WHERE {column} = %s")
                params.append(text)
            elif isinstance(model_field, models.JSONField):
                parts.append(f"SELECT 1 FROM {quoted(model._meta.db_table)} WHERE {column}::text LIKE %s")
                params.append("%" + _like(json.dumps(text, ensure_ascii=False)) + "%")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"({part} LIMIT 1)" for part in parts) + " LIMIT 1", params)
        return cursor.fetchone() is not None


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
