"""roi-xl's functions as Office.js custom functions (xlwings Server, xlwings Lite), through
xlwings' own code: `xlwings.server.custom_functions_meta`, what Excel registers, and
`custom_functions_call`, what runs each call, on the module users name
(`from roi_xl.xlwings_udfs import *` in xlwings Server's custom_functions package).

They run in a child Python set up as xlwings Server sets itself up: XLWINGS_ON_SERVER=true
before xlwings is imported, so `xw.func` is xlwings' Office.js decorator, and an xlwings licence
key (xlwings' PRO code is free for non-commercial use with the key "noncommercial"; roi-xl's own
tests are that). Payloads are shaped as Excel's Office.js runtime sends them (tests/catalogue/office_js.py),
for every catalogue function; each result is compared with the catalogue called directly.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import roi_xl

from tests.catalogue import office_js
from tests.catalogue.office_js import call_data, cases, error_cell, error_result, error_texts_in, expected, same

ROOT = Path(__file__).resolve().parents[2]


def serve(calls: list[dict]) -> dict:
    return office_js.serve(calls, pythonpath=[ROOT])


HAND_WORKED = [
    # (name, args as Office.js sends them, what Excel must get back), worked out by hand.
    ("SOCIAL_ROI", [[[150]], [[100]]], [[0.5]]),                         # (150 - 100) / 100
    ("SOCIAL_ROI", [[[100], [50]], [[100]]], [[0.5]]),                   # a range is summed
    ("SOCIAL_ROI", [[[1]], [[0]]], [[error_result("#DIV/0!")]]),
    ("SOCIAL_ROI", [[[1]], [[None]]], [[error_result("#DIV/0!")]]),      # a blank cost is 0
    ("SOCIAL_ROI", [[[1]], [[-1]]], [[error_result("#NUM!")]]),
    ("SOCIAL_ROI", [[["abc"]], [[1]]], [[error_result("#VALUE!")]]),
    ("SOCIAL_ROI", [[[1], [error_cell("#N/A")]], [[1]]], [[error_result("#N/A")]]),
    ("SOCIAL_ROI", [[[error_cell("#SPILL!")]], [[1]]], [[error_result("#SPILL!")]]),
    # 100 + 50 counted, the text and the blank skipped as SUM skips them: (150 - 100) / 100.
    ("SOCIAL_ROI", [[[100, None], ["text", 50]], [[100]]], [[0.5]]),
    ("KPI_ATTAINMENT", [[[90]], [[100]], None, None, None], [[0.9]]),    # defaults: "higher"
    ("KPI_ATTAINMENT", [[[50]], [[100]], [["LOWER"]], None, None], [[2.0]]),
    ("KPI_ATTAINMENT", [[[50]], [[100]], [["lower"]], None, [[1.2]]], [[1.2]]),  # =(...,,1.2)
    ("KPI_ATTAINMENT", [[[50]], [[100]], [[None]], None, None], [[0.5]]),  # a blank direction
    ("KPI_ATTAINMENT", [[[1]], [[1]], [["sideways"]], None, None], [[error_result("#VALUE!")]]),
    ("KPI_STATUS", [[[0.95]], None, None], [["AMBER"]]),                 # 0.9 <= 0.95 < 1
    ("COST_ROLLUP", [[["Staff"], ["Ads"], ["staff"]], [[100], [50], [25]], None],
     [["Staff", 125.0], ["Ads", 50.0]]),                                 # spills: 2 rows x 2
    ("COST_ROLLUP", [[["Staff"], ["Ads"], ["staff"]], [[100], [50], [25]], [["ads"]]], [[50.0]]),
    ("COST_TOTAL", [[[100], [200]], [[2], [None]], [[50], [50]], None], [[400.0]]),  # 200 + 200
    ("PAYBACK_PERIODS", [[[100]], [[40, 40, 40]]], [[2.5]]),             # 80 after 2, +20 of 40
    ("PAYBACK_PERIODS", [[[100]], [[10, 10]]], [[error_result("#N/A")]]),
    ("COST_PER", [[[61]], [[61]]], [[1.0]]),
]


@pytest.fixture(scope="module")
def served():
    every = cases()
    out = serve([call_data(name, args) for name, args in every]
                + [call_data(name, args) for name, args, _ in HAND_WORKED])
    out["cases"] = every
    out["hand"] = out["results"][len(every):]
    out["results"] = out["results"][:len(every)]
    return out


def test_every_catalogue_function_is_registered_with_its_help(served):
    functions = {f["id"]: f for f in served["meta"]["functions"]}
    assert sorted(functions) == sorted(roi_xl.CATALOGUE)
    assert served["meta"]["allowErrorForDataTypeAny"] is True   # error cells reach the functions
    for name, fn in roi_xl.CATALOGUE.items():
        f = functions[name]
        assert f["name"] == name                                  # under the add-in's namespace
        assert f["description"] == fn.wizard_help                 # the function wizard's text
        assert f["result"] == {"dimensionality": "matrix", "type": "any"}  # may spill
        assert [p["name"] for p in f["parameters"]] == [a.name for a in fn.args]
        for p, a in zip(f["parameters"], fn.args):
            assert p["description"] == a.help
            assert (p["dimensionality"], p["type"]) == ("matrix", "any")  # cells or ranges
            assert p.get("optional", False) is a.optional


def test_every_call_gives_what_the_catalogue_gives(served):
    assert len(served["cases"]) > 20 * len(roi_xl.CATALOGUE) // 2
    wrong = []
    for (name, args), got in zip(served["cases"], served["results"]):
        want = expected(name, args)
        if "value" not in got or not same(got["value"], want):
            wrong.append(f"{name}{args}: {got} != {want}")
    assert not wrong, "\n".join(wrong[:20])


def test_errors_are_error_objects_never_text(served):
    errors = 0
    for got in served["results"] + served["hand"]:
        assert not error_texts_in(got["value"]), got
        errors += "Error" in json.dumps(got["value"])
    assert errors > len(roi_xl.CATALOGUE)  # the cases do reach errors, in every function


@pytest.mark.parametrize("index", range(len(HAND_WORKED)),
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(HAND_WORKED)])
def test_hand_worked_calls(served, index):
    name, args, want = HAND_WORKED[index]
    assert same(served["hand"][index].get("value"), want), served["hand"][index]

