"""`roi-xl check`: the plan's own rules, each finding with its sheet and row."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from roi_xl.template.build import PlanInputs, write_plan
from roi_xl.template.check import check_workbook
from roi_xl.template.examples import RETAIL

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roi_xl.cli", "check", *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_clean_examples_pass():
    assert len(EXAMPLES) >= 3
    result = run(*map(str, EXAMPLES))
    assert result.returncode == 0, result.stdout + result.stderr
    for path in EXAMPLES:
        assert f"{path}: ok" in result.stdout


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    """The retail example with one fault of each kind planted (data rows start at Excel row 5)."""
    plan = PlanInputs(copy.deepcopy(RETAIL.fields), copy.deepcopy(RETAIL.tables))
    t = plan.tables
    t["tblObjectives"].append({"id": "D", "objective": "Recruit store staff", "type": "Recruitment"})
    # row 8
    del t["tblKPIs"][1]["channel"]                                           # K2, row 6
    del t["tblKPIs"][2]["target"]                                            # K3, row 7
    t["tblKPIs"][3]["objective"] = "Z"                                       # K4, row 8
    t["tblKPIs"][4]["period"] = None                                         # K5, row 9
    t["tblTactics"] = [r for r in t["tblTactics"] if r["id"] != "T13"]      # K6: one tactic
    t["tblKPIs"].append({"id": "K7", "kpi": "Reach", "objective": "B", "channel": "Instagram",
                         "period": "H1 2025", "target": 1000})              # row 11: no metric
    del t["tblMetrics"][1]["tool"]                                           # M2, row 6
    del t["tblMetrics"][3]["frequency"]                                      # M4, row 8
    del t["tblCosts"][4]["category"]                                         # Facebook ads, row 9
    t["tblCosts"].append({"category": "Research", "item": "Focus group"})   # row 17: no number
    del t["tblReports"][1]["audience"]                                       # row 6
    del t["tblReports"][2]["cadence"]                                        # row 7
    return write_plan(tmp_path_factory.mktemp("check") / "faulty.xlsx", plan)


EXPECTED = [
    ("Objectives", 8, "objective-kpi"),
    ("KPIs", 6, "kpi-channel"),
    ("KPIs", 7, "kpi-target"),
    ("KPIs", 8, "kpi-objective"),
    ("KPIs", 9, "kpi-period"),
    ("KPIs", 10, "kpi-tactics"),
    ("KPIs", 11, "kpi-metric"),
    ("KPIs", 11, "kpi-tactics"),
    ("Metrics", 6, "metric-tool"),
    ("Metrics", 8, "metric-frequency"),
    ("Costs", 9, "cost-category"),
    ("Costs", 17, "cost-number"),
    ("Reporting", 6, "report-audience"),
    ("Reporting", 7, "report-cadence"),
]


def test_each_planted_fault_is_found_with_sheet_and_row(faulty):
    found = sorted((f.sheet, f.row, f.rule) for f in check_workbook(faulty))
    assert found == sorted(EXPECTED)


def test_cli_prints_findings_and_exits_1(faulty):
    result = run(str(faulty))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(EXPECTED)
    assert f"{faulty}: KPIs!10: KPI 'K6' has 1 tactic, needs at least 2 [kpi-tactics]" in lines
    assert any(line.startswith(f"{faulty}: Metrics!6: metric 'M2' names no tool") for line in lines)
    assert any(line.startswith(f"{faulty}: Costs!9: cost 'Facebook ads' has no category")
               for line in lines)


def test_cli_json(faulty):
    clean = EXAMPLES[0]
    result = run("--json", str(faulty), str(clean))
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert sorted((f["sheet"], f["row"], f["rule"]) for f in findings) == sorted(EXPECTED)
    assert {f["file"] for f in findings} == {str(faulty)}
    assert all(set(f) == {"file", "sheet", "row", "rule", "message"} for f in findings)
    assert json.loads(run("--json", str(clean)).stdout) == []


def test_fault_typed_into_a_saved_workbook(tmp_path):
    """A user's edit (here through openpyxl) is checked like a generated one."""
    wb = openpyxl.load_workbook(EXAMPLES[0])
    wb["Metrics"]["D5"] = None          # M1 loses its tool
    wb["Costs"]["F10"] = "twelve"       # an amount that is not a number
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    found = [(f.sheet, f.row, f.rule) for f in check_workbook(path)]
    assert found == [("Metrics", 5, "metric-tool"), ("Costs", 10, "cost-number")]


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a zip")
    result = run(str(bad), str(tmp_path / "missing.xlsx"))
    assert result.returncode == 2
    assert f"{bad}: -: cannot open as a workbook" in result.stdout
    assert "missing.xlsx: -: no such file" in result.stdout
    assert bad.read_text() == "not a zip"


def test_empty_template_has_no_objectives():
    result = run(str(ROOT / "workbook_templates" / "measurement_plan.xlsx"))
    assert result.returncode == 1 and "the plan has no objectives" in result.stdout
