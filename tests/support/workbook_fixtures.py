"""Workbooks for the write-back tests, built by code: openpyxl for the parts it writes well,
then a few zip-level edits for what it does not write (a calcChain, shared formulas)."""
from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path

from lxml import etree

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ONE_SHEET = "xl/worksheets/sheet1.xml"


def png_bytes(size: tuple[int, int] = (8, 6)) -> bytes:
    from PIL import Image as PILImage

    img = PILImage.new("RGB", size, (200, 30, 30))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def build_rich_workbook(path: Path) -> Path:
    """Two sheets with formulas, a chart, an image, data validation, conditional formatting,
    comments, defined names, styles and number formats, and an array formula whose spill
    cells are not in the file. Returns `path`."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.formula import ArrayFormula

    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Channel", "Spend", "Revenue", "ROI", "Flag", "Label"])
    rows = [("Facebook", 100, 250), ("Instagram", 80, 60), ("TikTok", 0, 40), ("LinkedIn", 120, 300)]
    for i, (name, spend, revenue) in enumerate(rows, start=2):
        ws.append([name, spend, revenue, f"=(C{i}-B{i})/B{i}", f"=D{i}>1", f'=A{i}&" ROI"'])
        ws[f"D{i}"].number_format = "0.0%"
        ws[f"B{i}"].number_format = '"$"#,##0.00'
    ws["A7"] = "Total"
    ws["B7"] = "=SUM(B2:B5)"
    ws["C7"] = "=SUM(C2:C5)"
    ws["D7"] = "=SOCIAL_ROI(C7,B7)"
    ws["D7"].font = Font(bold=True, color="FF0000")
    ws["D7"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["D7"].number_format = "0.00%"
    ws["E7"] = "=NOW()"
    ws["E7"].number_format = "yyyy-mm-dd"
    ws["C10"] = ArrayFormula("C10:C12", "=B2:B4*2")
    ws.row_dimensions[11].height = 20  # a row element with no cells in it
    ws.column_dimensions["H"].width = 14

    ws["A1"].comment = Comment("Where the money went", "roi-xl")
    ws["D7"].comment = Comment("Computed by the add-in", "roi-xl")

    dv = DataValidation(type="whole", operator="between", formula1="0", formula2="1000")
    ws.add_data_validation(dv)
    dv.add("B2:B5")
    ws.conditional_formatting.add("D2:D5", CellIsRule(operator="lessThan", formula=["0"],
                                                      fill=PatternFill("solid", fgColor="FFC7CE")))
    ws.conditional_formatting.add("C2:C5", ColorScaleRule(start_type="min", start_color="FFFFFF",
                                                          end_type="max", end_color="63BE7B"))

    chart = BarChart()
    chart.title = "ROI by channel"
    chart.add_data(Reference(ws, min_col=4, min_row=1, max_row=5), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=5))
    ws.add_chart(chart, "H2")

    img_path = path.with_suffix(".png")
    img_path.write_bytes(png_bytes())
    ws.add_image(Image(str(img_path)), "H20")

    data = wb.create_sheet("Data ROI")
    data["A1"] = 5
    data["A2"] = "=Plan!D7*2"
    data["B2"] = "=IFERROR(A2/0,\"n/a\")"
    data["A3"] = "=TotalSpend+1"

    wb.defined_names["TotalSpend"] = DefinedName("TotalSpend", attr_text="Plan!$B$7")
    wb.defined_names["Channels"] = DefinedName("Channels", attr_text="Plan!$A$2:$A$5")
    wb.save(path)
    img_path.unlink()
    return path


def build_sized_workbook(path: Path, rows: int = 100) -> Path:
    """A sheet of `rows` x 4 formula cells (about 400 for 100 rows), for timing."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Model"
    ws.append(["Spend", "Revenue", "ROI", "ROAS", "Net", "Flag"])
    for i in range(2, rows + 2):
        ws.append([i * 10, i * 13, f"=(B{i}-A{i})/A{i}", f"=B{i}/A{i}", f"=B{i}-A{i}", f"=C{i}>0.25"])
    wb.save(path)
    return path


