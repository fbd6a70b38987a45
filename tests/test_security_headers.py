"""Content-Security-Policy and Permissions-Policy on every page, and no inline script to need an exception.

Measured on main before: no Content-Security-Policy; inline handlers and a
<script> block in four templates.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
# Rendered to PDF by WeasyPrint, never served to a browser: its <style> is the page layout of the printed report.
# PDF documents (WeasyPrint), not pages
NOT_SERVED = {
    "reports/report.html", "reports/inspection_record.html", "reports/_scoring_head.html",
    "reports/scoring_results.html", "reports/scoring_scorecard.html",
}  # fmt: skip
SERVED = [t for t in TEMPLATES if str(t.relative_to(Path(settings.BASE_DIR) / "templates")) not in NOT_SERVED]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JS_URL = re.compile(r"""=\s*["']\s*javascript:""", re.IGNORECASE)

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["login page", "plan list"])
def test_pages_carry_the_content_security_policy(client, secretariat, signed_in):
    if signed_in:
        client.force_login(secretariat)
    response = client.get(reverse("plan-list" if signed_in else "login"))

    assert response.status_code == 200
    assert _directives(response["Content-Security-Policy"]) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_carries_it_too(client_for, administrator):
    response = client_for(administrator).get("/admin/")

    assert _directives(response["Content-Security-Policy"]) == POLICY


@pytest.mark.django_db
def test_pages_carry_the_permissions_policy(client):
    header = client.get(reverse("login"))["Permissions-Policy"]

    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


@pytest.mark.parametrize("template", SERVED, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_no_template_has_inline_script_handler_or_style(template: Path):
    text = template.read_text(encoding="utf-8")
    assert INLINE_SCRIPT.findall(text) == []
    assert HANDLER.findall(text) == []
    assert STYLE_ATTRIBUTE.findall(text) == []
    assert STYLE_ELEMENT.findall(text) == []
    assert JS_URL.findall(text) == []


def test_the_scan_finds_what_the_templates_used_to_have():
    # The four inline scripts of main before this change, and a style attribute.
    used_to = [
        '<select id="period" name="period" onchange="this.form.submit()">',
        """<input type="checkbox" onclick="document.querySelectorAll('input').forEach(c => c)">""",
        "<script>\n  (function () {})();\n  </script>",
        '<button type="button" class="button" onclick="window.print()">',
        '<span style="color: red">',
    ]
    found = [
        bool(INLINE_SCRIPT.search(t) or HANDLER.search(t) or STYLE_ATTRIBUTE.search(t) or STYLE_ELEMENT.search(t))
        for t in used_to
    ]
    assert all(found)
    assert not INLINE_SCRIPT.search('<script src="/static/js/parplan.js" defer></script>')
    assert not HANDLER.search('<select data-submit-on-change name="period">')


def test_the_scripts_are_static_files_the_base_template_loads():
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text(encoding="utf-8")
    assert "<script src=\"{% static 'js/parplan.js' %}\" defer></script>" in base
    script = (Path(settings.BASE_DIR) / "static" / "js" / "parplan.js").read_text(encoding="utf-8")
    for hook in ("data-submit-on-change", "data-check-all", "data-print", "data-status-url"):
        assert hook in script
