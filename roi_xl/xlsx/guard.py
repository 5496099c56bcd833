"""Checks a file must pass before any reader opens it: is it a workbook we can read, and is it safe.

Client workbooks come from many hands. Before openpyxl, calamine or our own XML reader see a file,
`check` looks at it cheaply (the zip directory, the start of each XML part, one streaming pass over
each sheet's bytes) and refuses, with one plain sentence, what is not an .xlsx/.xlsm package
(an empty file, a damaged zip, .xls, .ods, .xlsb, CSV, an encrypted workbook) and what could hurt
the machine:

* XML with a DTD: entity bombs ("billion laughs") and external entities (XXE) both need one, and
  Office Open XML parts never carry one;
* zip bombs: the parts' total uncompressed size and each large part's compression ratio are
  capped, from the sizes the zip declares (Python's zipfile never inflates past a declared size);
* huge sheets: cells are counted while streaming the bytes of every XML part (so whichever part
  a reader takes for a sheet is counted; an array formula counts every cell of its range), and
  formulas longer than the limit (Excel's own: 8,192 characters) are refused before a formula
  parser sees them;
* ambiguous packages: two members naming one part (by package.part_key, the name every reader
  of ours looks parts up by) are refused, so no reader can be shown a decoy.

`checked` leaves the file open (xlsx/input_zip.InputZip) for the readers and the writer of the
workbook: they take the parts it inflated and the lean split of each big sheet part made from the
chunks it counted, so what they read is what was checked, inflated once.

Each limit has a default in `Limits` and a `roi-xl recalc` option to raise it. The readers keep
their own protection as well: openpyxl parses through defusedxml when it is installed (it is a
dependency), and every lxml parser here resolves no entities and reads no network.
"""
from __future__ import annotations

import codecs
import functools
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from roi_xl.errors import UnsafeWorkbook, first_line
from roi_xl.excel import address
from roi_xl.memory import size_text
from roi_xl.references import MAX_COL, MAX_ROW, range_boundaries

