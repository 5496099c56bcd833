"""roi_xl/batch imports one way only: command -> executors, report, files -> work; the history's
record takes plain results and imports no batch module back. Deferred imports count too."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(relative: str) -> set[tuple[str, str]]:
    """(module, name) pairs that a file imports anywhere in its text, modules resolved to roi_xl.*."""
    path = ROOT / relative
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                found.add((module, alias.name))
        elif isinstance(node, ast.Import):
            found.update((alias.name, "") for alias in node.names)
    return found


def _batch_modules(relative: str) -> set[str]:
    """The roi_xl.batch modules `relative` imports (`from . import executors` names one too)."""
    out = set()
    for module, name in _imports(relative):
        if module == "roi_xl.batch" and name:
            out.add(name)
        elif module.startswith("roi_xl.batch."):
            out.add(module.rsplit(".", 1)[1])
    return out


def test_the_batch_modules_import_one_way():
    assert _batch_modules("roi_xl/batch/work.py") == set()
    assert _batch_modules("roi_xl/batch/files.py") == set()
    assert _batch_modules("roi_xl/batch/report.py") == {"work"}
    assert _batch_modules("roi_xl/batch/executors.py") == {"work"}
    assert _batch_modules("roi_xl/batch/command.py") == {"executors", "files", "report", "work"}
    assert _imports("roi_xl/batch/__init__.py") == set()


def test_the_history_record_does_not_import_the_batch():
    assert not any(m.startswith("roi_xl.batch") for m, _ in _imports("roi_xl/history/record.py"))


def test_no_private_name_crosses_a_module():
    files = [*(ROOT / "roi_xl" / "batch").glob("*.py"), ROOT / "roi_xl" / "history" / "record.py",
             ROOT / "roi_xl" / "history" / "command.py", ROOT / "roi_xl" / "errors.py"]
    crossing = sorted(f"{f.name}: {m}.{n}" for f in files for m, n in _imports(str(f.relative_to(ROOT)))
                      if m.startswith("roi_xl") and n.startswith("_") and n != "__future__")
    assert crossing == []
