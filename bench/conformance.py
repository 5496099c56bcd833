"""Conformance score: roi-xl's engine against the values Excel cached in Excel-saved workbooks.

    python bench/conformance.py ../shared/conformance/ironcalc [--jobs 2] [--timeout 60]
           [--timeout-per-cell 0.01] [--report conformance-report.json] [--show 20]
           [--min-score 0.95 | --check-recorded] [--record]

Every workbook under DIR is recalculated the way users' workbooks are (`roi_xl.engine.fastpath.compute`,
what `roi_xl.recalc` and the batch call: the translated plan, the formulas model where it falls back),
each in its own forked process with a time limit, and every formula cell (plus every cell of an
array formula's range, e.g. a spilled result) is compared with the value Excel saved in it:

- numbers: equal within a relative 1e-9 (|a-b| <= 1e-9 * max(|a|,|b|)); a result Excel shows as 0
  matches any |ours| < 1e-15, since Excel snaps the cancellation residue of + and - to zero
  (=0.1+0.2-0.3 is 0 in Excel, 5.5e-17 in IEEE arithmetic). 1e-9 is far above the
  last-digit noise of a different but correct summation order or series (~1e-15), and far below
  any real difference of formula semantics, so it neither forgives bugs nor punishes algorithms.
- dates and times: as serial numbers (the file stores them so), under the number rule;
- strings, booleans and error values: exactly (a number never matches its text).

A workbook that fails to load or exceeds the time limit counts all its cells as misses and is
named. Families are the folder under `calc_tests/` (MATH_AND_TRIGONOMETRY, ...); workbooks
directly in a folder are "general"; `calc_test_no_export/tables.xlsx` is "tables". The score is
the match rate over every family but ENGINEERING (functions roi-xl's users do not rely on).
The report also counts the workbooks and cells the plan computed and those that fell back to the
formulas model, by reason (fastpath.reason_of).
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from cached_values import cached_formula_cells  # noqa: E402

RECORDED = HERE / "conformance_score.json"
EXCLUDED_FROM_SCORE = {"ENGINEERING"}
REL_TOL = 1e-9
ZERO_SNAP = 1e-15


def family_of(rel: Path) -> str:
    if rel.parent.name == "calc_test_no_export":
        return rel.stem
    if len(rel.parts) >= 3:
        return rel.parts[-2]
    return "general"


# --- comparing -------------------------------------------------------------------------------------

def ours_typed(value) -> tuple[str, object]:
    """Our engine's value in the cached values' (kind, value) model."""
    from roi_xl.excel import XlError

    if isinstance(value, XlError):
        return "e", value.value
    if isinstance(value, bool):
        return "b", value
    if isinstance(value, (int, float)):
        return "n", float(value)
    if isinstance(value, str):
        return "s", value
    if value is None:
        return "n", 0.0
    return "?", repr(value)


def matches(excel: tuple[str, object], ours: tuple[str, object]) -> bool:
    (k1, v1), (k2, v2) = excel, ours
    if k1 != k2:
        return False
    if k1 != "n":
        return v1 == v2
    if not (math.isfinite(v1) and math.isfinite(v2)):
        return False
    if v1 == 0.0:
        return abs(v2) < ZERO_SNAP
    return abs(v1 - v2) <= REL_TOL * max(abs(v1), abs(v2))


# --- one workbook, in its own process --------------------------------------------------------------

def check_workbook(path: Path) -> dict:
    """Recalculate one workbook and compare every formula cell with Excel's cached value."""
    from roi_xl.engine import ModelCache, fastpath

    expected = cached_formula_cells(path)
    error, engine = None, None
    computed: dict = {}
    try:
        result = fastpath.compute(path, ModelCache(size=1))
        computed = result.cells
        engine = {"plan": result.fast, "reason": "" if result.fast else fastpath.reason_of(result.note)}
    except Exception as exc:  # a workbook the engine cannot recalculate: every cell misses
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    rows = []
    for cell in expected:
        excel = (cell.kind, cell.value)
        got = computed.get((cell.sheet, cell.cell), _MISSING)
        ours = ("missing", None) if got is _MISSING else ours_typed(got)
        rows.append({"sheet": cell.sheet, "cell": cell.cell, "formula": cell.formula,
                     "excel": _short(excel), "ours": _short(ours), "ok": matches(excel, ours)})
    return {"error": error, "cells": rows, "engine": engine}


_MISSING = object()


def _short(kind_value, limit: int = 300) -> list:
    """A value as stored in the report: long texts cut (a runaway REPT can be a gigabyte)."""
    kind, value = kind_value
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit] + f"... ({len(value)} characters)"
    return [kind, value]


