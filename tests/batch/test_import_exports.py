"""`roi-xl import`: the sample exports of every supported tool (tests/batch/exports, written from the
columns the tools document) into real copies of the template, read back with openpyxl.

Expected figures are worked out by hand from the sample files, in the comments beside them."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from roi_xl.errors import ExportError, ImportFailed
from roi_xl.imports.command import import_exports
from roi_xl.imports.parse import parse_export
from roi_xl.template.build import write_plan
from roi_xl.xlsx.writer import write_inputs

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = Path(__file__).parent / "exports"
TEMPLATE = ROOT / "workbook_templates" / "measurement_plan.xlsx"
SAMPLES = sorted(EXPORTS.glob("*.*"))
MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_rows(ws, first: int, last: int, cols: str) -> list[tuple]:
    """Filled rows of a table as tuples of the given columns' values."""
    out = []
    for r in range(first, last + 1):
        row = tuple(ws[f"{c}{r}"].value for c in cols)
        if any(v is not None for v in row):
            out.append(row)
    return out


@pytest.fixture
def template(tmp_path) -> Path:
    plan = tmp_path / "plan.xlsx"
    shutil.copy(TEMPLATE, plan)
    return plan


@pytest.fixture
def march_plan(tmp_path) -> Path:
    return write_plan(tmp_path / "march.xlsx", client="Acme", currency="EUR",
                      start=dt.datetime(2025, 3, 1), end=dt.datetime(2025, 3, 31))


# --------------------------------------------------------------------------- each tool's export

def test_every_sample_is_recognised_by_its_tool():
    tools = {p.name: parse_export(p, MARCH, "EUR").layout.tool for p in SAMPLES}
    assert tools == {
        "meta_ads_manager.csv": "Meta Ads Manager",
        "linkedin_campaign_manager.csv": "LinkedIn Campaign Manager",
        "google_ads.csv": "Google Ads",
        "ga4_traffic_acquisition.csv": "Google Analytics",
        "tiktok_ads_manager.xlsx": "TikTok Ads Manager",
    }


def test_meta_thousands_separators_platform_channels_and_header_currency():
    e = parse_export(EXPORTS / "meta_ads_manager.csv", MARCH, "EUR")
    assert e.currency == "EUR"  # from "Amount spent (EUR)"
    assert [(r.channel, r.measures["spend"], r.measures["clicks"]) for r in e.rows] == [
        ("Facebook", 1234.50, 3400), ("Instagram", 765.25, 2100), ("Facebook", 300.0, 800)]
    assert e.rows[2].measures["leads"] == 0  # a blank Leads cell


def test_linkedin_preamble_us_dates_duplicate_and_out_of_period():
    e = parse_export(EXPORTS / "linkedin_campaign_manager.csv", MARCH, "EUR")
    assert [r.date for r in e.rows] == [dt.date(2025, 3, d) for d in (3, 10, 17, 24, 31)]
    assert e.skipped == ["line 11: duplicate of line 10",
                         "line 14: date 2025-04-01 is outside the plan's period 2025-03-01 to 2025-03-31"]
    # 412.80 + 398.15 + 405.00 + 389.55 + 55.10
    assert sum(r.measures["spend"] for r in e.rows) == pytest.approx(1660.60)


def test_google_ads_utf16_tabs_totals_and_date_range_line():
    e = parse_export(EXPORTS / "google_ads.csv", MARCH, "EUR")
    assert e.totals == 2  # "Total: Campaigns", "Total: Account"
    assert [r.measures["spend"] for r in e.rows] == [512.34, 1200.0, 0.0]
    assert [r.measures["impressions"] for r in e.rows] == [8120, 250000, 0]
    assert e.rows[2].measures["conversions"] == 0  # "--"
    assert {r.date for r in e.rows} == {dt.date(2025, 3, 1)}  # "March 1, 2025 - March 31, 2025"


def test_ga4_comment_lines_social_sources_and_grand_total():
    e = parse_export(EXPORTS / "ga4_traffic_acquisition.csv", MARCH, "EUR")
    assert e.totals == 1
    assert [(r.channel, r.measures["sessions"], r.measures["conversions"]) for r in e.rows] == [
        ("Facebook", 1820, 45), ("Instagram", 960, 22), ("LinkedIn", 410, 9), ("Twitter/X", 120, 1)]
    assert e.skipped == ["line 11: not a social-network source: 'google / organic'",
                         "line 12: not a social-network source: '(direct) / (none)'"]


