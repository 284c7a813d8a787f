"""The import graph keeps its shape: no package cycles, the vocabulary at the bottom, HTTP at the edge.

Imports are read with ``ast`` from the source (every import, also those inside functions or under
``TYPE_CHECKING``), so nothing has to be imported to check them. A node of the graph is a package
under ``trainer`` (``trainer.sessions``) or a top-level module (``trainer.engines``).
"""

from __future__ import annotations

import ast
import io
import itertools
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "trainer"

# The HTTP layer: the API kit, the web pages, the app, and each feature's controllers.
HTTP_PACKAGES = ("trainer.api", "trainer.web")
HTTP_MODULES = ("trainer.app",)
# Entry points may import anything: they wire the layers together.
ENTRY_POINTS = ("trainer.cli", "trainer.__main__", "trainer.commands")
HTTP_IMPORTS = ("litestar", "trainer.api", "trainer.web", "trainer.app")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> Iterator[str]:
    """Every module ``path`` imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def source_files() -> dict[str, set[str]]:
    return {
        module_name(path): set(imports_of(path))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
    }


MODULES = source_files()


def node_of(module: str) -> str | None:
    """The graph node of a trainer module: ``trainer.X`` for a package or a top-level module."""
    parts = module.split(".")
    if parts[0] != "trainer" or len(parts) < 2:
        return None
    return ".".join(parts[:2])


def is_within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def is_http(module: str) -> bool:
    return (
        is_within(module, HTTP_PACKAGES + HTTP_MODULES)
        or module.rsplit(".", 1)[-1].endswith("controller")
    )


def package_graph(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, imported in modules.items():
        source = node_of(module)
        if source is None:
            continue
        targets = graph.setdefault(source, set())
        for name in imported:
            target = node_of(name)
            # Only modules that exist count ("from trainer.x import Name" also yields trainer.x.Name).
            exists = name in modules or name.rsplit(".", 1)[0] in modules
            if target is not None and target != source and exists:
                targets.add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read() -> None:
    assert "trainer.sessions.service" in MODULES
    graph = package_graph(MODULES)
    assert "trainer.vocabulary" in graph["trainer.sessions"]
    assert "trainer.api" in graph["trainer.app"]


def test_no_package_imports_a_package_that_imports_it_back() -> None:
    assert cycles(package_graph(MODULES)) == []


def test_a_cycle_is_found() -> None:
    made_up = {
        "trainer.a.x": {"trainer.b.y"},
        "trainer.b.y": {"trainer.c.z"},
        "trainer.c.z": {"trainer.a.x"},
        "trainer.d.w": {"trainer.a.x"},
    }
    assert cycles(package_graph(made_up)) == [["trainer.a", "trainer.b", "trainer.c"]]


def test_the_vocabulary_imports_nothing_else_of_the_trainer() -> None:
    reaching_out = {
        module: sorted(
            name
            for name in imported
            if name.startswith("trainer") and not is_within(name, ("trainer.vocabulary",))
        )
        for module, imported in MODULES.items()
        if is_within(module, ("trainer.vocabulary",))
    }
    assert {module: names for module, names in reaching_out.items() if names} == {}


@pytest.mark.parametrize(
    "module",
    sorted(m for m in MODULES if not is_http(m) and not is_within(m, ENTRY_POINTS)),
)
def test_domain_code_imports_nothing_of_the_http_layer(module: str) -> None:
    http = sorted(name for name in MODULES[module] if is_within(name, HTTP_IMPORTS) or is_http(name))
    assert http == [], f"{module} reaches into the HTTP layer"


def test_the_http_layer_is_recognised() -> None:
    assert is_http("trainer.sessions.controller")
    assert is_http("trainer.web.practice_page")
    assert not is_http("trainer.sessions.service")


def test_no_module_is_over_500_lines() -> None:
    long = {
        module_name(path): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > 500
    }
    assert long == {}


def literal(token: tokenize.TokenInfo) -> str:
    """The text of a string token (an f-string's as written)."""
    prefix = token.string[: len(token.string) - len(token.string.lstrip("rRbBuUfF"))]
    if "f" in prefix.lower():
        return token.string[len(prefix) :].strip("'\"")
    value = ast.literal_eval(token.string)
    return value if isinstance(value, str) else ""


def split_words(path: Path) -> Iterator[str]:
    """Adjacent string literals that cut a word in two ("contemp" "lated"), so grep cannot find it."""
    skipped = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    source = io.StringIO(path.read_text()).readline
    tokens = [token for token in tokenize.generate_tokens(source) if token.type not in skipped]
    for first, second in itertools.pairwise(tokens):
        if first.type == second.type == tokenize.STRING:
            left, right = literal(first), literal(second)
            if left[-1:].isalpha() and right[:1].isalpha():
                yield f"{path.name}:{first.start[0]}: {left[-12:]!r} {right[:12]!r}"


def test_no_word_is_split_across_string_literals() -> None:
    assert [split for path in sorted(PACKAGE.rglob("*.py")) for split in split_words(path)] == []


def test_the_readme_layout_names_every_package_once() -> None:
    """Issue 13: the README's layout section describes the folders as they are."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1].strip() for line in layout.splitlines() if line.startswith("| `trainer/")]
    named = [cell.split("`")[1] for cell in rows]
    assert len(named) == len(set(named)), named
    packages = sorted(
        f"trainer/{path.name}/"
        for path in PACKAGE.iterdir()
        if path.is_dir() and (path / "__init__.py").exists()
    )
    assert [p for p in packages if f"`{p}`" not in layout] == []