def add_shared_strings(parts: dict[str, bytes], strings: list[str], preserve: bool = False) -> None:
    """Give a package's members (`parts`: name -> bytes, edited in place) the shared strings
    `strings`: the part, its relationship from the workbook and its content type (`preserve`:
    each written with xml:space="preserve")."""
    space = ' xml:space="preserve"' if preserve else ""
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + "".join(
            f"<si><t{space}>{text.replace('&', '&amp;')}</t></si>" for text in strings) + "</sst>").encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')


def rewrite_members(path: Path, edit) -> None:
    """Rewrite the zip at `path`: `edit(name, data)` returns new bytes, or None to drop the member.
    `edit` may also be given the name None once at the end and return [(name, bytes)] to append."""
    tmp = path.with_suffix(".rewrite")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)
        for name, data in edit(None, None) or []:
            zout.writestr(name, data)
    os.replace(tmp, path)


CALC_CHAIN = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
              b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<c r="D2" i="1"/><c r="D7"/></calcChain>')


def add_calc_chain(path: Path, absolute_target: bool = False) -> None:
    """Give the package an xl/calcChain.xml, its relationship and its content-type override,
    as Excel writes them (openpyxl never writes one)."""
    target = "/xl/calcChain.xml" if absolute_target else "calcChain.xml"

    def edit(name, data):
        if name is None:
            return [("xl/calcChain.xml", CALC_CHAIN)]
        if name == "xl/_rels/workbook.xml.rels":
            rel = (f'<Relationship Id="rIdCalc" Type="http://schemas.openxmlformats.org/officeDocument/'
                   f'2006/relationships/calcChain" Target="{target}"/>').encode()
            return data.replace(b"</Relationships>", rel + b"</Relationships>")
        if name == "[Content_Types].xml":
            override = (b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
                        b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>')
            return data.replace(b"</Types>", override + b"</Types>")
        return data

    rewrite_members(path, edit)


def make_shared_formulas(path: Path, sheet_member: str = "xl/worksheets/sheet1.xml") -> None:
    """Turn column B's formulas =A{i}*2 (rows 2-5) into one shared formula, as Excel writes a
    filled-down column: a master `<f t="shared" ref="B2:B5" si="0">` and dependents `<f t="shared" si="0"/>`."""

    def edit(name, data):
        if name != sheet_member:
            return None if name is None else data
        root = etree.fromstring(data)
        for c in root.iter(f"{{{MAIN_NS}}}c"):
            m = re.fullmatch(r"B([2-5])", c.get("r") or "")
            if not m:
                continue
            f = c.find(f"{{{MAIN_NS}}}f")
            f.attrib.update({"t": "shared", "si": "0"})
            if m.group(1) == "2":
                f.set("ref", "B2:B5")
            else:
                f.text = None
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    rewrite_members(path, edit)


def build_shared_formula_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Shared"
    ws.append(["x", "2x", "label"])
    for i in range(2, 6):
        ws.append([i, f"=A{i}*2", f'="row "&A{i}'])
    ws["D2"] = "=SUM(B2:B5)"
    wb.save(path)
    make_shared_formulas(path)
    return path


def xlwings_quickstart() -> Path:
    import xlwings

    return Path(os.path.dirname(xlwings.__file__)) / "quickstart.xlsm"


def copy_quickstart(dst: Path) -> Path:
    shutil.copyfile(xlwings_quickstart(), dst)
    return dst


def one_sheet_workbook(path: Path, sheet: bytes) -> Path:
    """A workbook of one sheet "S" whose part (xl/worksheets/sheet1.xml) is `sheet`, written as is."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
                    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
                    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                    f'{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml",
                    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{_REL}">'
                    '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels",
                    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                    f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/'
                    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        zf.writestr(ONE_SHEET, sheet)
    return path


def sheet_part(path: Path) -> bytes:
    """The part one_sheet_workbook wrote `sheet` to, as it is now in `path`."""
    with zipfile.ZipFile(path) as zf:
        return zf.read(ONE_SHEET)
