"""Deflate of the parts the writer edits: zipfile's zlib (level 6, and level 1) against
xlsx.deflate's compressor (ISA-L level 2 where isal is installed), same bytes, same run.

    python bench/deflate_bench.py [--data /tmp/roi-bench] [--limits /tmp/roi-limits]

Reads the sheet parts of one template client (`engine_bench.py` writes /tmp/roi-bench/n1000) and of
the limits workbooks (`limits_bench.py` writes /tmp/roi-limits); prints ms per deflate (best of 5,
CPU time) and the deflated size of each.
"""
from __future__ import annotations

import argparse
import time
import zipfile
import zlib
from pathlib import Path

from roi_xl.xlsx import deflate


def _zlib(level: int):
    return lambda: zlib.compressobj(level, zlib.DEFLATED, -15)


def _best(make, parts: list[bytes]) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(5):
        t = time.process_time()
        size = 0
        for part in parts:
            c = make()
            size += len(c.compress(part)) + len(c.flush())
        best = min(best, time.process_time() - t)
    return best * 1000, size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/tmp/roi-bench")
    ap.add_argument("--limits", default="/tmp/roi-limits")
    args = ap.parse_args()
    sets: dict[str, list[bytes]] = {}
    client = Path(args.data) / "n1000" / "client_00000.xlsx"
    if client.exists():
        with zipfile.ZipFile(client) as z:
            sets["one template client's 9 sheets"] = [z.read(n) for n in z.namelist() if "worksheets/sheet" in n]
    for name, member in (("empty_rows", "xl/worksheets/sheet1.xml"), ("formulas_100k", "xl/worksheets/sheet2.xml")):
        path = Path(args.limits) / f"{name}.xlsx"
        if path.exists():
            with zipfile.ZipFile(path) as z:
                sets[f"{name} {member}"] = [z.read(member)]
    print(f"deflate: {deflate.IMPLEMENTATION}")
    print("| parts | MB | zlib 6 ms / KB | zlib 1 ms / KB | ours ms / KB | ours ÷ zlib 6 | ours ÷ zlib 1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, parts in sets.items():
        z6, s6 = _best(_zlib(6), parts)
        z1, s1 = _best(_zlib(1), parts)
        ours, so = _best(deflate.compressor, parts)
        mb = sum(map(len, parts)) / 1e6
        print(f"| {label} | {mb:.1f} | {z6:.2f} / {s6 // 1000} | {z1:.2f} / {s1 // 1000} | {ours:.2f} / {so // 1000} "
              f"| {ours / z6:.3f} | {ours / z1:.3f} |")


if __name__ == "__main__":
    main()
