"""Helpers shared by the browser tests."""

from pathlib import Path

from playwright.sync_api import expect

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


def contrast_violations(page):
    """axe-core's color-contrast findings for the whole page, as (target, message)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations']})"
    )
    return [(n["target"], n["failureSummary"]) for v in result["violations"] for n in v["nodes"]]


def promotions(card_locator):
    """A conversation's promotion count: shown to everyone, beside Promote only where the
    server says the reader may promote (not their own conversation)."""
    return card_locator.locator("footer.actions .react.promote + .react.n")


def reaction(card_locator, name):
    """The Comments button, or a toggle: "Like 2" is the Like button once its count reads 2."""
    actions = card_locator.locator("footer.actions")
    label, _, count = name.partition(" ")
    if label not in ("Like", "Promote"):
        return actions.get_by_role("button", name=name)
    button = actions.get_by_role("button", name=label, exact=True)
    if count:
        expect(button.locator("xpath=following-sibling::button[1]")).to_have_text(count)
    return button
