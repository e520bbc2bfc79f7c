"""The package's imports run one way: no module imports, at any depth, one that imports it.

Every ``import geo.x`` / ``from geo.x import y`` counts, at the top of a module or inside
a function (an import on use is still a dependency). The layers, from the bottom:

- the base (``_errors``, ``schema``, ``_io``, ``dates``, ``_atomic`` ...) and the data
  (``events``, ``filters``, ``border``, ``provinces``, ``context``, ``export``);
- ``analysis`` (enrichment, aggregates);
- ``render/`` (the page and the stills), which imports nothing of the library layer;
- the library layer (``api``, ``batch``, ``distributed``) and the command line (``cli``).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "geo"
#: What render/ must never import: the layers above it.
ABOVE_RENDER = {
    "geo.api",
    "geo.batch",
    "geo.distributed",
    "geo.cli",
    "geo.__main__",
    "geo.analysis",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (imports for annotations only)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for child in node.body for n in ast.walk(child)}
    return [n for n in ast.walk(tree) if id(n) not in skipped]


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The geo modules ``path`` imports at run time (``from geo.render import x`` counts
    ``geo.render`` and, when ``x`` is a module, ``geo.render.x``; ``from geo import _io``
    counts ``geo._io`` only: the package's own ``__init__`` loads its names lazily)."""
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "geo"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "geo":
                continue
            if node.module != "geo":
                found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names} & modules
    return {m for m in found if m in modules}


def _graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    return {_module_name(p): _imports(p, modules) - {_module_name(p)} for p in paths}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A circle of imports, as the list of modules around it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_the_import_graph_has_no_circle() -> None:
    graph = _graph()
    assert len(graph) > 30
    cycle = _cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_a_circle_would_be_found() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_render_imports_nothing_above_it() -> None:
    graph = _graph()
    offenders = {
        name: sorted(graph[name] & ABOVE_RENDER)
        for name in graph
        if name.startswith("geo.render") and graph[name] & ABOVE_RENDER
    }
    assert not offenders, offenders


def test_the_data_layer_imports_no_renderer() -> None:
    graph = _graph()
    below = (
        "geo.events",
        "geo.filters",
        "geo.border",
        "geo.provinces",
        "geo.context",
        "geo.export",
        "geo.schema",
    )
    offenders = {m: sorted(d for d in graph[m] if d.startswith("geo.render")) for m in below}
    assert not any(offenders.values()), offenders
