"""The package's import graph: no cycle, and no private name used across modules.

Read from the source with `ast`, so imports inside functions count too: a cycle hidden behind a
deferred import is still a cycle (it only moves the failure to the first call). Imports under
`if TYPE_CHECKING:` are left out: they never run. Importing a submodule runs its package's
`__init__` too, but that implicit edge is not counted: only what a module names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from roi_xl.engine.iteration import components

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "roi_xl"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside `if TYPE_CHECKING:` blocks."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                skipped.update(id(n) for n in ast.walk(inner))
    return skipped


class Imports:
    """What each module of the package imports from the others: edges and names."""

    def __init__(self) -> None:
        self.edges: dict[str, set[str]] = {m: set() for m in MODULES}
        # (importer, where it is, the module, the private name)
        self.private: list[tuple[str, int, str, str]] = []
        for module, path in MODULES.items():
            self._read(module, ast.parse(path.read_text(encoding="utf-8")))

    def _read(self, module: str, tree: ast.AST) -> None:
        skipped = _type_checking_only(tree)
        aliases: dict[str, str] = {}  # local name -> one of our modules
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in MODULES:
                        self.edges[module].add(alias.name)
                        if alias.asname:
                            aliases[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                source = _absolute(module, node)
                if source not in MODULES:
                    continue
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    if sub in MODULES:
                        self.edges[module].add(sub)
                        aliases[alias.asname or alias.name] = sub
                        continue
                    self.edges[module].add(source)
                    if _private(alias.name) and source != module:
                        self.private.append((module, node.lineno, source, alias.name))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _private(node.attr)
                and aliases[node.value.id] != module
            ):
                self.private.append((module, node.lineno, aliases[node.value.id], node.attr))

    def cycles(self) -> list[list[str]]:
        """The strongly connected groups of more than one module, or of one importing itself (the
        engine's own Tarjan, iteration.components, over this graph)."""
        groups = components(sorted(self.edges), lambda m: sorted(self.edges[m]))
        return [sorted(g) for g in groups if len(g) > 1 or g[0] in self.edges[g[0]]]

    def path_within(self, component: list[str]) -> str:
        """One cycle through the component, spelled out, so a failure says where to cut."""
        members = set(component)
        start = component[0]
        trail = [start]
        seen = {start}
        while True:
            nxt = sorted(w for w in self.edges[trail[-1]] if w in members)
            back = [w for w in nxt if w == start]
            if back and len(trail) > 1:
                return " -> ".join(trail + [start])
            fresh = [w for w in nxt if w not in seen]
            if not fresh:
                return " -> ".join(trail + [nxt[0]]) if nxt else " -> ".join(trail)
            trail.append(fresh[0])
            seen.add(fresh[0])


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@pytest.fixture(scope="module")
def imports() -> Imports:
    return Imports()


def test_no_import_cycle(imports):
    cycles = imports.cycles()
    assert not cycles, "\n".join(imports.path_within(c) for c in cycles)


def test_no_private_name_imported_across_modules(imports):
    assert not imports.private, "\n".join(f"{m}:{line} uses {src}.{name}" for m, line, src, name in imports.private)


# The checker itself, on a small package written for the purpose: it must see what it claims to.
def test_the_checker_finds_a_deferred_cycle_and_a_private_name(tmp_path, monkeypatch):
    pkg = tmp_path / PACKAGE
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..a import _hidden\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import d\n")
    (pkg / "d.py").write_text("from roi_xl import c\nfrom . import a\n\ndef g():\n    return a._x\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["_"]), "ROOT", tmp_path)
    monkeypatch.setattr(
        __import__(__name__, fromlist=["_"]), "MODULES", {_module_name(p): p for p in sorted(pkg.rglob("*.py"))}
    )
    found = Imports()
    assert found.cycles() == [["roi_xl.a", "roi_xl.sub.b"]]
    assert sorted((m, src, name) for m, _, src, name in found.private) == [
        ("roi_xl.d", "roi_xl.a", "_x"),
        ("roi_xl.sub.b", "roi_xl.a", "_hidden"),
    ]
    assert found.edges["roi_xl.c"] == set()  # TYPE_CHECKING only
    assert found.edges["roi_xl.d"] == {"roi_xl.c", "roi_xl.a"}


def test_tests_share_helpers_through_support_only():
    """A test module imports helpers from tests/support (or its folder's helper modules), never
    another test module: running one file must not collect, or depend on, another's tests."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if any(n.startswith("tests.") and n.rsplit(".", 1)[-1].startswith("test_") for n in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found
