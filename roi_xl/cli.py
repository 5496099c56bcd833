"""The `roi-xl` command line: it only parses arguments and calls the library."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import functions


def _cmd_functions(args: argparse.Namespace) -> int:
    catalogue = functions()
    if args.json:
        json.dump([{
            "name": f.name, "signature": f.signature, "category": f.category,
            "summary": f.summary, "help": f.help, "array": f.array,
            "arguments": [{"name": a.name, "help": a.help, "optional": a.optional,
                           **({"default": a.default} if a.optional else {})} for a in f.args],
        } for f in catalogue], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max(len(f.signature) for f in catalogue)
    print(f"{'FUNCTION':<{width}}  HELP")
    for f in catalogue:
        print(f"{f.signature:<{width}}  {f.summary}")
    print(f"\n{len(catalogue)} functions in category \"{catalogue[0].category}\". "
          "`roi-xl functions --json` gives arguments and full help.")
    return 0


def _cmd_recalc(args: argparse.Namespace) -> int:
    from .batch import InputError, find_workbooks, recalc_file
    from .engine import ModelCache

    out_dir = Path(args.out)
    try:
        paths = find_workbooks(args.inputs, exclude=out_dir)
    except InputError as exc:
        print(f"roi-xl recalc: {exc}", file=sys.stderr)
        return 2
    out_dir.mkdir(parents=True, exist_ok=True)
    cache, failures, seen = ModelCache(), 0, {}
    for path in paths:
        clash = seen.get(path.name)
        if clash is not None:
            print(f"{path}: output name clash: {clash} also writes {out_dir / path.name}",
                  file=sys.stderr)
            failures += 1
            continue
        seen[path.name] = path
        result = recalc_file(path, out_dir, cache, debug=args.debug)
        for warning in result.warnings:
            print(f"{path}: warning: {warning}", file=sys.stderr)
        if result.ok:
            print(f"{path} -> {result.output} ({len(result.values)} formulas, {result.seconds:.2f}s)")
        else:
            failures += 1
            print(result.error_line(), file=sys.stderr)
    done = len(paths) - failures
    print(f"{done} of {len(paths)} workbooks recalculated into {out_dir}", file=sys.stderr)
    return 0 if failures == 0 else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roi-xl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("functions", help="list the Excel functions roi-xl provides")
    p.add_argument("--json", action="store_true", help="machine-readable catalogue with argument help")
    p.set_defaults(run=_cmd_functions)

    p = sub.add_parser("recalc", help="recalculate workbooks and write them, values filled in, to --out")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="workbook files, folders or glob patterns")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the recalculated copies")
    p.add_argument("--debug", action="store_true", help="show tracebacks for unexpected failures")
    p.set_defaults(run=_cmd_recalc)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