def test_tiktok_xlsx_dates_as_cells_and_text_and_total_row():
    e = parse_export(EXPORTS / "tiktok_ads_manager.xlsx", MARCH, "EUR")
    assert [r.date.day for r in e.rows] == [1, 2, 3, 3]
    assert e.totals == 1
    assert sum(r.measures["spend"] for r in e.rows) == pytest.approx(705.00)
    assert sum(r.measures["clicks"] for r in e.rows) == 2120  # Clicks (destination)


# --------------------------------------------------------------------------- into the plan

def test_import_all_samples_into_the_template(template):
    before = sha(template)
    result = import_exports(template, SAMPLES)
    out = result.output
    assert out == template.with_name("plan-imported.xlsx")
    assert sha(template) == before  # the plan is only read
    assert result.failed_files == 0
    # 3 Meta + 6 LinkedIn (no period in the template: April counts) + 3 Google Ads + 4 GA4 + 4 TikTok
    assert result.imported == 20

    wb = openpyxl.load_workbook(out)
    costs = table_rows(wb["Costs"], 5, 104, "ABCF")
    assert costs == [
        ("Advertising", "Google Ads ad spend, 2025-03", "Other", 1712.34),
        ("Advertising", "LinkedIn Campaign Manager ad spend, 2025-03", "LinkedIn", 1660.6),
        ("Advertising", "LinkedIn Campaign Manager ad spend, 2025-04", "LinkedIn", 61.2),
        ("Advertising", "Meta Ads Manager ad spend, 2025-03", "Facebook", 1534.5),  # 1234.50 + 300
        ("Advertising", "Meta Ads Manager ad spend, 2025-03", "Instagram", 765.25),
        ("Advertising", "TikTok Ads Manager ad spend, 2025-03", "TikTok", 705.0),
    ]
    actions = {(a, ch): n for a, ch, n in table_rows(wb["Value"], 29, 48, "ABC")}
    assert actions[("Clicks", "Facebook")] == 4200           # 3400 + 800
    assert actions[("Leads", "LinkedIn")] == 57               # 14+11+16+13+2+1
    assert actions[("Purchases", "Instagram")] == 9
    assert actions[("Conversions", "Other")] == 66.5          # 62 + 4.5
    traffic = table_rows(wb["Value"], 65, 74, "ABCDE")
    assert traffic[0] == ("Social sessions (Google Analytics)", "Facebook", 1820, 45 / 1820, 50)
    assert traffic[1][4] == pytest.approx(990 / 22)
    assert traffic[2][:4] == ("Social sessions (Google Analytics)", "LinkedIn", 410, 9 / 410)
    assert traffic[2][4] is None  # no revenue: left for the user, and said so
    assert any("Value row 67: no revenue" in m for m in result.messages)

    # recalculated: the Summary's total cost is the sum of the imported amounts
    values = openpyxl.load_workbook(out, data_only=True)
    assert values["Summary"]["B20"].value == pytest.approx(1712.34 + 1660.60 + 61.20 + 1534.50
                                                           + 765.25 + 705.00)
    # web traffic value: sessions x rate x value per conversion = 45 x 50 + 22 x 45 (+ 0 for the rest)
    assert values["Summary"]["B28"].value == pytest.approx(2250 + 990)


def _cells(sheet_xml: bytes) -> dict[str, bytes]:
    root = etree.fromstring(sheet_xml)
    ns = {"m": root.nsmap[None]}
    return {c.get("r"): etree.tostring(c) for c in root.iterfind(".//m:sheetData/m:row/m:c", ns)}


