"""The batch benchmark of issue 5: `roi-xl recalc` against a naive formulas baseline, LibreOffice
headless and the floor (read every input, write every output, no calculation), on the same files.

    python bench/recalc_bench.py [--data /tmp/roi-bench] [--sizes 100 1000]

Generates (once; kept in --data) 1,000 client workbooks from the template with varied inputs
(bench/generate.py); N = 100 is the first hundred of them. For each N, in one run:
(a) `roi-xl recalc DIR --out OUT` with --jobs 1 and with every core, (b) the naive baseline,
(c) LibreOffice recalculating and saving each workbook (one `soffice --convert-to xlsx` call, a private
profile that recalculates on load), (d) the floor. Every command is a subprocess under
/usr/bin/time -v: wall time and the peak resident memory of its largest process. The naive baseline
and LibreOffice run on the first --naive-max / --lo-max files of each N (their rate per file does
not depend on N); the others on all N. Prints a Markdown table and writes bench/results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from roi_xl.office import find_soffice, run_in_group, write_profile  # write_profile: the recalculating profile

ROOT = Path(__file__).resolve().parents[1]

from generate import generate  # noqa: E402  (bench/generate.py)

_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_CPU = re.compile(r"(?:User|System) time \(seconds\): ([\d.]+)")


def timed(cmd: list[str], timeout: float = 7200, env: dict | None = None) -> dict:
    """Run a command under /usr/bin/time -v: wall seconds, CPU seconds (user + system of the whole
    process tree: what counts on a machine shared with other work) and peak RSS (MB) of its largest
    process. The command runs in its own process group, ended whole if it runs over `timeout`."""
    start = time.perf_counter()
    try:
        returncode, stderr = run_in_group(["/usr/bin/time", "-v", *cmd], timeout, cwd=ROOT, env=env)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{' '.join(cmd[:4])}... ran over {timeout:g} s and was stopped") from None
    wall = time.perf_counter() - start
    if returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... failed ({returncode}):\n{stderr[-2000:]}")
    m = _RSS.search(stderr)
    cpu = sum(float(t) for t in _CPU.findall(stderr))  # user + system, children included
    return {"seconds": round(wall, 3), "cpu_seconds": round(cpu, 2),
            "peak_mb": round(int(m.group(1)) / 1024, 1) if m else None}


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def workbooks(data: Path, n: int) -> tuple[Path, list[Path]]:
    """A folder holding exactly the first n generated workbooks (hard links into the 1,000)."""
    everything = generate(max(n, 1000), data / "n1000", jobs=os.cpu_count() or 1)
    if n == len(everything):
        return data / "n1000", everything
    folder = fresh(data / f"n{n}")
    paths = []
    for src in everything[:n]:
        dst = folder / src.name
        os.link(src, dst)
        paths.append(dst)
    return folder, paths


def libreoffice(files: list[Path], out: Path, profile: Path, timeout: float = 7200) -> dict:
    soffice = find_soffice()
    if soffice is None:
        return {"skipped": "LibreOffice (soffice) is not installed"}
    return timed([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                  "--convert-to", "xlsx", "--outdir", str(out), *map(str, files)], timeout=timeout)


def run_size(n: int, data: Path, work: Path, jobs: int, naive_max: int, lo_max: int) -> dict:
    folder, files = workbooks(data, n)
    py = sys.executable
    roi = [py, "-m", "roi_xl.cli", "recalc", str(folder)]
    res: dict = {"n": n}
    res["roi_j1"] = {**timed([*roi, "--out", str(fresh(work / "j1")), "--jobs", "1"]), "files": n}
    res["roi_jall"] = {**timed([*roi, "--out", str(fresh(work / "jall")), "--jobs", str(jobs)]),
                       "files": n, "jobs": jobs}
    same = all((work / "j1" / f.name).read_bytes() == (work / "jall" / f.name).read_bytes() for f in files)
    res["roi_outputs_identical"] = same
    sub = files[:naive_max]
    res["naive"] = {**timed([py, "bench/baselines.py", "naive", str(fresh(work / "naive")), *map(str, sub)]),
                    "files": len(sub)}
    sub = files[:lo_max]
    profile = write_profile(Path(tempfile.mkdtemp(prefix="roi-bench-lo-")))
    try:
        res["libreoffice"] = {**libreoffice(sub, fresh(work / "lo"), profile), "files": len(sub)}
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    res["floor"] = {**timed([py, "bench/baselines.py", "floor", str(fresh(work / "floor")), *map(str, files)]),
                    "files": n}
    for key in ("roi_j1", "roi_jall", "naive", "libreoffice", "floor"):
        r = res[key]
        if "seconds" in r:
            r["per_s"] = round(r["files"] / r["seconds"], 2)
            r["cpu_ms_per_file"] = round(1000 * r["cpu_seconds"] / r["files"], 1)
    return res


def ratios(res: dict) -> dict:
    def rate(key):
        return res[key].get("per_s")

    def cpu(key):
        return res[key].get("cpu_ms_per_file")

    out = {}
    for ours in ("roi_j1", "roi_jall"):
        for base in ("naive", "libreoffice", "floor"):
            if rate(ours) and rate(base):
                out[f"{ours}/{base}"] = round(rate(ours) / rate(base), 2)
    for base in ("naive", "libreoffice", "floor"):
        if cpu("roi_j1") and cpu(base):
            out[f"cpu:{base}/roi_j1"] = round(cpu(base) / cpu("roi_j1"), 2)
    return out


def table(results: list[dict], jobs: int) -> str:
    rows = ["| N | what | workbooks | wall s | workbooks/s | CPU ms per workbook | peak MB (largest process) |",
            "|---|---|---:|---:|---:|---:|---:|"]
    names = {"roi_j1": "roi-xl recalc --jobs 1", "roi_jall": f"roi-xl recalc --jobs {jobs}",
             "naive": "naive formulas (load + calculate)", "libreoffice": "LibreOffice headless",
             "floor": "floor (read + write, no calculation)"}
    for res in results:
        for key, label in names.items():
            r = res[key]
            if "seconds" not in r:
                rows.append(f"| {res['n']} | {label} | - | - | - | - | {r.get('skipped')} |")
                continue
            rows.append(f"| {res['n']} | {label} | {r['files']} | {r['seconds']:.1f} | {r['per_s']:.1f} "
                        f"| {r['cpu_ms_per_file']:.0f} | {r['peak_mb']} |")
    rows.append("")
    rows.append("| N | measure | roi-xl faster than naive | roi-xl faster than LibreOffice "
                "| roi-xl time ÷ floor time |")
    rows.append("|---|---|---|---|---|")
    for res in results:
        q = res["ratios"]
        rows.append(f"| {res['n']} | wall (workbooks/s) | {q.get('roi_j1/naive')}× (-j1), "
                    f"{q.get('roi_jall/naive')}× (-j{jobs}) | {q.get('roi_j1/libreoffice')}× (-j1), "
                    f"{q.get('roi_jall/libreoffice')}× (-j{jobs}) | {1 / q['roi_j1/floor']:.2f} (-j1) |")
        rows.append(f"| {res['n']} | CPU per workbook (-j1) | {q.get('cpu:naive/roi_j1')}× "
                    f"| {q.get('cpu:libreoffice/roi_j1')}× | {1 / q['cpu:floor/roi_j1']:.2f} |")
    return "\n".join(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "roi-bench"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--naive-max", type=int, default=5)
    ap.add_argument("--lo-max", type=int, default=100)
    ap.add_argument("--json", default=str(ROOT / "bench" / "results.json"))
    args = ap.parse_args(argv)
    data = Path(args.data)
    work = data / "work"
    results = []
    for n in args.sizes:
        res = run_size(n, data, work, args.jobs, args.naive_max, args.lo_max)
        res["ratios"] = ratios(res)
        results.append(res)
        print(json.dumps(res), file=sys.stderr, flush=True)
    meta = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "load_average_at_end": os.getloadavg(), "command": " ".join(["python", *sys.argv])}
    Path(args.json).write_text(json.dumps({"meta": meta, "results": results}, indent=1) + "\n")
    print(table(results, args.jobs))
    if len(results) >= 2:
        small, large = results[0], results[-1]
        for key in ("roi_j1", "roi_jall"):
            print(f"peak memory {key}: N={large['n']} {large[key]['peak_mb']} MB vs N={small['n']} "
                  f"{small[key]['peak_mb']} MB ({large[key]['peak_mb'] / small[key]['peak_mb']:.2f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
