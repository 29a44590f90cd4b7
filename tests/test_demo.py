"""`chatter demo` shows what the README promises: every example page, linked and announced."""

import re
import threading
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chatter.cli import demo

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PAGES = sorted(p.name for p in (ROOT / "examples").glob("*.html") if p.name != "index.html")


def _host_example():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "host_example", ROOT / "examples" / "host_server.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_announces_every_example_page_and_the_cross_origin_intranet():
    from chatter.cli import demo_banner

    banner = demo_banner("http://127.0.0.1:5000", "http://127.0.0.1:5001")
    for name in EXAMPLE_PAGES:
        assert f"http://127.0.0.1:5000/examples/{name}" in banner, name
    assert "http://127.0.0.1:5001/" in banner


def test_the_readme_names_every_option_of_the_demo():
    readme = (ROOT / "README.md").read_text()
    demo_section = readme[readme.index("## The two commands") : readme.index("## The one tag")]
    for option in demo.params:
        assert f"--{option.name}" in demo_section, option.name


def test_the_examples_index_links_the_intranet_the_demo_serves(app):
    app.config["DEMO_INTRANET_URL"] = "http://127.0.0.1:5001/"
    index = app.test_client().get("/examples/").get_data(as_text=True)
    assert "host_server.py" not in index, "the demo already serves it: nothing to run by hand"
    assert '<a href="http://127.0.0.1:5001/">' in index
    del app.config["DEMO_INTRANET_URL"]
    assert "chatter demo" in app.test_client().get("/examples/").get_data(as_text=True)


def test_every_example_page_has_a_viewport_for_phones(app):
    client = app.test_client()
    pages = [client.get(f"/examples/{name}").get_data(as_text=True) for name in EXAMPLE_PAGES]
    server = _host_example().make_server("http://127.0.0.1:5000", Ed25519PrivateKey.generate())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/") as response:
            pages.append(response.read().decode())
    finally:
        server.shutdown()
        server.server_close()
    for html in pages:
        assert re.search(r'<meta name="viewport" content="width=device-width', html), html[:200]
