"""What a batch prints: progress and one line per workbook, in input order; every line made
printable, so that a file, sheet or link name cannot print a line of its own."""
from __future__ import annotations

import os
import re
import sys

from .work import FileResult

# Characters that would let a file name, sheet name or link target forge lines of the report:
# C0/C1 controls (newlines, ANSI escapes), line and paragraph separators, bidirectional overrides,
# and the bytes of a file name that are not UTF-8 (os.fsdecode keeps them as lone surrogates).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: object) -> str:
    """`text` as one safe line: every character above escaped (\\n, \\x1b, \\xff for a byte)."""
    def escape(m: re.Match) -> str:
        code = ord(m.group(0))
        if 0xDC80 <= code <= 0xDCFF:  # a byte of the name that is not UTF-8
            return f"\\x{code - 0xDC00:02x}"
        return _NAMED.get(m.group(0)) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return _UNPRINTABLE.sub(escape, str(text))


class Reporter:
    """Progress and per-file lines, in input order whatever order files finish in.

    On a terminal (stderr is a TTY): a tqdm bar (files done, failures, rate, time left) with
    failure and warning lines above it. Otherwise plain lines: one per workbook, the finished
    ones on stdout ("in -> out (n formulas, s)"), failures on stderr as "path: cause".
    """

    def __init__(self, total: int, stdout=None, stderr=None, bar: bool | None = None):
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.total = total
        self.failed = 0
        self.done = 0
        self._next = 0
        self._waiting: dict[int, FileResult] = {}
        if bar is None:
            bar = _isatty(self.stderr)
        self._bar = None
        if bar:
            from tqdm import tqdm

            # a terminal that reports no size (0 x 0: tqdm would then draw nothing) gets 100 x 24
            sized = min(_size(self.stderr)) > 0
            self._bar = tqdm(total=total, file=self.stderr, unit="file", dynamic_ncols=sized,
                             ncols=None if sized else 100, nrows=None if sized else 24,
                             smoothing=0.1, postfix={"failed": 0}, leave=True)
        # Finished-file lines would scroll the bar away on a shared terminal.
        self._ok_lines = self._bar is None or not _isatty(self.stdout)

    def add(self, index: int, result: FileResult) -> None:
        self.done += 1
        if not result.ok:
            self.failed += 1
        if self._bar is not None:
            self._bar.set_postfix({"failed": self.failed}, refresh=False)
            self._bar.update(1)
        self._waiting[index] = result
        while self._next in self._waiting:
            self._emit(self._waiting.pop(self._next))
            self._next += 1

    def _emit(self, result: FileResult) -> None:
        for warning in result.warnings:
            self._err(f"{result.path}: warning: {warning}")
        if result.ok:
            if self._ok_lines:
                print(printable(f"{result.path} -> {result.output} ({result.formulas} formulas, "
                                f"{result.seconds:.2f}s)"), file=self.stdout, flush=True)
        else:
            self._err(result.error_line())
            if result.traceback:  # asked for with --debug: as Python wrote it
                self._err(result.traceback, escape=False)

    def _err(self, line: str, escape: bool = True) -> None:
        line = printable(line) if escape else line
        if self._bar is not None:
            self._bar.write(line, file=self.stderr)
        else:
            print(line, file=self.stderr, flush=True)

    def close(self) -> None:
        for index in sorted(self._waiting):  # after an interruption: what did finish
            self._emit(self._waiting.pop(index))
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _size(stream) -> tuple[int, int]:
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError):
        return 0, 0
    return size.columns, size.lines


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
