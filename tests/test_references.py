"""roi_xl/references.py: the one reader of cell references, against openpyxl (whose behaviour it
keeps without importing it) and against values worked out by hand."""
from __future__ import annotations

import re

import pytest
from openpyxl.utils import cell as openpyxl_cell

from roi_xl.references import (
    BLOCK,
    CELL,
    MAX_COL,
    MAX_ROW,
    SHEET,
    cell_box,
    column_index,
    column_letters,
    coordinate,
    destination,
    quote_sheet,
    r1c1_end,
    range_boundaries,
    split_coordinate,
    unquote_sheet,
)


@pytest.mark.parametrize("index", [1, 2, 26, 27, 52, 53, 702, 703, 16_384, 18_278])
def test_column_letters_as_openpyxl(index):
    letters = openpyxl_cell.get_column_letter(index)
    assert column_letters(index) == letters
    assert column_index(letters) == index == column_index(letters.lower())


def test_columns_by_hand_and_the_sheet_limits():
    assert (column_letters(28), column_index("AB"), column_letters(MAX_COL)) == ("AB", 28, "XFD")
    assert (MAX_ROW, MAX_COL) == (2 ** 20, 2 ** 14)
    for bad in ("", "AAAA", "A1", "É"):
        with pytest.raises(ValueError):
            column_index(bad)
    for bad in (0, 18_279):
        with pytest.raises(ValueError):
            column_letters(bad)


@pytest.mark.parametrize("text", ["B7", "$A$1:C9", "A:C", "$B:$B", "3:5", "XFD1048576", "a1:b2"])
def test_range_boundaries_as_openpyxl(text):
    assert range_boundaries(text) == openpyxl_cell.range_boundaries(text)


def test_cell_boxes_coordinates_and_what_is_refused():
    assert cell_box("$A$1:C9") == (1, 1, 3, 9) and cell_box("B7") == (2, 7, 2, 7)
    for whole in ("A:C", "3:5"):
        with pytest.raises(ValueError):
            cell_box(whole)
    with pytest.raises(ValueError):
        range_boundaries("A1:B")
    assert coordinate(7, 2) == "B7" and split_coordinate("AB12") == (12, 28)


def test_sheet_quoting_round_trips():
    assert quote_sheet("It's here") == "'It''s here'"
    assert unquote_sheet("'It''s here'") == "It's here" and unquote_sheet("Data") == "Data"
    for name in ("Plan", "Cost by channel", "O'Brien", "''"):
        assert unquote_sheet(quote_sheet(name)) == name


def test_pattern_pieces_read_what_a_formula_writes():
    ref = re.compile(rf"^(?:(?P<sheet>{SHEET})!)?(?P<block>{BLOCK})$")
    m = ref.match("'It''s here'!$A$1:C9")
    assert m and (m.group("sheet"), m.group("block")) == ("'It''s here'", "$A$1:C9")
    assert ref.match("Data.2!B7") and ref.match("B7")
    assert not ref.match("A:C") and not ref.match("Sheet 1!A1")  # a space needs quotes
    assert re.fullmatch(CELL, "$XFD$1048576") and not re.fullmatch(CELL, "1A")


def test_r1c1_ends_from_a_cell():
    # from C10 (row 10, column 3)
    assert r1c1_end("R3C7", 10, 3) == (3, 7)
    assert r1c1_end("R[1]C[-1]", 10, 3) == (11, 2)
    assert r1c1_end("rc", 10, 3) == (10, 3)
    assert r1c1_end("R2", 10, 3) == (2, None) and r1c1_end("C[2]", 10, 3) == (None, 5)
    assert r1c1_end("", 10, 3) is None and r1c1_end("A1", 10, 3) is None


def test_a_names_one_reference():
    assert destination("'My sheet'!$A$1:$C$9") == ("My sheet", "$A$1:$C$9")
    assert destination("Data!$A:$A") == ("Data", "$A:$A")
    assert destination("=SUM(Data!A1:A3)") is None and destination("Data!A1,Data!B1") is None


def test_outside_sheet_reads_the_last_column_and_row():
    from roi_xl.references import outside_sheet

    inside = ["A1", "XFD1048576", "xfd1", "WZZ9", "XEZ1", "ZZ1048576", "A999999", "B1000000", "A0"]
    outside = ["XFE1", "XGA1", "YAA1", "ZZZ1", "AAAA1", "A1048577", "A1100000", "A10000000", "xfe2"]
    assert [ref for ref in inside if outside_sheet(ref)] == []
    assert [ref for ref in outside if not outside_sheet(ref)] == []
    assert not outside_sheet("$A$1") and not outside_sheet("Name")  # not a cell's r: not this check's