def test_everything_but_the_imported_cells_and_computed_values_is_byte_identical(template):
    out = import_exports(template, SAMPLES).output
    with zipfile.ZipFile(template) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == [n for n in b.namelist()]
        sheets = {n for n in a.namelist() if n.startswith("xl/worksheets/sheet")}
        for name in a.namelist():
            old, new = a.read(name), b.read(name)
            if name not in sheets:
                assert old == new, name  # styles, charts, drawings, tables, names: as they were
                continue
            # outside <sheetData> (validation, conditional formats, page set-up) byte for byte
            cut = lambda d: re.sub(rb"<sheetData>.*</sheetData>", b"", d, flags=re.S)  # noqa: E731
            assert cut(old) == cut(new), name
            before, after = _cells(old), _cells(new)
            assert before.keys() == after.keys(), name  # no cell added or removed
            for ref, xml in before.items():
                if xml == after[ref]:
                    continue
                # a changed cell is an imported input, or a formula whose cached value changed
                f_old = re.search(rb"<f>.*?</f>", xml)
                f_new = re.search(rb"<f>.*?</f>", after[ref])
                if f_old:
                    assert f_new and f_old.group(0) == f_new.group(0), (name, ref)
                else:
                    assert name in ("xl/worksheets/sheet6.xml", "xl/worksheets/sheet7.xml"), (name, ref)  # Costs, Value
    wb0, wb1 = openpyxl.load_workbook(template), openpyxl.load_workbook(out)
    changed = {(ws.title, c.coordinate) for ws in wb1 for row in ws.iter_rows() for c in row
               if c.data_type != "f" and c.value != wb0[ws.title][c.coordinate].value}
    # 6 cost rows x 4 cells, 13 action rows x 4 cells, 4 traffic rows x 5 cells less the two blank
    # values per conversion: every other input of the plan is as it was
    assert len(changed) == 6 * 4 + 13 * 4 + 4 * 5 - 2
    assert {s for s, _ in changed} == {"Costs", "Value"}


def test_reimporting_replaces_rows_instead_of_adding(template, tmp_path):
    first = import_exports(template, [EXPORTS / "meta_ads_manager.csv"]).output
    again = import_exports(first, [EXPORTS / "meta_ads_manager.csv"], tmp_path / "again.xlsx").output
    ws = openpyxl.load_workbook(again)["Costs"]
    assert [r[1] for r in table_rows(ws, 5, 104, "AF")] == [1534.5, 765.25]


def test_dated_plan_checks_period_and_currency(tmp_path):
    plan = write_plan(tmp_path / "usd.xlsx", currency="USD", start=dt.datetime(2025, 3, 1),
                      end=dt.datetime(2025, 3, 31))
    result = import_exports(plan, [EXPORTS / "meta_ads_manager.csv", EXPORTS / "linkedin_campaign_manager.csv"])
    assert result.imported == 0 and result.output is None  # every row in EUR
    assert result.messages[0] == (f"{EXPORTS / 'meta_ads_manager.csv'}: amounts in EUR, the plan's "
                                  "currency is USD: nothing imported from it (amounts are not converted)")
    assert "line 8: currency EUR, the plan's is USD (not converted)" in result.messages[2]  # LinkedIn, by row
    assert any("nothing to import" in m for m in result.messages)
    assert not (tmp_path / "usd-imported.xlsx").exists()


def test_kpi_actuals_follow_the_metric_names_and_tools_in_the_plan(march_plan, tmp_path):
    plan = tmp_path / "kpis.xlsx"
    write_inputs(march_plan, plan, {
        ("Metrics", "A5"): "M1", ("Metrics", "B5"): "Link clicks", ("Metrics", "D5"): "Meta Ads Manager",
        ("Metrics", "A6"): "M2", ("Metrics", "B6"): "Engaged sessions", ("Metrics", "D6"): "Google Analytics",
        ("Metrics", "A7"): "M3", ("Metrics", "B7"): "Leads", ("Metrics", "D7"): "LinkedIn Campaign Manager",
        ("Metrics", "A8"): "M4", ("Metrics", "B8"): "Conversions", ("Metrics", "D8"): "TikTok Analytics",
        # K1: Facebook link clicks in March; K2: engaged sessions from all social channels;
        # K3: LinkedIn leads in a week-free period text, so the plan's period applies
        ("KPIs", "A5"): "K1", ("KPIs", "D5"): "Facebook", ("KPIs", "E5"): "March 2025", ("KPIs", "F5"): "M1",
        ("KPIs", "I5"): 5000,
        ("KPIs", "A6"): "K2", ("KPIs", "D6"): "All channels", ("KPIs", "E6"): "Q1 2025", ("KPIs", "F6"): "M2",
        ("KPIs", "I6"): 2000,
        ("KPIs", "A7"): "K3", ("KPIs", "D7"): "LinkedIn", ("KPIs", "E7"): "this quarter", ("KPIs", "F7"): "M3",
        ("KPIs", "I7"): 50,
        # K4: the template's drop-down names TikTok's tool "TikTok Analytics"
        ("KPIs", "A8"): "K4", ("KPIs", "D8"): "TikTok", ("KPIs", "E8"): "Mar 2025", ("KPIs", "F8"): "M4",
        ("KPIs", "I8"): 60,
    })
    out = import_exports(plan, SAMPLES, tmp_path / "out.xlsx").output
    ws = openpyxl.load_workbook(out)["KPIs"]
    assert ws["J5"].value == 3400 + 800           # Meta, Facebook rows only (Instagram is not)
    assert ws["J6"].value == 1100 + 590 + 290 + 76  # GA4 "Engaged sessions", social rows
    assert ws["J7"].value == 14 + 11 + 16 + 13 + 2  # April's row is outside the plan's period
    assert ws["J8"].value == 18 + 15 + 21 + 4
    computed = openpyxl.load_workbook(out, data_only=True)["KPIs"]
    assert computed["L5"].value == pytest.approx(4200 / 5000)  # attainment recalculated


