"""The library's modules import each other without a cycle (type-only imports aside)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "dataset"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(path: Path, known: set[str]) -> set[str]:
    """The modules of the package PATH imports at run time, at any depth of its code."""
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name in known and name != _module_name(path)}


def graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {_module_name(p) for p in paths}
    return {_module_name(p): _imports(p, known) - {"dataset"} for p in paths}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def strong(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                strong(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            strong(node)
    return found


def test_no_import_cycle_in_the_library() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_graph_sees_function_level_imports() -> None:
    """`load()` reaches the frames through Package (a function-level import counts)."""
    edges = graph()
    assert "dataset.frames" in edges["dataset.datapackage"]
    assert "dataset.validation.registry" in edges["dataset.validation.runner"]


def _command_imports(source: str) -> list[str]:
    """What a command module imports from the package, as `module:name` (`dataset:load`, `._common:echo`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("dataset")):
            module = "." * node.level + (node.module or "")
            found += [f"{module}:{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [f"{alias.name}:" for alias in node.names if alias.name.startswith("dataset")]
    return found


def _outside_public_api(source: str) -> list[str]:
    import dataset

    return [
        item
        for item in _command_imports(source)
        if not item.startswith("._common:")
        and not (item.startswith("dataset:") and item.partition(":")[2] in dataset.PUBLIC)
    ]


def test_commands_import_only_the_public_api() -> None:
    """The command line is a client of the library: `from dataset import <public name>` and its own helpers."""
    reached = {
        path.name: wrong
        for path in sorted((PACKAGE / "commands").glob("*.py"))
        if (wrong := _outside_public_api(path.read_text(encoding="utf-8")))
    }
    assert reached == {}


def test_the_public_api_check_sees_a_private_import() -> None:
    code = (
        "from ..query import sql\nfrom dataset.read import read_table\nfrom dataset import load, _private\n"
    )
    assert _outside_public_api(code) == ["..query:sql", "dataset.read:read_table", "dataset:_private"]


def test_every_public_name_resolves_and_none_is_a_submodule() -> None:
    import pkgutil

    import dataset

    for name in dataset.PUBLIC:
        assert getattr(dataset, name) is not None, name
    submodules = {m.name for m in pkgutil.iter_modules(dataset.__path__)}
    assert not submodules & set(dataset.PUBLIC)
