"""The one markup of a status badge, for the apps' template tags (labels and classes come from the choices)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString


def badge(css: str, label: str) -> SafeString:
    # Built here rather than in a template file: a badge sits inside running text,
    # and a template file's final newline would put a space after it.
    return format_html('<span class="{}">{}</span>', css, label)
