"""The rooms stay apart: what a module pulls in when imported on its own (README: Development)."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("module", "never"),
    [
        ("chatter.conversations", "chatter.read"),  # writes never import the read model
        ("chatter.media.uploads", "chatter.read"),
        ("chatter.bundler", "chatter.demo"),  # serving JavaScript needs no seed data
        ("chatter.media.images", "chatter.db"),  # decoding pictures touches no database
    ],
)
def test_a_module_does_not_pull_in_another_room(module, never):
    code = (
        f"import sys, {module}; "
        f"print(sorted(m for m in sys.modules if m == {never!r} or m.startswith({never!r} + '.')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]", f"{module} imports {found.stdout.strip()}"