def _child(path: Path, conn) -> None:
    import warnings

    warnings.simplefilter("ignore")  # numpy overflow chatter of formulas' functions
    try:
        conn.send(check_workbook(path))
    except BaseException as exc:  # the harness must report, never hang the parent
        conn.send({"error": f"harness: {type(exc).__name__}: {exc}", "cells": None})
    finally:
        conn.close()


def _cell_count(path: Path) -> int:
    try:
        return len(cached_formula_cells(path))
    except Exception:
        return 0


def _all_missed(path: Path, error: str) -> dict:
    try:
        cells = cached_formula_cells(path)
    except Exception:
        cells = []
    return {"error": error, "cells": [
        {"sheet": c.sheet, "cell": c.cell, "formula": c.formula, "excel": [c.kind, c.value],
         "ours": ["missing", None], "ok": False} for c in cells]}


def run_all(paths: list[Path], jobs: int, timeout: float, per_cell: float = 0.0,
            progress=None) -> dict[Path, dict]:
    """Each workbook in a forked child (imports done once in the parent), at most `jobs` at a
    time; a child over its limit (`timeout` seconds plus `per_cell` seconds per formula cell,
    so a 40,000-cell workbook gets longer than a 40-cell one) is killed and counted as all-miss."""
    import roi_xl.engine.fastpath  # noqa: F401  (imported once, inherited by every fork)
    from roi_xl.engine.bind import bind_catalogue

    bind_catalogue()
    ctx = mp.get_context("fork")
    pending = list(paths)
    running: dict = {}
    results: dict[Path, dict] = {}
    while pending or running:
        while pending and len(running) < jobs:
            path = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(path, child), daemon=True)
            proc.start()
            child.close()
            limit = timeout + per_cell * _cell_count(path)
            running[path] = (proc, parent, time.monotonic(), limit)
        from multiprocessing.connection import wait
        wait([r[1] for r in running.values()], timeout=0.2)
        for path, (proc, conn, started, limit) in list(running.items()):
            elapsed = time.monotonic() - started
            if conn.poll():
                try:
                    result = conn.recv()
                except EOFError:
                    result = None
                proc.join()
                if result is None or result.get("cells") is None:
                    err = (result or {}).get("error") or f"worker died (exit code {proc.exitcode})"
                    result = _all_missed(path, err)
            elif not proc.is_alive() or elapsed > limit:
                why = f"timed out after {limit:.0f} s" if proc.is_alive() else \
                    f"worker died (exit code {proc.exitcode})"
                proc.kill()
                proc.join()
                result = _all_missed(path, why)
            else:
                continue  # still running
            result["seconds"] = round(elapsed, 2)
            results[path] = result
            del running[path]
            if progress:
                progress(len(results), len(paths), path, result)
    return results


# --- reporting -------------------------------------------------------------------------------------

def _shown(kind_value) -> str:
    kind, value = kind_value
    if kind == "missing":
        return "(no value)"
    if kind == "s":
        return json.dumps(value)
    if kind == "b":
        return "TRUE" if value else "FALSE"
    if kind == "n":
        return repr(value)
    return str(value)


def summarise(root: Path, results: dict[Path, dict]) -> dict:
    families: dict[str, dict] = defaultdict(lambda: {"files": 0, "failed": 0, "cells": 0, "matches": 0})
    workbooks = []
    for path in sorted(results):
        rel = path.relative_to(root)
        res = results[path]
        fam = family_of(rel)
        cells = res["cells"]
        ok = sum(c["ok"] for c in cells)
        f = families[fam]
        f["files"] += 1
        f["failed"] += res["error"] is not None
        f["cells"] += len(cells)
        f["matches"] += ok
        workbooks.append({"workbook": str(rel), "family": fam, "cells": len(cells), "matches": ok,
                          "error": res["error"], "seconds": res.get("seconds"),
                          "engine": res.get("engine"),
                          "mismatches": [c for c in cells if not c["ok"]]})
    for f in families.values():
        f["rate"] = f["matches"] / f["cells"] if f["cells"] else 1.0

    def total(names):
        cells = sum(families[n]["cells"] for n in names)
        hits = sum(families[n]["matches"] for n in names)
        return {"cells": cells, "matches": hits, "rate": hits / cells if cells else 1.0}

    scored = [n for n in families if n not in EXCLUDED_FROM_SCORE]
    return {"families": dict(sorted(families.items())), "all": total(list(families)),
            "score": total(scored), "score_excludes": sorted(EXCLUDED_FROM_SCORE),
            "engines": engines(workbooks), "workbooks": workbooks}


