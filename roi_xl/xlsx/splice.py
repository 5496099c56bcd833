"""An edited XML tree written back over its original bytes, so that only what was edited moves.

lxml rewrites what it did not change: the XML declaration, the order of a start tag's namespace
declarations and attributes (Excel interleaves them, `xmlns:mc=.. mc:Ignorable=.. xmlns:x14ac=..`).
`serialize` keeps the original declaration and root start tag; `without_elements` cuts elements
out of the original bytes instead of writing the tree again; `start_tag_end` and `attributes` are
the byte-level reading both need, and the sheet editor's splice too.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import unescape

from lxml import etree

from .package import parser

__all__ = ["start_tag_end", "attributes", "serialize", "without_elements"]

_DECL = re.compile(rb"^(\xef\xbb\xbf)?<\?xml[^>]*\?>(\s*)")


def start_tag_end(data: bytes, start: int) -> int:
    """Index just past the '>' closing the start tag that begins at `start` (quotes respected)."""
    quote = None
    for i in range(start + 1, len(data)):
        ch = data[i]
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in (0x22, 0x27):  # " or '
            quote = ch
        elif ch == 0x3E:  # >
            return i + 1
    return -1


_ATTR = re.compile(rb"""([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")


def attributes(tag: bytes) -> list[tuple[bytes, str]]:
    """A start tag's attributes as sorted (name, unescaped value) pairs, read from its bytes."""
    return sorted((name, unescape(value[1:-1].decode("utf-8", "replace")))
                  for name, value in _ATTR.findall(tag))


def serialize(tree: etree._ElementTree, original: bytes) -> bytes:
    """The tree as bytes, keeping the original's XML declaration and root start tag byte for byte.

    libxml2 writes a start tag's namespace declarations before its attributes; Excel interleaves
    them (`xmlns:mc=.. mc:Ignorable=.. xmlns:x14ac=..`). The root start tag is never edited here,
    so the original one is put back: parts then differ from the original only where they were edited.
    """
    encoding = tree.docinfo.encoding or "UTF-8"
    m = _DECL.match(original)
    start = m.end() if m else 0
    # Only when nothing but whitespace sits between the declaration and the root element can the
    # original prolog be reused; lxml re-emits top-level comments and PIs itself.
    if not (original[start:start + 1] == b"<" and original[start:start + 2] not in (b"<!", b"<?")
            and encoding.upper().replace("-", "") == "UTF8"):
        return etree.tostring(tree, encoding=encoding, xml_declaration=m is not None,
                              standalone=tree.docinfo.standalone)
    body = etree.tostring(tree, encoding=encoding, xml_declaration=False)
    old_end = start_tag_end(original, start)
    new_end = start_tag_end(body, 0)
    if old_end > 0 and new_end > 0:
        old_tag, new_tag = original[start:old_end], body[:new_end]
        if old_tag.endswith(b"/>") == new_tag.endswith(b"/>") and attributes(old_tag) == attributes(new_tag):
            body = old_tag + body[new_end:]
    return original[:start] + body


def without_elements(original: bytes, edited: etree._ElementTree, local_name: str,
                     doomed: Callable[[Mapping[str, str]], bool]) -> bytes:
    """`original` with the empty elements `local_name` whose attributes satisfy `doomed` cut out
    of the bytes, so nothing else moves; checked against the edited tree, else that tree written."""
    pattern = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?" + local_name.encode()
                         + rb"(?=[\s/>])[^>]*?(?:/>|>\s*</(?:[A-Za-z_][\w.\-]*:)?" + local_name.encode() + rb"\s*>)")
    pieces: list[bytes] = []
    last = 0
    for m in pattern.finditer(original):
        attrs = {name.decode("utf-8", "replace"): value for name, value in attributes(m.group(0))}
        if doomed(attrs):
            pieces.append(original[last:m.start()])
            last = m.end()
    cut = b"".join(pieces) + original[last:]
    try:
        if etree.tostring(etree.fromstring(cut, parser()), method="c14n") == \
                etree.tostring(edited.getroot(), method="c14n"):
            return cut
    except etree.XMLSyntaxError:
        pass
    return serialize(edited, original)

