"""The `roi-xl import` command: parse the exports, map them into the plan, write a copy through
the engine's write-back (input cells only; every other part of the file byte for byte as it was)
and recalculate it."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..batch.report import printable
from ..errors import ImportFailed


@dataclass
class ImportResult:
    output: Path | None
    imported: int = 0
    skipped: int = 0
    failed_files: int = 0
    messages: list[str] = field(default_factory=list)
    backup: Path | None = None


def default_output(plan: Path) -> Path:
    return plan.with_name(f"{plan.stem}-imported{plan.suffix}")


def import_exports(plan: str | Path, exports: list[str | Path], out: str | Path | None = None, *,
                   in_place: bool = False, force: bool = False, **limits) -> ImportResult:
    """Import `exports` into a copy of `plan` at `out` (default PLAN-imported.xlsx), recalculated.
    With `in_place` the plan itself is replaced and its previous version kept beside it."""
    from ..errors import ExportError, WorkbookError
    from ..xlsx.guard import check
    from ..xlsx.writer import write_inputs
    from .mapping import map_exports
    from .parse import parse_export
    from .plan import read_plan

    plan = Path(plan)
    output = plan if in_place else Path(out) if out is not None else default_output(plan)
    if not plan.is_file():
        raise ImportFailed(f"{plan}: no such plan workbook")
    if not in_place and output.exists() and (output.resolve() == plan.resolve() or not force):
        why = "is the plan itself (use --in-place)" if output.resolve() == plan.resolve() \
            else "exists (use --force to replace it)"
        raise ImportFailed(f"{output}: the output {why}")
    try:
        check(plan)
        state = read_plan(plan)
    except WorkbookError as exc:
        raise ImportFailed(f"{plan}: {exc}") from None
    except (KeyError, OSError, ValueError) as exc:
        raise ImportFailed(f"{plan}: not a measurement plan roi-xl can fill ({exc})") from None

    result = ImportResult(None)
    parsed = []
    for path in map(Path, exports):
        try:
            export = parse_export(path, state.period, state.currency, **limits)
        except ExportError as exc:
            result.failed_files += 1
            result.messages.append(f"{path}: {exc}")
            continue
        except OSError as exc:
            result.failed_files += 1
            result.messages.append(f"{path}: cannot read it ({exc.strerror or exc})")
            continue
        parsed.append(export)
        result.imported += len(export.rows)
        result.skipped += len(export.skipped)
        result.messages.append(
            f"{path}: {export.layout.tool} export, {len(export.rows)} rows imported, "
            f"{len(export.skipped)} skipped" + (f", {export.totals} totals or notes lines left out"
                                                if export.totals else ""))
        result.messages += [f"{path}: {line}" for line in export.skipped]
    if state.period is None and parsed:
        result.messages.append(f"{plan}: the plan has no period (Start sheet), so no date was checked")
    edits = map_exports(parsed, state)
    result.messages += edits.notes + [f"{plan}: {p}" for p in edits.problems]
    if not edits.cells:
        result.messages.append(f"{plan}: nothing to import; no output written")
        return result

    if in_place:
        result.backup = _keep(plan)
    with tempfile.TemporaryDirectory(prefix=".roi-xl-import-", dir=output.parent) as tmp:
        filled = Path(tmp) / plan.name
        try:
            write_inputs(plan, filled, edits.cells)
            from .. import recalc

            recalc(filled, output)
        except ValueError as exc:  # a formula typed where an import writes (an Amount, a Count)
            raise ImportFailed(f"{plan}: nothing written: {exc}") from None
        except WorkbookError as exc:
            raise ImportFailed(f"{plan}: the filled copy could not be recalculated ({exc})") from None
    result.output = output
    return result


def _keep(plan: Path) -> Path:
    """Copy the plan to PLAN.backup-<time>.xlsx (never over an earlier backup) before replacing it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        backup = plan.with_name(f"{plan.stem}.backup-{stamp}{'' if n == 1 else f'-{n}'}{plan.suffix}")
        try:
            with open(plan, "rb") as src, open(backup, "xb") as dst:
                shutil.copyfileobj(src, dst)
        except FileExistsError:
            continue
        shutil.copystat(plan, backup)
        return backup
    raise ImportFailed(f"{plan}: no free name for its backup")


def add_import_parser(sub) -> None:
    p = sub.add_parser(
        "import", help="fill a plan's costs, actions, traffic and KPI actuals from ad-platform exports",
        description="Read CSV/XLSX exports of Meta Ads Manager, LinkedIn Campaign Manager, TikTok Ads "
                    "Manager, Google Ads and Google Analytics 4 and write their figures into a "
                    "recalculated copy of PLAN (the plan itself is left as it is).")
    p.add_argument("plan", metavar="PLAN", type=Path, help="the measurement-plan workbook")
    p.add_argument("--from", dest="exports", nargs="+", required=True, metavar="FILE",
                   help="export files (.csv or .xlsx)")
    p.add_argument("--out", type=Path, default=None, metavar="NEW_PLAN",
                   help="the filled copy (default: PLAN-imported.xlsx beside PLAN)")
    p.add_argument("--in-place", action="store_true",
                   help="replace PLAN itself; its previous version is kept as PLAN.backup-<time>.xlsx")
    p.add_argument("--force", action="store_true", help="replace NEW_PLAN if it exists")
    p.set_defaults(run=_cmd_import)


def _cmd_import(args: argparse.Namespace) -> int:
    if args.in_place and args.out is not None:
        print("roi-xl import: --out and --in-place exclude each other", file=sys.stderr)
        return 2
    try:
        result = import_exports(args.plan, args.exports, args.out, in_place=args.in_place,
                                force=args.force)
    except ImportFailed as exc:
        print(printable(f"roi-xl import: {exc}"), file=sys.stderr)
        return 2
    for line in result.messages:
        print(printable(line), file=sys.stderr)
    if result.backup:
        print(printable(f"the plan as it was is kept in {result.backup}"), file=sys.stderr)
    where = f" into {result.output}" if result.output else ""
    failed = f"; {result.failed_files} files could not be read" if result.failed_files else ""
    print(printable(f"{result.imported} rows imported, {result.skipped} skipped{where}{failed}"))
    return 0 if result.output and not result.failed_files else 1