def engines(workbooks: list[dict]) -> dict:
    """Workbooks and cells the plan computed, and those that fell back to formulas by reason
    (a workbook that failed to load or timed out has no engine: counted apart)."""
    out = {"plan": {"workbooks": 0, "cells": 0}, "formulas": {"workbooks": 0, "cells": 0},
           "unknown": {"workbooks": 0, "cells": 0}, "reasons": {}}
    for wb in workbooks:
        engine = wb.get("engine")
        side = "unknown" if not engine else "plan" if engine["plan"] else "formulas"
        out[side]["workbooks"] += 1
        out[side]["cells"] += wb["cells"]
        if side == "formulas":
            reason = out["reasons"].setdefault(engine["reason"] or "(no reason)",
                                               {"workbooks": 0, "cells": 0})
            reason["workbooks"] += 1
            reason["cells"] += wb["cells"]
    out["reasons"] = dict(sorted(out["reasons"].items(), key=lambda kv: -kv[1]["cells"]))
    return out


def read_baseline(path: Path) -> dict[str, float]:
    """Family -> rate from a BASELINE.md table (| family | files | failed | cells | matching | rate |)."""
    rates = {}
    for line in path.read_text().splitlines():
        cols = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        if len(cols) == 6 and cols[5].endswith("%"):
            name = "general" if cols[0].startswith("general") else cols[0]
            rates[name] = float(cols[5].rstrip("%")) / 100
    return rates


def print_report(report: dict, show: int, out=sys.stdout) -> None:
    p = _printer(out)
    p("## Workbooks")
    for wb in report["workbooks"]:
        rate = wb["matches"] / wb["cells"] if wb["cells"] else 1.0
        extra = f"  FAILED: {wb['error']}" if wb["error"] else ""
        p(f"{rate:7.1%}  {wb['matches']:6d}/{wb['cells']:<6d} {wb['seconds']:6.1f}s  {wb['workbook']}{extra}")
    if show:
        p("\n## Mismatches (first %d per workbook)" % show)
        for wb in report["workbooks"]:
            if not wb["mismatches"] or wb["error"]:
                continue
            p(f"{wb['workbook']}: {len(wb['mismatches'])} mismatches")
            for c in wb["mismatches"][:show]:
                p(f"  {c['sheet']}!{c['cell']}  {c['formula'][:90]}\n"
                  f"      excel {_shown(c['excel'])}   ours {_shown(c['ours'])}")
    base = report.get("baseline") or {}
    p("\n## Families")
    p("| family | files | failed | cells | matches | rate | plain formulas |")
    p("|---|---|---|---|---|---|---|")
    for name, f in report["families"].items():
        was = f"{base[name]:.1%}" if name in base else ""
        p(f"| {name} | {f['files']} | {f['failed']} | {f['cells']} | {f['matches']} | {f['rate']:.1%} "
          f"| {was} |")
    a, s = report["all"], report["score"]
    excl = ", ".join(report["score_excludes"])
    p(f"| **all** | | | {a['cells']} | {a['matches']} | {a['rate']:.2%} "
      f"| {base['all']:.1%} |" if "all" in base else
      f"| **all** | | | {a['cells']} | {a['matches']} | {a['rate']:.2%} | |")
    p(f"| **all but {excl}** | | | {s['cells']} | {s['matches']} | {s['rate']:.2%} "
      f"| {base.get('all but ' + excl, float('nan')):.1%} |")
    print_engines(report.get("engines"), p)
    failed = [wb for wb in report["workbooks"] if wb["error"]]
    if failed:
        p("\nFailed or timed out:")
        for wb in failed:
            p(f"- {wb['workbook']}: {wb['error']}")


def print_engines(engines: dict | None, p) -> None:
    if not engines:
        return
    total = sum(engines[k]["cells"] for k in ("plan", "formulas", "unknown")) or 1
    p("\n## Engines")
    for side, label in (("plan", "translated plan"), ("formulas", "formulas model (fallback)"),
                        ("unknown", "failed or timed out")):
        e = engines[side]
        p(f"{label}: {e['workbooks']} workbooks, {e['cells']} cells ({e['cells'] / total:.1%})")
    for reason, e in engines["reasons"].items():
        p(f"  {e['workbooks']:4d} workbooks {e['cells']:7d} cells  {reason}")


