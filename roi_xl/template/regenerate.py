"""Rewrite the committed template and examples: `python -m roi_xl.template.regenerate`.

workbook_templates/measurement_plan.xlsx is the empty plan; workbook_templates/examples/*.xlsx
are the three client plans, recalculated by roi-xl's engine so they carry computed values for
readers without the add-in. Output is deterministic: the same code gives the same bytes.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .build import normalize_zip, write_plan
from .examples import EXAMPLES, write_example

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = ROOT / "workbook_templates"
TEMPLATE = TEMPLATE_DIR / "measurement_plan.xlsx"
EXAMPLES_DIR = TEMPLATE_DIR / "examples"


def example_path(name: str, folder: Path = EXAMPLES_DIR) -> Path:
    return folder / f"{name}.xlsx"


def write_recalculated_example(name: str, path: Path) -> Path:
    """Write one example and fill its cached values with roi_xl.recalc."""
    import roi_xl

    with tempfile.TemporaryDirectory(prefix="roi-xl-example-") as tmp:
        raw = write_example(name, Path(tmp) / f"{name}.xlsx")
        out = Path(tmp) / "recalculated.xlsx"
        roi_xl.recalc(raw, out)
        path.write_bytes(normalize_zip(out.read_bytes()))
    return path


def regenerate(folder: Path = TEMPLATE_DIR, *, recalc: bool = True) -> list[Path]:
    folder = Path(folder)
    (folder / "examples").mkdir(parents=True, exist_ok=True)
    written = [write_plan(folder / TEMPLATE.name)]
    for name in EXAMPLES:
        path = example_path(name, folder / "examples")
        written.append(write_recalculated_example(name, path) if recalc
                       else write_example(name, path))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m roi_xl.template.regenerate",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TEMPLATE_DIR,
                        help="folder to write into (default: the repository's workbook_templates/)")
    parser.add_argument("--no-recalc", action="store_true",
                        help="write the examples without cached values")
    args = parser.parse_args(argv)
    for path in regenerate(args.out, recalc=not args.no_recalc):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
