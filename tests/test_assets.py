"""The loader, the widget and the examples as served: one bundled module, gzip when accepted."""

import gzip
import re
from pathlib import Path

import pytest

from chatter.bundler import (
    BUNDLE,
    FIRST_LOAD_BUDGET,
    LATER,
    LOADER_BUDGET,
    bundle,
    bundle_later,
    compact,
    current_widget,
)

ROOT = Path(__file__).resolve().parents[1]
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def served_paths():
    widget = current_widget()
    return [
        "/embed.js",
        "/examples/intranet.css",
        *(f"/widget/{widget.version}/{name}" for name in widget.files),
    ]


@pytest.mark.parametrize("path", served_paths())
def test_gzip_when_accepted_else_the_identical_plain_file(client, path):
    plain = client.get(path)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.vary
    packed = client.get(path, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.vary
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data)
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["Cache-Control"] == plain.headers["Cache-Control"]
    assert packed.headers["Content-Type"] == plain.headers["Content-Type"]


def test_plain_bodies_are_the_files(client):
    widget = current_widget()
    core = {p.name: p.read_text() for p in (ROOT / "widget").glob("*.js")}
    later = {p.name: p.read_text() for p in (ROOT / "widget" / LATER).glob("*.js")}
    for name in widget.files.keys() - {BUNDLE}:
        served = client.get(f"/widget/{widget.version}/{name}").text
        if name.startswith(LATER):
            name = name.removeprefix(LATER)
            assert served == compact(bundle_later(name, later[name], core, later))
        else:
            assert served == compact(core[name])
    css = (ROOT / "examples" / "intranet.css").read_bytes()
    assert client.get("/examples/intranet.css").data == css


@pytest.mark.parametrize(
    ("accept", "compressed"),
    [
        ("gzip", True),
        ("*", True),
        ("br, gzip;q=0.5", True),
        ("gzip;q=0", False),
        ("*;q=0.5, gzip;q=0", False),
        ("br", False),
        ("identity", False),
        ("", False),
    ],
)
def test_accept_encoding_is_read_by_quality(client, accept, compressed):
    response = client.get("/embed.js", headers={"Accept-Encoding": accept})
    assert (response.headers.get("Content-Encoding") == "gzip") is compressed


