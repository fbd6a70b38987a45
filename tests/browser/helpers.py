from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out of this closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "parplan-demo"


def log_in(page: Page, base_url: str, username: str) -> None:
    """Open the portal, get sent to the login form, fill it as a person would (demo accounts share PASSWORD)."""
    page.goto(base_url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


# axe-core from the npm registry (package.json, `npm ci`): test-only, injected from disk, never served.
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = ["wcag2a", "wcag2aa"]


def axe_violations(page: Page) -> list[str]:
    """The page's WCAG 2 A/AA violations as axe-core finds them, one readable line per element.

    The page must come from `browser.new_page(bypass_csp=True)`: the portal's Content-Security-Policy
    (script-src 'self') rightly refuses the injected script.
    """
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `npm ci` at the repository root (scripts/bootstrap.sh test does)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """rules => axe.run(document, {runOnly: rules}).then(result => result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
        })))""",
        AXE_RULES,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n    at {node['target']}\n    {node['summary'].replace(chr(10), ' ')}"
        for v in found
        for node in v["nodes"]
    ]


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than its viewport (0: nothing scrolls sideways)."""
    width: int = page.evaluate(
        "Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)"
    )
    return width
