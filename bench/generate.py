"""Generate N client workbooks from the measurement-plan template, with varied inputs.

Each client starts from one of the three bundled example plans (roi_xl.template.examples) and gets
its own name, currency, period, figures scaled by a random factor per cell, some rows dropped
(clients fill different numbers of costs, tactics, actions...), and now and then a blank or a zero
where a figure was. Deterministic for a given seed: the same N and seed give the same files.

    python bench/generate.py 1000 /tmp/roi-bench/n1000 [--seed 5] [--jobs 2]
"""
from __future__ import annotations

import argparse
import datetime as _dt
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from roi_xl.template.build import PlanInputs, build_workbook, write_workbook
from roi_xl.template.examples import EXAMPLES

CURRENCIES = ("EUR", "USD", "GBP", "NOK", "SEK", "CHF")


def _vary_number(rng: random.Random, value):
    roll = rng.random()
    if roll < 0.04:
        return None          # a figure left blank
    if roll < 0.06:
        return 0             # or typed as zero
    scaled = value * rng.uniform(0.5, 1.6)
    return round(scaled) if isinstance(value, int) else round(scaled, 4)


def client_plan(index: int, seed: int) -> PlanInputs:
    rng = random.Random(seed * 1_000_003 + index)
    base = EXAMPLES[sorted(EXAMPLES)[index % len(EXAMPLES)]]
    fields = dict(base.fields)
    fields["client"] = f"Client {index:05d}"
    fields["currency"] = rng.choice(CURRENCIES)
    start = _dt.datetime(2024, 1, 1) + _dt.timedelta(days=rng.randrange(0, 540))
    fields["start"], fields["end"] = start, start + _dt.timedelta(days=rng.choice((90, 181, 364)))
    for key in ("revenue_at_risk", "forgone_returns"):
        if isinstance(fields.get(key), (int, float)):
            fields[key] = _vary_number(rng, fields[key])
    tables = {}
    for name, rows in base.tables.items():
        keep = len(rows) if len(rows) <= 2 else rng.randint(max(2, len(rows) * 2 // 3), len(rows))
        out = []
        for row in rows[:keep]:
            row = dict(row)
            for key, value in list(row.items()):
                if isinstance(value, (int, float)) and not isinstance(value, bool) \
                        and key not in ("weight", "allocation"):
                    varied = _vary_number(rng, value)
                    if varied is None:
                        del row[key]
                    else:
                        row[key] = varied
            out.append(row)
        tables[name] = out
    return PlanInputs(fields, tables)


def _write(args: tuple[int, int, str]) -> str:
    index, seed, folder = args
    path = Path(folder) / f"client_{index:05d}.xlsx"
    if not path.exists():
        write_workbook(build_workbook(client_plan(index, seed)), path)
    return str(path)


def generate(n: int, folder: str | Path, seed: int = 5, jobs: int = 1) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    work = [(i, seed, str(folder)) for i in range(n)]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            return [Path(p) for p in pool.map(_write, work, chunksize=8)]
    return [Path(_write(w)) for w in work]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("folder")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args(argv)
    paths = generate(args.n, args.folder, args.seed, args.jobs)
    print(f"{len(paths)} workbooks in {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
