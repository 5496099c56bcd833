"""Plain workbooks for the one-evaluator benchmark (issue 12): no template, no catalogue function.

    python bench/plain_workbooks.py 10000 /tmp/roi-bench/plain [--seed 1]

Sheet `Data` holds a block of constants (DATA_ROWS rows under a header): A an id 1..DATA_ROWS, B a text key
"K0001", C a category, D a region, E an amount with two decimals, F a quantity 1..50. Sheet `Calc` holds
exactly N formula cells, COLUMNS to a row, each drawn (seeded) from a mix of arithmetic, SUM, IF,
lookups (VLOOKUP, INDEX/MATCH, XLOOKUP), SUMIFS/COUNTIFS and text (&, LEFT, UPPER, TEXT) over the data
block. A cell may also use a numeric formula cell to its left in the same row, so evaluation order
matters but no chain is longer than a row. The data block does not grow with N: time should grow
linearly with the formula count.

Deterministic: the same N and seed give the same formulas and constants (openpyxl's file bytes carry a
timestamp; the cells do not). Different seeds give different formulas, hence different formula keys.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

DATA_ROWS = 500
COLUMNS = 10
CATEGORIES = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")
REGIONS = ("north", "south", "east", "west")

_LAST = DATA_ROWS + 1  # the data block is Data!A2:F{_LAST}


def _col(letter: str) -> str:
    return f"Data!${letter}$2:${letter}${_LAST}"


def data_rows(seed: int) -> list[tuple]:
    """The constants of the data block, one tuple (id, key, category, region, amount, qty) a row."""
    rng = random.Random(seed)
    return [(i, f"K{i:04d}", rng.choice(CATEGORIES), rng.choice(REGIONS),
             round(rng.uniform(-200, 1000), 2), rng.randint(1, 50)) for i in range(1, DATA_ROWS + 1)]


def _formula(rng: random.Random, left: list[str]) -> tuple[str, str]:
    """One formula and its kind. `left` holds the addresses of numeric formula cells to the left in
    the row; kinds whose result is a number (or #N/A from a lookup miss, wrapped) may be used there."""
    r = rng.randint(2, _LAST)
    c = rng.randint(1, 99)
    kind = rng.choices(
        ("arith", "chain", "sum", "if", "vlookup", "index_match", "xlookup", "sumifs", "countifs",
         "text_join", "text_fmt"),
        weights=(14, 10, 10, 10, 8, 8, 5, 10, 7, 9, 9))[0]
    if kind == "chain" and not left:
        kind = "arith"
    if kind == "arith":
        f = rng.choice((f"=Data!E{r}*Data!F{r}+{c}", f"=(Data!E{r}-{c})/Data!F{r}",
                        f"=ROUND(Data!E{r}*{c}/100,2)-Data!F{r}^2"))
    elif kind == "chain":
        f = rng.choice((f"={rng.choice(left)}*{c}/100+Data!E{r}",
                        f"={rng.choice(left)}-{rng.choice(left)}/{c}",
                        f"=MAX({rng.choice(left)},Data!E{r})"))
    elif kind == "sum":
        a = rng.randint(2, _LAST - 60)
        b = a + rng.randint(4, 60)
        f = rng.choice((f"=SUM(Data!E{a}:E{b})", f"=SUM(Data!F{a}:F{b})*{c}",
                        f"=SUM(Data!E{a}:F{b},{c})"))
    elif kind == "if":
        f = rng.choice((f'=IF(Data!E{r}>{c * 5},Data!E{r}-{c},Data!F{r}*{c})',
                        f'=IF(AND(Data!F{r}>{c % 50},Data!C{r}="{rng.choice(CATEGORIES)}"),1,0)',
                        f'=IF(Data!D{r}="{rng.choice(REGIONS)}",Data!E{r},-Data!F{r})'))
    elif kind == "vlookup":
        key = rng.randint(1, DATA_ROWS + 20)  # a few ids are missing: #N/A, caught by IFERROR
        f = rng.choice((f"=IFERROR(VLOOKUP({key},Data!$A$2:$F${_LAST},5,FALSE),-1)",
                        f"=IFERROR(VLOOKUP({key},Data!$A$2:$F${_LAST},6,FALSE)*{c},0)"))
    elif kind == "index_match":
        key = f"K{rng.randint(1, DATA_ROWS):04d}"
        f = rng.choice((f'=INDEX({_col("E")},MATCH("{key}",{_col("B")},0))',
                        f'=INDEX({_col("F")},MATCH("{key}",{_col("B")},0))+{c}'))
    elif kind == "xlookup":
        key = rng.randint(1, DATA_ROWS + 20)
        f = f"=_xlfn.XLOOKUP({key},{_col('A')},{_col('E')},0)"
    elif kind == "sumifs":
        cat, reg = rng.choice(CATEGORIES), rng.choice(REGIONS)
        f = rng.choice((f'=SUMIFS({_col("E")},{_col("C")},"{cat}",{_col("F")},">{c % 50}")',
                        f'=SUMIFS({_col("F")},{_col("C")},"{cat}",{_col("D")},"{reg}")'))
    elif kind == "countifs":
        cat, reg = rng.choice(CATEGORIES), rng.choice(REGIONS)
        f = rng.choice((f'=COUNTIFS({_col("C")},"{cat}",{_col("D")},"{reg}")',
                        f'=COUNTIFS({_col("E")},">{c * 5}",{_col("F")},"<={c % 50}")'))
    elif kind == "text_join":
        f = rng.choice((f'=Data!B{r}&"-"&UPPER(LEFT(Data!C{r},3))',
                        f'=UPPER(Data!D{r})&" "&Data!F{r}*{c}',
                        f'=LEFT(Data!B{r},2)&LEN(Data!C{r})'))
    else:  # text_fmt
        f = rng.choice((f'=TEXT(Data!E{r},"0.00")', f'="Q"&Data!F{r}&": "&TEXT(Data!E{r}*{c},"#,##0.0")',
                        f'=TEXT(Data!F{r}/{c},"0.000")'))
    return f, kind


_NUMERIC = {"arith", "chain", "sum", "if", "vlookup", "index_match", "sumifs", "countifs"}


def formulas_for(n: int, seed: int) -> dict[str, str]:
    """The N formulas of sheet Calc by address (A1 order: row by row, COLUMNS a row)."""
    rng = random.Random(seed * 7919 + n)
    out: dict[str, str] = {}
    for row in range(1, (n + COLUMNS - 1) // COLUMNS + 1):
        left: list[str] = []
        for col in range(1, COLUMNS + 1):
            if len(out) == n:
                break
            f, kind = _formula(rng, left)
            address = f"{get_column_letter(col)}{row}"
            out[address] = f
            if kind in _NUMERIC:
                left.append(address)
    return out


def write_plain(path: str | Path, n: int, seed: int = 1) -> Path:
    """Write the plain workbook of N formula cells for `seed` to `path` (kept if it exists)."""
    path = Path(path)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Data"
    data.append(("id", "key", "category", "region", "amount", "qty"))
    for row in data_rows(seed):
        data.append(row)
    calc = wb.create_sheet("Calc")
    for address, formula in formulas_for(n, seed).items():
        calc[address] = formula
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return path


def plain_path(folder: str | Path, n: int, seed: int) -> Path:
    return Path(folder) / f"plain_{n}_s{seed}.xlsx"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("folder")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    print(write_plain(plain_path(args.folder, args.n, args.seed), args.n, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
