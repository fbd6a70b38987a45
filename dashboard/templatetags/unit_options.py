"""`{% unit_options choices selected %}`: the dashboard filter's unit options, in one pass.

A national authority has hundreds of units directly below it; a template loop over
them cost several milliseconds of every warm request (bench/README.md, "Dashboard").
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def unit_options(choices: Iterable[tuple[str, str]], selected: str) -> SafeString:
    """`<option>`s of (code, name) pairs, the one of code `selected` selected; codes and names escaped."""
    # html.escape is what django.utils.html.escape calls; format_html_join's per-value checks cost ten times more.
    return mark_safe(
        "".join(
            f'<option value="{escape(code)}"{" selected" if code == selected else ""}>{escape(name)}</option>'
            for code, name in choices
        )
    )
