"""`roi-xl new` and `roi-xl check`: their parsers and what they run."""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from pathlib import Path


def _date(text: str) -> _dt.datetime:
    try:
        return _dt.datetime.combine(_dt.date.fromisoformat(text), _dt.time())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _currency(text: str) -> str:
    """A currency the template's drop-down lists (Start sheet), so that the plan validates."""
    from .spec import CURRENCIES

    code = text.strip().upper()
    if code not in CURRENCIES:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a currency the template lists: {', '.join(CURRENCIES)}")
    return code


def add_new_parser(sub) -> None:
    p = sub.add_parser("new", help="write a fresh measurement-plan workbook",
                       description="Write a fresh measurement-plan workbook (the template), "
                                   "optionally with client, currency and period filled in.")
    p.add_argument("out", metavar="OUT.xlsx", type=Path, help="the workbook to write")
    p.add_argument("--client", help="client name (Start sheet)")
    p.add_argument("--currency", type=_currency, default=None,
                   help="currency code from the template's list (EUR, USD, GBP...); money cells are "
                        "formatted for it (default EUR)")
    p.add_argument("--start", type=_date, metavar="DATE", help="period start, YYYY-MM-DD")
    p.add_argument("--end", type=_date, metavar="DATE", help="period end, YYYY-MM-DD")
    p.add_argument("--force", action="store_true", help="overwrite OUT.xlsx if it exists")
    p.set_defaults(run=_cmd_new)


def _cmd_new(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        print(f"roi-xl new: {out}: the file name must end in .xlsx", file=sys.stderr)
        return 2
    if out.exists() and not args.force:
        print(f"roi-xl new: {out} exists (use --force to overwrite)", file=sys.stderr)
        return 2
    if args.start and args.end and args.end < args.start:
        print("roi-xl new: --end is before --start", file=sys.stderr)
        return 2
    from .build import write_plan

    try:
        write_plan(out, client=args.client, currency=args.currency, start=args.start, end=args.end)
    except OSError as exc:
        print(f"roi-xl new: {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{out}: a new measurement plan. Next: fill in the Start sheet (client, period, currency), "
          "then Objectives, KPIs, Tactics, Metrics, Costs and Value in that order; "
          f"`roi-xl check {out}` says what is missing, `roi-xl recalc {out} --out DIR` computes it.")
    return 0


def add_check_parser(sub) -> None:
    p = sub.add_parser("check", help="apply the measurement plan's rules to workbooks",
                       description="Every objective has a KPI; every KPI an objective, channel, "
                                   "period, target, metric and two tactics; every metric a tool "
                                   "and frequency; every report an audience and cadence; every "
                                   "cost a category and a number. Exit 0 when clean, 1 with "
                                   "findings, 2 when a file cannot be read.")
    p.add_argument("workbooks", nargs="+", metavar="WORKBOOK", type=Path)
    p.add_argument("--json", action="store_true", help="findings as a JSON list")
    p.set_defaults(run=_cmd_check)


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import check_workbook

    findings, unreadable = [], False
    for path in args.workbooks:
        if not path.is_file():
            unreadable = True
            found = [{"file": str(path), "sheet": "", "row": None, "rule": "file",
                      "message": "no such file"}]
        else:
            found = [f.as_dict() for f in check_workbook(path)]
            unreadable |= any(f["rule"] == "file" for f in found)
        findings += found
        if not args.json:
            for f in found:
                where = f"{f['sheet']}!{f['row']}" if f["row"] else (f["sheet"] or "-")
                print(f"{f['file']}: {where}: {f['message']} [{f['rule']}]")
            if not found:
                print(f"{path}: ok")
    if args.json:
        json.dump(findings, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif findings:
        print(f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in "
              f"{len(args.workbooks)} workbook{'s' if len(args.workbooks) != 1 else ''}",
              file=sys.stderr)
    if unreadable:
        return 2
    return 1 if findings else 0
