"""Browser tests: Debian's Chromium driven by Playwright against a live Chatter server."""

from pathlib import Path

import pytest

from tests.conftest import LiveServer, make_test_app, reset_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.path).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def make_live_server(tmp_path_factory, postgres_url, redis_url):
    """Start a Chatter server for this module: make_live_server(CHATTER_X=...)."""
    servers = []

    def start(**env):
        folder = tmp_path_factory.mktemp("chatter")
        app = make_test_app(folder, postgres_url, redis_url, **env)
        reset_database(app)
        servers.append(LiveServer(app))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def live_server(make_live_server):
    return make_live_server()


@pytest.fixture
def console_errors(page):
    """Console errors, page errors and CSP violations seen by `page` (asserted empty by tests)."""
    errors = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.add_init_script(
        "addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return errors