def test_in_place_keeps_every_version_as_a_backup(template):
    before = template.read_bytes()
    result = import_exports(template, [EXPORTS / "tiktok_ads_manager.xlsx"], in_place=True)
    assert result.output == template and result.backup.read_bytes() == before
    middle = template.read_bytes()
    assert middle != before
    again = import_exports(template, [EXPORTS / "meta_ads_manager.csv"], in_place=True)
    assert again.backup != result.backup and again.backup.read_bytes() == middle  # same second too
    assert result.backup.read_bytes() == before


def test_an_existing_output_is_not_replaced_without_force(template):
    taken = template.with_name("plan-imported.xlsx")
    taken.write_bytes(b"mine")
    with pytest.raises(ImportFailed, match="exists"):
        import_exports(template, [EXPORTS / "meta_ads_manager.csv"])
    assert taken.read_bytes() == b"mine"


def test_a_formula_where_the_import_writes_is_left_alone(template, tmp_path):
    # the user's own Meta row computes its amount: the import refuses rather than overwrite it
    wb = openpyxl.load_workbook(template)
    ws = wb["Costs"]
    ws["A5"], ws["B5"], ws["C5"], ws["F5"] = ("Advertising", "Meta Ads Manager ad spend, 2025-03",
                                              "Facebook", "=1000+534.5")
    plan = tmp_path / "formula.xlsx"
    wb.save(plan)
    with pytest.raises(ImportFailed, match=r"nothing written: .*F5 holds a formula, not an input"):
        import_exports(plan, [EXPORTS / "meta_ads_manager.csv"], tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_not_a_plan_is_refused_with_one_line(tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("hello")
    with pytest.raises(ImportFailed, match=r"notes\.xlsx: not an Excel workbook"):
        import_exports(bad, [EXPORTS / "meta_ads_manager.csv"])


# --------------------------------------------------------------------------- hostile exports

def _meta(tmp_path, body: str, name="meta.csv", encoding="utf-8", sep=",") -> Path:
    header = sep.join(["Reporting starts", "Reporting ends", "Campaign name", "Amount spent (EUR)",
                       "Impressions", "Link clicks"])
    path = tmp_path / name
    path.write_bytes((header + "\n" + body).encode(encoding))
    return path


def test_formula_injection_cells_stay_text_and_bad_numbers_are_skipped(template, tmp_path):
    path = _meta(tmp_path,
                 '2025-03-01,2025-03-31,"=HYPERLINK(""http://x"",""y"")",10.00,100,5\n'
                 '2025-03-01,2025-03-31,+cmd,=1+2,100,5\n'
                 '2025-03-01,2025-03-31,@SUM(A1),20.00,"lots\x1b[31m",5\n')
    result = import_exports(template, [path])
    assert result.imported == 1 and result.skipped == 2
    assert f"{path}: line 3: 'amount spent (eur)' is not a number: '=1+2'" in result.messages
    assert f"{path}: line 4: 'impressions' is not a number: 'lots\\x1b[31m'" in result.messages
    with zipfile.ZipFile(result.output) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"HYPERLINK" not in xml and b"cmd" not in xml
    assert openpyxl.load_workbook(result.output)["Costs"]["F5"].value == 10


def test_semicolons_decimal_comma_and_windows_1252(tmp_path):
    path = _meta(tmp_path, "01.03.2025;31.03.2025;Campaña primavera;1.234,56;12.000;340\n"
                           "15.03.2025;31.03.2025;Promoción;99,5;800;12\n",
                 encoding="cp1252", sep=";")
    e = parse_export(path, MARCH, "EUR")
    assert [(r.date, r.measures["spend"], r.measures["impressions"]) for r in e.rows] == [
        (dt.date(2025, 3, 1), 1234.56, 12000), (dt.date(2025, 3, 15), 99.5, 800)]


def test_bom_and_utf16_without_bom(tmp_path):
    body = "2025-03-01,2025-03-31,A,5.00,10,1\n"
    bom = _meta(tmp_path, body, "bom.csv", "utf-8-sig")
    utf16 = _meta(tmp_path, body, "u16.csv", "utf-16-le")
    for path in (bom, utf16):
        assert [r.measures["spend"] for r in parse_export(path, MARCH, "EUR").rows] == [5.0]


def test_unknown_layout_names_the_columns_seen(template, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("Deal,Owner,Stage\nBig one,Ann,Won\n")
    result = import_exports(template, [path, EXPORTS / "tiktok_ads_manager.xlsx"])
    assert result.failed_files == 1 and result.output is not None  # the other file is imported
    assert result.messages[0].startswith(f"{path}: not an export layout roi-xl knows")
    assert result.messages[0].endswith("columns seen: 'Deal', 'Owner', 'Stage'")


def test_huge_and_binary_files_are_refused(tmp_path):
    big = _meta(tmp_path, "2025-03-01,2025-03-31,A,5.00,10,1\n" * 2000, "big.csv")
    with pytest.raises(ExportError, match="too large"):
        parse_export(big, MARCH, "EUR", max_bytes=10_000)
    with pytest.raises(ExportError, match="more than 100 rows"):
        parse_export(big, MARCH, "EUR", max_rows=100)
    binary = tmp_path / "x.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ExportError):
        parse_export(binary, MARCH, "EUR")


def test_write_inputs_writes_text_as_text_and_refuses_formula_cells(template, tmp_path):
    out = tmp_path / "w.xlsx"
    write_inputs(template, out, {("Costs", "B5"): "=1+1", ("Costs", "F5"): 12.5})
    ws = openpyxl.load_workbook(out)["Costs"]
    assert (ws["B5"].value, ws["B5"].data_type, ws["F5"].value) == ("=1+1", "s", 12.5)
    with pytest.raises(ValueError, match="H5 holds a formula"):
        write_inputs(template, tmp_path / "x.xlsx", {("Costs", "H5"): 1})
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_import_runs_and_reports(template):
    run = subprocess.run([sys.executable, "-m", "roi_xl.cli", "import", str(template), "--from",
                          str(EXPORTS / "meta_ads_manager.csv"), str(EXPORTS / "missing.csv")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1  # one file could not be read; the other was imported
    assert "3 rows imported, 0 skipped into" in run.stdout
    assert "missing.csv: cannot read it (No such file or directory)" in run.stderr
    assert template.with_name("plan-imported.xlsx").exists()


def test_ga4_by_channel_group_and_without_any_source_column(tmp_path):
    grouped = tmp_path / "ga4_groups.csv"
    grouped.write_text("# Start date: 20250301\n# End date: 20250331\n"
                       "Session default channel group,Sessions,Key events,Total revenue\n"
                       "Organic Social,300,6,240\nPaid Social,100,4,160\nOrganic Search,900,20,800\n")
    e = parse_export(grouped, MARCH, "EUR")
    assert [(r.channel, r.measures["sessions"]) for r in e.rows] == [("All channels", 300), ("All channels", 100)]
    assert e.skipped == ["line 6: not a social-network source: 'Organic Search'"]
    bare = tmp_path / "ga4_bare.csv"
    bare.write_text("Date,Sessions,Key events\n20250301,50,1\n")
    with pytest.raises(ExportError, match="without a source or channel column"):
        parse_export(bare, MARCH, "EUR")