def _printer(out):
    return lambda *a: print(*a, file=out, flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path, help="folder of Excel-saved workbooks (searched recursively)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workbooks in parallel")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per workbook, plus:")
    ap.add_argument("--timeout-per-cell", type=float, default=0.01,
                    help="seconds per formula cell added to a workbook's time limit")
    ap.add_argument("--report", type=Path, default=Path("conformance-report.json"), help="JSON report")
    ap.add_argument("--show", type=int, default=10, help="mismatches listed per workbook (0: none)")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    ap.add_argument("--baseline", type=Path, help="BASELINE.md whose per-family rates to show beside")
    ap.add_argument("--only", default="", help="only workbooks whose path contains this text")
    gate = ap.add_mutually_exclusive_group()
    gate.add_argument("--min-score", type=float, help="exit 1 when the score is below this rate")
    gate.add_argument("--check-recorded", action="store_true",
                      help=f"exit 1 when the score is below the one recorded in {RECORDED.name}")
    ap.add_argument("--record", action="store_true", help=f"write the score to {RECORDED.name}")
    ap.add_argument("--from-report", type=Path,
                    help="print (and --record) a saved JSON report instead of recalculating")
    args = ap.parse_args(argv)

    if args.from_report:
        report = json.loads(args.from_report.read_text())
        if args.baseline:
            report["baseline"] = read_baseline(args.baseline)
        print_report(report, args.show)
        return _gate(report, args)
    root = args.dir.resolve()
    paths = sorted(p for p in root.rglob("*.xlsx") if args.only in str(p.relative_to(root)))
    if not paths:
        print(f"conformance: no .xlsx workbooks under {args.dir}", file=sys.stderr)
        return 2
    started = time.monotonic()
    def progress(done, total, path, result):
        if not args.quiet:
            print(f"[{done}/{total}] {result['seconds']:6.1f}s {path.relative_to(root)}"
                  + (f"  ({result['error']})" if result["error"] else ""), file=sys.stderr, flush=True)

    results = run_all(paths, max(1, args.jobs), args.timeout, args.timeout_per_cell, progress)
    wall = time.monotonic() - started
    report = summarise(root, results)
    report.update({"dir": str(args.dir), "wall_seconds": round(wall, 1), "jobs": args.jobs,
                   "timeout": args.timeout, "rel_tol": REL_TOL, "zero_snap": ZERO_SNAP,
                   "baseline": read_baseline(args.baseline) if args.baseline else None})
    print_report(report, args.show)
    plan, fallback = report["engines"]["plan"], report["engines"]["formulas"]
    print(f"\n{len(paths)} workbooks in {wall:.1f} s wall time with {args.jobs} jobs; "
          f"score {report['score']['rate']:.4%} ({report['score']['matches']}/{report['score']['cells']}); "
          f"plan {plan['workbooks']} workbooks / {plan['cells']} cells, formulas fallback "
          f"{fallback['workbooks']} / {fallback['cells']}")
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=1, default=str))
    print(f"report: {args.report}")
    return _gate(report, args)


def plan_share(report: dict) -> float:
    """The share of the formula cells the translated plan computed (the rest: formulas' model)."""
    engines = report["engines"]
    total = sum(engines[e]["cells"] for e in ("plan", "formulas", "unknown"))
    return engines["plan"]["cells"] / total if total else 1.0


def _gate(report: dict, args) -> int:
    score, share = report["score"]["rate"], plan_share(report)
    if args.record:
        RECORDED.write_text(json.dumps({"score": math.floor(score * 1e6) / 1e6,  # never above
                                        "cells": report["score"]["cells"],
                                        "matches": report["score"]["matches"],
                                        "excludes": report["score_excludes"],
                                        "plan_share": math.floor(share * 1e4) / 1e4}, indent=1) + "\n")
        print(f"recorded score {score:.4%} and plan share {share:.2%} in {RECORDED}")
    floor, share_floor = args.min_score, None
    if args.check_recorded:
        recorded = json.loads(RECORDED.read_text())
        floor, share_floor = recorded["score"], recorded.get("plan_share")
    if floor is not None and score + 1e-12 < floor:
        print(f"conformance: score {score:.4%} is below the recorded {floor:.4%}", file=sys.stderr)
        return 1
    if share_floor is not None and share + 1e-12 < share_floor:
        # the same values through formulas' fallback keep the score: this catches a plan that broke
        reasons = sorted(report["engines"].get("reasons", {}).items(), key=lambda kv: -kv[1]["cells"])[:3]
        print(f"conformance: the plan computed {share:.2%} of the formula cells, below the recorded "
              f"{share_floor:.2%}; most cells fell back for: "
              + "; ".join(f"{reason} ({n['cells']} cells)" for reason, n in reasons), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
