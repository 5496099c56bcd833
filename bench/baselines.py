"""The two in-process baselines of the batch benchmark (bench/recalc_bench.py runs each as its own
subprocess, so its time includes start-up and imports, as `roi-xl recalc`'s does).

    python bench/baselines.py naive OUT FILE...   # formulas loads and calculates each workbook afresh
    python bench/baselines.py floor OUT FILE...   # read every input, write every output, no calculation
    python bench/baselines.py formulas OUT FILE...  # plain formulas, no catalogue (bench/engine_bench.py)
    python bench/baselines.py ironcalc OUT FILE...  # IronCalc (pip install ironcalc): load, evaluate, save

naive: `formulas.ExcelModel().loads(path).finish().calculate()` per workbook, with our catalogue
registered once (without it our functions are #NAME?). It writes nothing, which only flatters it.
floor: the fastest reading we have (roi_xl.xlsx.read: every constant and formula text) and the
same writer as roi-xl (roi_xl.xlsx.writer.write_values) filling every formula cell with a
number, so that the files written are the same size of job as the real run's.
formulas: `formulas.ExcelModel().loads(path).finish().calculate()` as formulas comes, for workbooks that
use no catalogue function; it writes nothing either.
ironcalc: `ironcalc.load_from_xlsx(path)`, `evaluate()`, `save_to_xlsx(OUT/name)`: the Rust engine
through its Python binding, writing the recalculated copy (its values are compared with ours).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path


def naive(out: Path, files: list[Path]) -> None:
    import formulas

    from roi_xl.engine.bind import bind_catalogue

    bind_catalogue()
    for path in files:
        model = formulas.ExcelModel().loads(str(path)).finish()
        model.calculate()


def plain_formulas(out: Path, files: list[Path]) -> None:
    import formulas

    for path in files:
        formulas.ExcelModel().loads(str(path)).finish().calculate()


def ironcalc(out: Path, files: list[Path]) -> None:
    import ironcalc as ic

    for path in files:
        model = ic.load_from_xlsx(str(path))
        model.evaluate()
        model.save_to_xlsx(str(out / path.name))


def floor(out: Path, files: list[Path]) -> None:
    from roi_xl.engine import fastbook
    from roi_xl.xlsx.writer import write_values

    for path in files:
        book = fastbook.read(path)
        write_values(path, out / path.name, {cell: 1.0 for cell in book.formula_cells})


def main(argv: list[str]) -> int:
    kind, out, files = argv[0], Path(argv[1]), [Path(p) for p in argv[2:]]
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    {"naive": naive, "floor": floor, "formulas": plain_formulas, "ironcalc": ironcalc}[kind](out, files)
    print(f"{kind}: {len(files)} workbooks in {time.perf_counter() - start:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
