"""Bench-only URLconf: the product's URLs plus the reference page.

Selected with `PARPLAN_ROOT_URLCONF=bench.urls` (bench/dashboard.py sets it for the
gunicorn it starts); the product's own URLconf stays `config.urls`.
"""

from __future__ import annotations

from django.urls import include, path

from bench.reference_view import reference

urlpatterns = [
    path("bench/reference/", reference, name="bench-reference"),
    path("", include("config.urls")),
]
