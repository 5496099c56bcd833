"""Binding a prepared formula to formulas' names (rewrite.rewrite): what it changes, worked out by
hand, and its shortcut for formulas it leaves alone (_plain_calls) against the full scan."""
from __future__ import annotations

import pytest

from roi_xl.engine import rewrite as rewrite_module
from roi_xl.engine.bind import bind_catalogue, is_known, is_ours
from roi_xl.engine.rewrite import rewrite

CASES = [
    ("=SUM(A1:A3)*2", "=SUM(A1:A3)*2", []),
    ('="SUM("&LEN(A1)', '="SUM("&LEN(A1)', []),                           # a call inside a text
    ("=SOCIAL_ROI(A1,B1)", "=SOCIAL_ROI(A1,B1)", []),
    ("=_xludf.SOCIAL_ROI(A1,B1)", "=SOCIAL_ROI(A1,B1)", []),              # Excel's prefix dropped
    ("=FOO(1)+SUM(1)", "=FOO(1)+SUM(1)", ["FOO"]),                         # unknown: said
    ("=1E10+A1", "=1E+10+A1", []),                                         # the exponent's sign
    ("=XLOOKUP(1,A1:A3,B1:B3,,0)", "=XLOOKUP(1,A1:A3,B1:B3,NA(),0)", []),  # Excel's default
    ("=_xlfn.XLOOKUP(1,A1:A3,B1:B3)", "=_xlfn.XLOOKUP(1,A1:A3,B1:B3)", []),
]


@pytest.fixture(scope="module", autouse=True)
def bound():
    bind_catalogue()


@pytest.mark.parametrize("formula, expected, unknown", CASES)
def test_rewrite_worked_out_by_hand(formula, expected, unknown):
    result = rewrite(formula, is_ours, is_known)
    assert (result.formula, result.unknown) == (expected, unknown)


@pytest.mark.parametrize("formula, expected, unknown", CASES)
def test_the_shortcut_gives_what_the_full_scan_gives(formula, expected, unknown, monkeypatch):
    fast = rewrite(formula, is_ours, is_known)
    monkeypatch.setattr(rewrite_module, "_plain_calls", lambda *args: False)
    assert rewrite(formula, is_ours, is_known) == fast
