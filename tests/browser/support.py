"""Helpers shared by the browser tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def pane(page):
    """The feed once the pane has rendered its first page."""
    page.locator("chatter-pane .feed[aria-busy=false]").wait_for()
    return page.locator("chatter-pane")


def screenshot(page, name, **kwargs):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path