def test_caching_is_per_representation(client):
    widget = current_widget()
    url = f"/widget/{widget.version}/{BUNDLE}"
    for headers in ({}, GZIP):
        first = client.get(url, headers=headers)
        assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        again = client.get(url, headers={**headers, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
    plain_etag = client.get("/embed.js").headers["ETag"]
    assert client.get("/embed.js", headers={**GZIP, "If-None-Match": plain_etag}).status_code == 200
    assert client.get("/embed.js").headers["Cache-Control"] == "public, max-age=300"


def test_the_first_load_stays_within_its_budget(client):
    loader = client.get("/embed.js", headers=GZIP).data
    widget = client.get(f"/widget/{current_widget().version}/{BUNDLE}", headers=GZIP).data
    assert len(loader) <= LOADER_BUDGET
    assert len(loader) + len(widget) <= FIRST_LOAD_BUDGET == 25 * 1024


def test_the_loader_imports_the_current_bundle_and_nothing_else(client):
    widget = current_widget()
    loader = client.get("/embed.js").text
    assert f"widget/{widget.version}/{BUNDLE}" in loader
    assert "%WIDGET" not in loader
    assert client.get(f"/widget/{'0' * 12}/{BUNDLE}").status_code == 404  # an old hash
    assert client.get(f"/widget/{widget.version}/nope.js").status_code == 404
    assert client.get(f"/widget/{widget.version}/..%2Fembed.js").status_code == 404


def core_modules_of_later_ones(*names):
    """The core modules (names without .js) that widget/later/ modules (or those named) import."""
    sources = [(ROOT / "widget" / LATER / name).read_text() for name in names] or [
        p.read_text() for p in (ROOT / "widget" / LATER).glob("*.js")
    ]
    core = re.compile(r"from '\.\./([\w-]+)\.js'")
    return sorted({name for source in sources for name in core.findall(source)})


def test_the_bundle_holds_every_module_once_in_dependency_order():
    code = current_widget().files[BUNDLE].body.decode()
    names = sorted(p.name for p in (ROOT / "widget").glob("*.js"))
    starts = {name: code.index(f"const ${name.removesuffix('.js')} = (() => {{") for name in names}
    assert [code.count(f"const ${n.removesuffix('.js')} = ") for n in names] == [1] * len(names)
    assert starts["dom.js"] < starts["parts.js"] < starts["card.js"] < starts["element.js"]
    assert "\nimport " not in code
    # the one export: the core modules that later modules import
    shared = ", ".join(f"${name}" for name in core_modules_of_later_ones())
    assert code.count("\nexport ") == 1 and code.endswith(f"\nexport {{ {shared} }};\n")


def test_later_modules_are_served_beside_the_bundle_not_in_it(client):
    widget = current_widget()
    later = sorted(p.name for p in (ROOT / "widget" / LATER).glob("*.js"))
    assert {"attachments.js", "lightbox.js", "people.js", "picker.js", "thread.js"} <= set(later)
    code = widget.files[BUNDLE].body.decode()
    for function in ("lightbox", "person", "who", "picker"):
        assert f"function {function}(" not in code
    for name in ("class Thread", "class Attachments", ".tray {", ".thread {"):
        assert name not in code
    for name in later:
        response = client.get(f"/widget/{widget.version}/{LATER}{name}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        used = ", ".join(f"${n}" for n in core_modules_of_later_ones(name))
        if used:
            assert response.text.startswith(f"import {{ {used} }} from '../{BUNDLE}';\n")
        else:
            assert f"'../{BUNDLE}'" not in response.text  # sheet.js: needs nothing of the core
    assert client.get(f"/widget/{widget.version}/{LATER}nope.js").status_code == 404


def test_a_later_module_takes_core_modules_from_the_bundle():
    code = bundle_later(
        "card.js",
        "import { a, b as c } from '../lib.js';\nimport { d } from './more.js';\n"
        "export function card() { return [a, c, d]; }\n",
        core={"lib.js": ""},
        later={"card.js": "", "more.js": ""},
    )
    assert code == (
        f"import {{ $lib }} from '../{BUNDLE}';\n"
        "const { a, b: c } = $lib;\nimport { d } from './more.js';\n"
        "export function card() { return [a, c, d]; }\n"
    )


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("import { a } from '../nope.js';\n", "../nope.js, which does not exist"),
        ("import { a } from './nope.js';\n", "./nope.js, which does not exist"),
        ("import a from '../lib.js';\n", "use `import"),
        ("const m = import('../lib.js');\n", "use `import"),
    ],
)
def test_a_later_module_refuses_imports_it_cannot_take(source, error):
    with pytest.raises(ValueError, match=error):
        bundle_later("card.js", source, core={"lib.js": ""}, later={"card.js": ""})


def test_only_the_loader_module_may_import_dynamically():
    loader = (
        "const LATER = 'l/';\n"
        "export const later = (name) => import(new URL(LATER + name, import.meta.url).href);\n"
    )
    assert "import(new URL" in bundle({"later.js": loader})
    with pytest.raises(ValueError, match="knows only"):
        bundle({"other.js": loader})


MODULES = {
    "main.js": "import { a, b as c } from './lib.js';\nimport { d } from './more.js';\n"
    "const x = 1;\nconsole.log(a, c, d, x);\n",
    "lib.js": "const x = 2;\nexport const a = x;\nexport function b() {}\n",
    "more.js": "import { a } from './lib.js';\nexport class d {}\nexport async function e() {}\n",
}


def test_bundle_rewrites_imports_and_exports_into_scopes():
    code = bundle(MODULES)
    assert code == (
        "const $lib = (() => {\nconst x = 2;\nconst a = x;\nfunction b() {}\n"
        "return { a, b };\n})();\n"
        "const $more = (() => {\nconst { a } = $lib;\nclass d {}\nasync function e() {}\n"
        "return { d, e };\n})();\n"
        "const $main = (() => {\nconst { a, b: c } = $lib;\nconst { d } = $more;\n"
        "const x = 1;\nconsole.log(a, c, d, x);\nreturn {};\n})();\n"
    )


@pytest.mark.parametrize(
    ("modules", "error"),
    [
        (
            {"a.js": "import { b } from './b.js';\n", "b.js": "import { a } from './a.js';\n"},
            "cycle",
        ),
        ({"a.js": "import { b } from './b.js';\n"}, "does not exist"),
        ({"a.js": "export default 1;\n"}, "knows only"),
        ({"a.js": "export let n = 1;\n"}, "knows only"),
        ({"a.js": "export { x };\n"}, "knows only"),
        ({"a.js": "import x from './b.js';\n", "b.js": ""}, "knows only"),
        ({"a.js": "const m = import('./b.js');\n", "b.js": ""}, "knows only"),
        ({"a.js": "console.log(import.meta.url);\n"}, "knows only"),
        ({"a.js": "const $b = 1;\n", "b.js": ""}, "bundle's own names"),
    ],
)
def test_bundle_refuses_what_it_cannot_rewrite(modules, error):
    with pytest.raises(ValueError, match=error):
        bundle(modules)


def test_compacting_drops_doc_comments_of_one_line_or_several_and_keeps_code():
    source = """/**
     * Several lines of a doc comment,
     * with code-like words: const x = 1;
     */
    export function f() {
      /** one line */
      // a line comment
      return `a // b`;
    }
    """
    assert compact(source) == "export function f() {\nreturn `a // b`;\n}\n"
