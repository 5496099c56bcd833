"""The `roi-xl` command line: it only parses arguments and calls the library."""
from __future__ import annotations

import argparse
import json
import sys

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roi-xl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("functions", help="list the Excel functions roi-xl provides")
    p.add_argument("--json", action="store_true", help="machine-readable catalogue with argument help")
    p.set_defaults(run=_cmd_functions)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
