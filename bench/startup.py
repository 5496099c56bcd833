"""Start-up of a cold one-file `roi-xl recalc` (issue 12): imports, before and after, and wall time
against LibreOffice headless on the same file, measured side by side in one run.

    python bench/startup.py [--before 0210f49] [--rounds 5] [FILE ...]

Compares this checkout's roi_xl with the one at --before (extracted with `git archive` to a
temporary folder; both byte-compiled first, as an installed wheel is, and each run with PYTHONPATH
pointing at its tree). For each tree:
- `python -X importtime -c "import roi_xl.cli"` and
  `python -X importtime -m roi_xl.cli recalc FILE --out DIR --jobs 1`: the sum of every module's own
  import time over the whole run (the forked worker's included), min and median over --rounds, and
  whether scipy was imported;
- the wall time of that recalc without -X importtime, rounds alternating with
  `soffice --headless --convert-to xlsx` on the same file (a private profile, warmed once, that
  recalculates on load: roi_xl.office.write_profile), median over --rounds, and the ratio.
FILE defaults to the retail example and a 3-formula workbook (written here) whose wall time is
nearly all start-up. Prints Markdown tables.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from recalc_bench import fresh, timed  # noqa: E402  (bench/recalc_bench.py)

from roi_xl.office import find_soffice, write_profile  # noqa: E402


def tree_at(rev: str, into: Path) -> Path:
    """roi_xl as committed at `rev`, extracted under `into`."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev, "roi_xl"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def compiled(tree: Path) -> Path:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "roi_xl")], check=True,
                   capture_output=True)
    return tree


def _python(tree: Path) -> list[str]:
    """Python with `tree` first on its path: -P keeps the current folder (this checkout) off it."""
    return ["env", f"PYTHONPATH={tree}", sys.executable, "-P"]


def import_seconds(tree: Path, args: list[str]) -> tuple[float, bool]:
    """(sum of the modules' own import times in s, whether scipy was imported) for one run."""
    check = subprocess.run([*_python(tree), "-c", "import roi_xl; print(roi_xl.__file__)"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout
    assert check.startswith(str(tree)), f"roi_xl came from {check.strip()}, not {tree}"
    run = subprocess.run([*_python(tree), "-X", "importtime", *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    total, scipy = 0, False
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            own, _, name = line[len("import time:"):].split("|")
            total += int(own)
            scipy = scipy or name.strip().split(".")[0] == "scipy"
    return total / 1e6, scipy


def tiny_workbook(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["A2"] = 1, 2
    sheet["B1"], sheet["B2"], sheet["B3"] = "=A1+A2", "=SUM(A1:A2)", '=IF(A1>0,"y","n")'
    book.save(path)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--before", default="0210f49", help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="roi-startup-"))
    files = args.files or [ROOT / "workbook_templates" / "examples" / "retail_ecommerce.xlsx",
                           tiny_workbook(work / "three_formulas.xlsx")]
    trees = {f"before ({args.before})": compiled(tree_at(args.before, work / "before")),
             "after (this checkout)": compiled(ROOT)}

    print("| tree | command | import s, min | import s, median | scipy imported |")
    print("|---|---|---:|---:|---|")
    for label, tree in trees.items():
        commands = {"import roi_xl.cli": ["-c", "import roi_xl.cli"]}
        commands.update({f"recalc {f.name}": ["-m", "roi_xl.cli", "recalc", str(f), "--out",
                                              str(work / "imp"), "--jobs", "1"] for f in files})
        for what, cmd in commands.items():
            runs = []
            for _ in range(args.rounds):
                fresh(work / "imp")
                runs.append(import_seconds(tree, cmd))
            seconds = [s for s, _ in runs]
            print(f"| {label} | `{what}` | {min(seconds):.3f} | {statistics.median(seconds):.3f} | "
                  f"{'yes' if any(s for _, s in runs) else 'no'} |")

    soffice = find_soffice()
    profile = write_profile(work / "lo-profile")
    lo = None if soffice is None else [soffice, f"-env:UserInstallation={profile.as_uri()}",
                                       "--headless", "--norestore", "--convert-to", "xlsx", "--outdir"]
    print("\n| file | what | wall s, median | CPU s, median | ÷ LibreOffice (wall) |")
    print("|---|---|---:|---:|---:|")
    for f in files:
        if lo is not None:
            timed([*lo, str(fresh(work / "lo")), str(f)])  # the profile's first start: not counted
        walls: dict[str, list[dict]] = {label: [] for label in trees}
        walls["LibreOffice"] = []
        for _ in range(args.rounds):
            for label, tree in trees.items():
                walls[label].append(timed([*_python(tree), "-m", "roi_xl.cli", "recalc",
                                           str(f), "--out", str(fresh(work / "out")), "--jobs", "1"]))
            if lo is not None:
                walls["LibreOffice"].append(timed([*lo, str(fresh(work / "lo")), str(f)]))
        median = {k: (statistics.median(r["seconds"] for r in v),
                      statistics.median(r["cpu_seconds"] for r in v)) for k, v in walls.items() if v}
        for label, (wall, cpu) in median.items():
            ratio = f"{wall / median['LibreOffice'][0]:.2f}" if "LibreOffice" in median else "-"
            print(f"| {f.name} | {label} | {wall:.2f} | {cpu:.2f} | {ratio} |")
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