from .input_zip import HOLD_BELOW, InputZip
from .lean import LeanReader, empty_stretches
from .part_stream import CHUNK, SourcePart, lean_reader

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # OLE2 compound file: .xls, encrypted OOXML
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")         # a zip (or an empty zip)
EXCEL_FORMULA_LIMIT = 8_192                             # Excel's own limit on a formula's length
RATIO_GRACE = 1 << 20        # parts smaller than this may compress as well as they like
_HEAD = 64 * 1024            # an XML part's root element must start within this many bytes
_CHUNK = CHUNK               # a big part's bytes counted at a time (part_stream's)
# a damaged member: bad CRC, bad deflate data, an unknown compression method or encryption
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class Limits:
    """What one workbook may cost; each is raised with the `roi-xl recalc` option named."""
    max_size: int = 256 * 1024 * 1024        # --max-size: uncompressed bytes of all parts
    # --max-ratio: uncompressed/compressed, parts > 1 MB. Deflate tops out near 1,030:1, which is
    # where bombs sit; a sheet of one text repeated reaches 300:1, so the cap is well above that.
    max_ratio: float = 500.0
    max_cells: int = 1_000_000               # --max-cells: cells in all sheets
    max_formula_length: int = EXCEL_FORMULA_LIMIT  # --max-formula-length: characters

    def __post_init__(self):
        for name in ("max_size", "max_ratio", "max_cells", "max_formula_length"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")


def check(path: str | os.PathLike, limits: Limits = Limits()) -> list[str]:
    """Refuse (UnsafeWorkbook) a file that is not a readable, safe .xlsx/.xlsm package within
    `limits`; return warnings about what it holds that will not be followed (external links)."""
    zf, warnings = checked(path, limits)
    zf.close()
    return warnings


def checked(path: str | os.PathLike, limits: Limits = Limits()) -> tuple[InputZip, list[str]]:
    """`check`, the file kept open: the InputZip the readers and the writer of this workbook read it
    through (the parts the guard inflated, its Package, its big sheet parts' lean split), which the
    caller closes; and the warnings."""
    path = Path(path)
    head = _open_head(path)
    if not head:
        raise UnsafeWorkbook("empty file (0 bytes), not a workbook")
    if head.startswith(CFB_SIGNATURE):
        raise UnsafeWorkbook(_compound_file_cause(path))
    if not head.startswith(ZIP_SIGNATURES):
        raise UnsafeWorkbook(f"not an Excel workbook: {_content_kind(head)}")
    try:
        zf = InputZip(path)
    except zipfile.LargeZipFile:
        raise UnsafeWorkbook("not an Excel workbook: a zip file too large to read") from None
    except _READ_ERRORS:  # zipfile's NotImplementedError for a member of a newer "zip file version"
        raise UnsafeWorkbook("not an Excel workbook: a damaged or truncated zip file") from None
    try:
        return zf, _check_package(zf, limits)
    except BaseException:
        zf.close()
        raise


# --------------------------------------------------------------------------- what the file is

def _open_head(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UnsafeWorkbook("no such file") from None
    except PermissionError:
        raise UnsafeWorkbook("permission denied: cannot look into its folder") from None
    if stat.S_ISDIR(mode):
        raise UnsafeWorkbook("is a directory, not a workbook")
    if not stat.S_ISREG(mode):
        raise UnsafeWorkbook("not a regular file (a device, pipe or socket), not a workbook")
    try:
        with open(path, "rb") as fh:
            return fh.read(4096)
    except PermissionError:
        raise UnsafeWorkbook("permission denied: the file cannot be opened for reading") from None
    except OSError as exc:
        raise UnsafeWorkbook(f"cannot read the file ({exc.strerror or exc})") from None


def _compound_file_cause(path: Path) -> str:
    """An OLE2 compound file: an encrypted OOXML workbook or a legacy binary format. Directory
    entries hold stream names in UTF-16LE, so the names tell which."""
    with open(path, "rb") as fh:
        data = fh.read(16 << 20)

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("EncryptedPackage"):
        return ("password-protected (encrypted) workbook: roi-xl cannot read it; "
                "save a copy without a password")
    if has("Workbook") or has("Book"):
        return "not an Excel workbook: an Excel 97-2003 .xls file; save it as .xlsx to recalculate it"
    return "not an Excel workbook: an OLE2 compound document (a Word, .msg or other Office file?)"


def _content_kind(head: bytes) -> str:
    if head.lstrip().startswith((b"<?xml", b"<")):
        return "an XML or HTML file, not an .xlsx package"
    if head.startswith(b"%PDF"):
        return "a PDF file"
    try:
        text = head.decode("utf-8") if len(head) < 4096 else head[:-4].decode("utf-8")
    except UnicodeDecodeError:
        return "not a zip file"
    if any(ch < " " and ch not in "\t\r\n" for ch in text):
        return "not a zip file"
    return "a text file (CSV?); open it in Excel and save it as .xlsx"


def _zip_kind(zf: zipfile.ZipFile, names: dict[str, str]) -> str | None:
    """What a zip that is not an .xlsx/.xlsm is, or None when it looks like one."""
    if "mimetype" in names:
        try:
            mime = zf.read(names["mimetype"])[:100].decode("ascii", "replace").strip()
        except Exception:  # noqa: BLE001 - a damaged mimetype member
            mime = ""
        if "opendocument.spreadsheet" in mime:
            return "an OpenDocument spreadsheet (.ods); save it as .xlsx to recalculate it"
        if mime:
            return f"an OpenDocument file ({mime}), not an Excel workbook"
    if "xl/workbook.bin" in names:
        return "a binary Excel workbook (.xlsb); save it as .xlsx to recalculate it"
    if "xl/workbook.xml" not in names and "[content_types].xml" not in names:
        return "a zip file without a workbook inside"
    return None


# --------------------------------------------------------------------------- the package

def _check_package(zf: InputZip, limits: Limits) -> list[str]:
    infos = zf.infolist()
    names = {i.filename.lower(): i.filename for i in infos}
    kind = _zip_kind(zf, names)
    if kind is not None:
        raise UnsafeWorkbook(f"not an Excel workbook: {kind}")
    total = sum(i.file_size for i in infos)
    if total > limits.max_size:
        raise UnsafeWorkbook(f"too large: its parts expand to {size_text(total)} "
                             f"(the limit is {size_text(limits.max_size)}; raise it with --max-size)")
    for info in infos:
        if info.file_size > RATIO_GRACE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise UnsafeWorkbook(
                    f"looks like a zip bomb: {info.filename} expands {ratio:,.0f} times "
                    f"(to {size_text(info.file_size)}; the limit is {limits.max_ratio:g} times, "
                    "raise it with --max-ratio)")
    from .package import part_key  # its parser refuses DTDs, resolves no entities

    _same_names(infos, part_key)
    try:
        pkg = zf.package()
        sheets = pkg.sheets
    except (ValueError, KeyError, *_READ_ERRORS) as exc:  # a damaged member read for it too
        for info in infos:  # a DTD there (or the member that cannot be read) is the cause to report
            if _is_xml(info.filename):
                _check_prolog(zf, info)
        raise UnsafeWorkbook(f"not an Excel workbook: {exc}") from None
    if pkg.strict:  # openpyxl reads no Strict part: it would "succeed" with no cell at all
        raise UnsafeWorkbook("a Strict Open XML workbook, which roi-xl cannot read: save it in "
                             "Excel as an ordinary Excel Workbook (.xlsx)")
    warnings = _external_links(zf, infos)
    # Every XML part is scanned, not only the sheets our reader finds: openpyxl finds the workbook
    # through [Content_Types].xml and opens parts by their exact names, so the limits hold
    # whichever part a reader takes for a sheet. A big sheet part's chunks are also split for the
    # fast reader as they are counted (lean.LeanReader): inflated once for both, the split handed
    # on (zf.leans) only once every part passed.
    sheet_of = {member: sheet for sheet, member in sheets.items()}
    count = _Count()
    for info in infos:
        if not info.is_dir() and (_is_xml(info.filename) or _looks_like_xml(zf, info)):
            sheet = sheet_of.get(info.filename)
            lean = lean_reader(info) if sheet is not None else None
            if lean is not None and lean.state == "refused":  # small: parsed whole
                lean = None
            _scan_part(zf, info, sheet, limits, count, lean)
            if lean is not None:
                split = lean.finish()
                zf.leans[info.filename] = None if split is None else (split, SourcePart(
                    info.filename, info.CRC, info.file_size, info.compress_size, split.inside))
    return warnings


def _same_names(infos, part_key) -> None:
    """Refuse two members that name one part: readers would disagree on which one it is."""
    seen: dict[str, str] = {}
    for info in infos:
        if info.is_dir():
            continue
        first = seen.setdefault(part_key(info.filename), info.filename)
        if first is not info.filename:
            raise UnsafeWorkbook(
                f"not an Excel workbook: two parts with the same name, {first} and {info.filename} "
                "(part names ignore letter case, %-escapes and . or .. folders)")


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """A DTD can only come before the root element: read up to it and refuse any DTD."""
    try:
        with zf.open(info) as fh:
            head = fh.read(4096)
            if len(head) == 4096 and not _ROOT_START.search(head):
                head += fh.read(_HEAD - 4096)
    except _READ_ERRORS as exc:
        raise UnsafeWorkbook(f"not an Excel workbook: {info.filename} cannot be read "
                             f"({first_line(exc)})") from None
    _check_head(head, info.filename)


def _utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[1:2] == b"\x00" or head[:1] == b"\x00"


def _utf16_codec(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # the byte order mark says which
    return "utf-16-be" if head[:1] == b"\x00" else "utf-16-le"


def _looks_like_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A member not named as XML whose bytes start as XML does (a reader may still parse it)."""
    try:
        with zf.open(info) as fh:
            head = fh.read(256)
    except _READ_ERRORS:
        return True  # the scan reports it
    if _utf16(head):
        head = head.decode(_utf16_codec(head), "replace").encode("utf-8")
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _check_head(head: bytes, name: str) -> None:
    if _utf16(head):
        head = head.decode(_utf16_codec(head), "replace").encode("utf-8")
    if _DTD.search(head):
        raise UnsafeWorkbook(f"unsafe XML in {name}: it declares a DTD or entities "
                             "(as XML bombs and external-entity attacks do); workbooks never do")
    if head and not _ROOT_START.search(head) and len(head) == _HEAD:
        raise UnsafeWorkbook(f"not an Excel workbook: {name} has no XML element "
                             f"in its first {_HEAD // 1024} KB")


_SHEET_ROOTS = ("worksheet", "chartsheet", "dialogsheet", "macrosheet")
_MARKUP_BEFORE_ROOT = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.S)
_ROOT_NAME = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def _check_sheet_root(head: bytes, part: str, sheet: str) -> None:
    """Refuse a sheet whose part is another kind of part (styles, the workbook, relationships...):
    read as a sheet it has no cells, and the workbook would "recalculate" without them."""
    if _utf16(head):
        head = head.decode(_utf16_codec(head), "replace").encode("utf-8")
    root = _ROOT_NAME.search(_MARKUP_BEFORE_ROOT.sub(b"", head))
    if root is not None and root.group(1).decode("ascii") not in _SHEET_ROOTS:
        raise UnsafeWorkbook(f"damaged workbook: sheet {sheet!r} is not a sheet (its part, {part}, "
                             f"holds a {root.group(1).decode('ascii')!r} element)")


def _external_links(zf: zipfile.ZipFile, infos) -> list[str]:
    """External links are never followed (nor fetched): say so once per linked file."""
    out = []
    for info in infos:
        low = info.filename.lower()
        if low.startswith("xl/externallinks/_rels/") and low.endswith(".rels"):
            text = zf.read(info)[:_HEAD].decode("utf-8", "replace")
            for target in re.findall(r'Target\s*=\s*"([^"]*)"', text):
                out.append(f"external link to {unescape(target)} is not followed "
                           "(formulas referring to it get #REF!)")
    return out


class _Count:
    cells = 0


_F_START = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?f[\s/>]")
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']([^"']*)""")


# A cell starts "<c" or "<x:c" (any prefix) then what may end the name: a space, tab, CR, LF, ">"
# or "/". "<c " is counted (bytes.count is far quicker than a regex); the other starts are found by
# these: one pass each, where counting each of the twelve starts took eleven more (a third of the
# guard's time), and counted a prefixed cell's end tag "</x:c>" as one more cell.
_OTHER_CELL_STARTS = re.compile(rb"<c[\t\r\n>/]")
_PREFIXED_CELL_STARTS = re.compile(rb"<[A-Za-z_][\w.\-]*:c[ \t\r\n>/]")


def _cells(buf: bytes, start: int, end: int, colon: bool = True) -> int:
    """The cells ("<c" or "<x:c" then a space, tab, newline, ">" or "/") that start in buf[start:end]
    (`colon`: False when it holds no ":", so no prefixed one). When every "<c" is followed
    by a space and no ":c" is there (a sheet of cells written the usual way, no <cols>), one count
    says it; else "<c " is counted and the other starts found by two regexes."""
    tags = buf.count(b"<c", start, end)
    prefixed = buf.count(b":c", start, end) if colon else 0
    if not tags and not prefixed:  # most parts: none
        return 0
    spaced = buf.count(b"<c ", start, end)
    if not prefixed and spaced == tags:
        return spaced
    others = len(_OTHER_CELL_STARTS.findall(buf, start, end)) if spaced != tags else 0
    return spaced + others + (len(_PREFIXED_CELL_STARTS.findall(buf, start, end)) if prefixed else 0)


@functools.lru_cache(maxsize=8)
def _long_formula(limit: int) -> re.Pattern:
    # A formula's text as stored is at least as long as the formula (escapes only lengthen it),
    # so only texts longer than the limit need a closer look: the regex engine skips the rest.
    return re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?f(?:\s[^<>]*)?>([^<]{%d,})" % (limit + 1))


def _pieces(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes a chunk at a time, then b"": a small part read whole (which an InputZip keeps
    for the readers), a big one never held whole."""
    if info.file_size < HOLD_BELOW:
        yield zf.read(info)
    else:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk
    yield b""


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str | None, limits: Limits,
               count: _Count, lean: LeanReader | None = None) -> None:
    """Count an XML part's cells (an array formula's whole range among them) and measure its
    formulas, in one streaming pass over its bytes (UTF-16 ones read as UTF-8); each chunk is fed to
    `lean` too, as it comes, once the tags it completes passed (LeanReader.feed's False: fed no more)."""
    part = info.filename
    long_formula = _long_formula(limits.max_formula_length)
    # An escaped character takes at most 6 bytes (&quot;): a longer run is over the limit for sure.
    raw_cap = 6 * limits.max_formula_length
    try:
        buf = b""
        offset = 0  # bytes of the part before buf (when they are its own, not decoded)
        decode = None
        for raw in _pieces(zf, info):
            chunk = raw
            if decode is None:
                head = chunk[:_HEAD]
                _check_head(head, part)
                if sheet is not None:
                    _check_sheet_root(head, part, sheet)
                decode = _utf16(head) and codecs.getincrementaldecoder(
                    _utf16_codec(head))("replace").decode
            if decode:
                chunk = decode(chunk, not chunk).encode("utf-8")
            buf += chunk
            # Up to the last tag start every tag, and every formula's text, is whole.
            end = len(buf) if not chunk else buf.rfind(b"<")
            empty: list[tuple[int, int]] = []
            if end > 0:
                # Stretches of nothing but empty rows hold no tag to count (lean.empty_rows: every
                # "<" a row's start); told so, the lean split does not test them again.
                empty = empty_stretches(buf, 0, end) if lean is not None and not decode else []
                at = 0
                for skip, resume in (*empty, (end, end)):
                    if skip > at:
                        _count_tags(buf, at, skip, sheet, part, limits, count, long_formula)
                    at = resume
                empty = [(offset + skip, offset + resume) for skip, resume in empty]
                buf, offset = buf[end:], offset + end
            elif chunk and len(buf) > raw_cap + _CHUNK and _F_START.match(buf):
                raise _too_long(sheet, part, "", None, limits)  # one formula, megabytes long
            if not chunk:
                return
            if lean is not None and not lean.feed(raw, empty):
                lean = None
    except _READ_ERRORS as exc:
        raise UnsafeWorkbook(f"not an Excel workbook: {part} cannot be read "
                             f"({first_line(exc)})") from None


def _count_tags(buf: bytes, start: int, end: int, sheet: str | None, part: str, limits: Limits,
               count: _Count, long_formula: re.Pattern) -> None:
    """Count the cells of buf[start:end] (whole tags), an array formula's range among them, and
    measure its formulas."""
    # a prefixed tag (":c", ":f") needs a colon: one memchr often rules them out
    colon = buf.find(b":", start, end) >= 0
    count.cells += _cells(buf, start, end, colon)
    # every formula's start tag holds "<f" or ":f" (prefixed): most chunks of a big sheet hold
    # neither, and two finds are far quicker than the regex; an array formula (or a data
    # table) is one of them
    formulas = buf.find(b"<f", start, end) >= 0 or colon and buf.find(b":f", start, end) >= 0
    # (an attribute may spell "array" with character references, "&#97;rray": memchr for "&"
    # first, a tenth of the time of looking for "&#" in a chunk without one)
    if formulas and (b"array" in buf or b"dataTable" in buf
                     or buf.find(b"&", start, end) >= 0 and b"&#" in buf):
        count.cells += _array_cells(buf, start, end)
    if count.cells > limits.max_cells:
        raise UnsafeWorkbook(f"too many cells: more than {limits.max_cells:,} "
                             "(the limit; raise it with --max-cells)")
    for m in _long_texts(buf, start, end, long_formula, limits.max_formula_length) if formulas else ():
        text = m.group(1)
        length = len(unescape(text.decode("utf-8", "replace")))
        if length > limits.max_formula_length:
            raise _too_long(sheet, part, _cell_before(buf, m.start()), length, limits)


_SAMPLED_FROM = 1024  # formula limits from which _long_texts samples the text rather than regex every tag


def _long_texts(buf: bytes, start: int, end: int, long_formula: re.Pattern, limit: int) -> Iterator[re.Match]:
    """long_formula's matches in buf[start:end]: formula texts of more than `limit` bytes. Such a text is
    a run of more than `limit` bytes without a "<", so it holds one of every `limit`-th byte: the runs
    around those alone are looked at (the regex tried at each tag took 0.1 s of a 5 MB sheet of formulas)."""
    if limit < _SAMPLED_FROM:  # samples as many as the tags, or more
        yield from long_formula.finditer(buf, start, end)
        return
    seen = -1
    for at in range(start, end, limit):
        tag = buf.rfind(b"<", start, at + 1)  # the tag the run holding `at` follows
        if tag < 0 or tag == seen:
            continue
        seen = tag
        after = buf.find(b"<", at + 1, end)
        if (end if after < 0 else after) - tag - 1 > limit:
            m = long_formula.match(buf, tag, end)
            if m is not None:
                yield m


_F_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?f\s([^<>]*)>")
_F_ATTR = re.compile(r"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _array_cells(buf: bytes, start: int, end: int) -> int:
    """Cells an array formula (or a data table) fills beyond its own: its whole range is computed.
    Its attributes are read as XML reads them (character references decoded, either quote), and
    its range as widely as any reader might take it (a sheet name before "!" dropped, a whole
    column or row counted whole, leading zeros or letter case as they come), so no spelling of
    a range makes it count as one cell."""
    extra = 0
    for m in _F_TAG.finditer(buf, start, end):
        attrs = {name.split(":")[-1]: unescape(a or b)
                 for name, a, b in _F_ATTR.findall(m.group(1).decode("utf-8", "replace"))}
        if attrs.get("t", "").strip() not in ("array", "dataTable"):
            continue
        extra += max(_range_size(attrs.get("ref", "")) - 1, 0)
    return extra


def _range_size(ref: str) -> int:
    """Cells in a range as a formula's ref attribute holds it; 1 for a text that is none."""
    try:
        first_col, first_row, last_col, last_row = range_boundaries(
            ref.rpartition("!")[2].strip().replace("$", "").upper())
    except ValueError:
        return 1
    if first_col is None and first_row is None:  # no range at all ("")
        return 1
    rows = MAX_ROW if first_row is None or last_row is None else abs(last_row - first_row) + 1
    cols = MAX_COL if first_col is None or last_col is None else abs(last_col - first_col) + 1
    return rows * cols


def _cell_before(buf: bytes, at: int) -> str:
    start = buf.rfind(b"<c ", 0, at)
    r = _R_ATTR.search(buf, start, at) if start >= 0 else None
    return r.group(1).decode("ascii", "replace") if r else ""


def _too_long(sheet: str | None, part: str, cell: str, length: int | None,
              limits: Limits) -> UnsafeWorkbook:
    if sheet is None:  # a part that is not one of the workbook's sheets (as we read it)
        where = f"{part}, cell {cell}" if cell else part
    else:
        where = address(sheet, cell) if cell else f"sheet {sheet!r}"
    shown = f"{length:,} characters" if length is not None else \
        f"more than {limits.max_formula_length:,} characters"
    return UnsafeWorkbook(f"formula too long in {where}: {shown} (the limit is "
                          f"{limits.max_formula_length:,}; raise it with --max-formula-length)")


