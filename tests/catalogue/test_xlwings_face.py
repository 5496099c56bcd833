"""The xlwings face for the classic add-in (roi_xl/xlwings_udfs.py), proven without Excel.

On Linux `xw.func`/`xw.arg` attach nothing and `xlwings.udfs` needs pywin32. So the Windows-only
modules it imports (pythoncom, pywintypes, win32api, win32com...) are stubbed in sys.modules,
xlwings' own Windows code is imported for real (`xlwings.udfs`, `xlwings._xlwindows`,
`xlwings.com_server`), `xw.func`/`xw.arg` are pointed at `xlwings.udfs.xlfunc`/`xlarg` as they
are on Windows, and the face module is imported afresh under the name users give xlwings
(`roi_xl.xlwings_udfs`; the older name `roi_xl_udfs`, udfs/roi_xl_udfs.py, is checked too). Then:

* `xlwings.udfs.import_udfs` ("Import Functions") writes the VBA module Excel would import and
  registers each function's help through `Application.MacroOptions` on a recording workbook;
* `xlwings.com_server.XLPython.CallUDF`, the method VBA's `XLPy.CallUDF` calls, evaluates
  functions with arguments shaped as pywin32 delivers them (numbers, range objects whose Value
  is a tuple of rows, VT_ERROR codes, the "missing argument" code), through xlwings' real
  argument and result conversion.

Everything is undone after the module's tests (sys.modules, ctypes, xlwings attributes).
"""
from __future__ import annotations

import atexit
import ctypes
import datetime as dt
import importlib
import inspect
import io
import keyword
import re
import sys
import types
from pathlib import Path
from unittest import mock

import pytest
import xlwings

from roi_xl import CATALOGUE, XlError

from tests.catalogue.office_js import cases, excel_value, same

UDFS_DIR = Path(__file__).resolve().parents[2] / "udfs"
MODULE = "roi_xl.xlwings_udfs"
OLD_MODULE = "roi_xl_udfs"  # udfs/roi_xl_udfs.py, what the template's xlwings.conf names

# As pywin32 hands Excel values to Python: an error cell is its SCODE (int), an argument left
# out of the formula is DISP_E_PARAMNOTFOUND.
MISSING = -2147352572
DIV0, NA, VALUE = -2146826281, -2146826246, -2146826273
RANGE_IID = "{00020846-0000-0000-C000-000000000046}"  # what _xlwindows.is_range_instance checks


# ---------------------------------------------------------------- stubs of pywin32


class VARIANT:
    """Stand-in for win32com.client.VARIANT (same constructor and attributes)."""

    def __init__(self, varianttype, value):
        self.varianttype = varianttype
        self.value = value

    def __eq__(self, other):
        return (isinstance(other, VARIANT)
                and (self.varianttype, self.value) == (other.varianttype, other.value))

    def __repr__(self):
        return f"VARIANT({self.varianttype}, {self.value})"


VT_ERROR = 10


def error_variant(scode):
    return VARIANT(VT_ERROR, scode)


class ComError(Exception):
    pass


def _module(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


def _unwrap(value):
    raise ValueError("not a wrapped Python object")  # as win32com.server.util.unwrap does


def windows_stubs():
    py_idispatch = type("PyIDispatch", (), {})
    client = _module(
        "win32com.client", VARIANT=VARIANT, Dispatch=mock.MagicMock(name="Dispatch"),
        DispatchEx=mock.MagicMock(name="DispatchEx"), CDispatch=type("CDispatch", (), {}),
        CoClassBaseClass=type("CoClassBaseClass", (), {}),
        DispatchBaseClass=type("DispatchBaseClass", (), {}))
    server = _module("win32com.server")
    server.dispatcher = _module("win32com.server.dispatcher")
    server.policy = _module("win32com.server.policy", DefaultPolicy=type("DefaultPolicy", (), {}))
    server.util = _module("win32com.server.util", wrap=lambda obj, **kw: obj, unwrap=_unwrap)
    server.__path__ = []
    win32com = _module("win32com", client=client, server=server, __path__=[])
    return {
        "pythoncom": _module(
            "pythoncom", VT_ERROR=VT_ERROR, CoInitialize=lambda: None, IID_IDispatch="IDispatch",
            IID_IEnumVARIANT="IEnumVARIANT", TypeIIDs={"IDispatch": py_idispatch},
            __file__="pythoncom311.dll"),
        "pywintypes": _module("pywintypes", com_error=ComError, error=ComError, IID=str,
                              TimeType=type("TimeType", (dt.datetime,), {})),
        "win32api": _module("win32api"), "win32con": _module("win32con"),
        "win32event": _module("win32event"), "win32gui": _module("win32gui"),
        "win32process": _module("win32process", GetWindowThreadProcessId=lambda hwnd: (1, 4242)),
        "win32timezone": _module("win32timezone"),
        "win32com": win32com, "win32com.client": client, "win32com.server": server,
        "win32com.server.dispatcher": server.dispatcher, "win32com.server.policy": server.policy,
        "win32com.server.util": server.util,
    }


class ComRange:
    """A Range as pywin32 hands it to Python: a COM object whose Value is a tuple of rows
    (a single cell's Value is the value itself)."""

    def __init__(self, value):
        self.Value = value
        rows = value if isinstance(value, tuple) else ((value,),)
        self.Row = self.Column = 1
        self.Rows = types.SimpleNamespace(Count=len(rows))
        self.Columns = types.SimpleNamespace(Count=len(rows[0]))
        app = types.SimpleNamespace(Hwnd=1)
        book = types.SimpleNamespace(Application=app, Name="roi_model.xlsm")
        self.Worksheet = types.SimpleNamespace(Parent=book, Name="Costs")
        type_attr = types.SimpleNamespace(iid=RANGE_IID)
        type_info = types.SimpleNamespace(GetTypeAttr=lambda: type_attr)
        self._oleobj_ = types.SimpleNamespace(GetTypeInfo=lambda: type_info)


class RecordingWorkbook:
    """The workbook "Import Functions" works on: records the VBA it imports and MacroOptions."""

    Name = "roi_model.xlsm"

    def __init__(self):
        self.imported_vba = None
        self.macro_options = {}
        book = self

        class VBComponents:
            def __call__(self, name):
                raise ComError("no module named " + name)  # first import: nothing to remove

            def Remove(self, component):
                raise AssertionError("not reached")

            def Import(self, path):
                book.imported_vba = Path(path).read_text()

        class Application:
            Version = "16.0"

            def MacroOptions(self, macro, **options):
                assert macro not in book.macro_options, f"{macro} registered twice"
                book.macro_options[macro] = options

        self.VBProject = types.SimpleNamespace(VBComponents=VBComponents())
        self.Application = Application()


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def face():
    """The face as users get it on Linux/macOS: plain functions."""
    return importlib.import_module(MODULE)


@pytest.fixture(scope="module")
def windows(face):
    """xlwings' Windows code on stubbed pywin32, and the face imported as on Windows."""
    added = ("xlwings._xlwindows", "xlwings.udfs", "xlwings.com_server", MODULE, OLD_MODULE)
    saved = {name: sys.modules.pop(name, None) for name in added}
    had_attrs = {name: hasattr(xlwings, name) for name in ("_xlwindows", "udfs", "com_server")}
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(UDFS_DIR))  # as the editable install and the wheel put it on the path
        for name, module in windows_stubs().items():
            mp.setitem(sys.modules, name, module)
        mp.setattr(ctypes, "windll", mock.MagicMock(name="windll"), raising=False)
        mp.setattr(ctypes, "oledll", mock.MagicMock(name="oledll"), raising=False)
        mp.setattr(ctypes, "PyDLL", mock.MagicMock(name="PyDLL"))
        xlwindows = importlib.import_module("xlwings._xlwindows")
        udfs = importlib.import_module("xlwings.udfs")
        com_server = importlib.import_module("xlwings.com_server")
        try:
            # As xlwings/__init__.py does on Windows: the COM engine, and the real decorators.
            engines = xlwings.main.Engines()
            engines.add(xlwings.main.Engine(impl=xlwindows.engine))
            mp.setattr(xlwings, "engines", engines)
            mp.setattr(xlwings, "func", udfs.xlfunc)
            mp.setattr(xlwings, "arg", udfs.xlarg)
            mp.setattr(xlwings, "ret", udfs.xlret)
            mp.setattr(udfs, "__pro__", False)
            mp.setattr(udfs, "udf_modules", {})
            win_face = importlib.import_module(MODULE)  # afresh, with the decorators above
            assert win_face is not face
            # What the COM server does on the first call: import the module by its name.
            assert udfs.get_udf_module(MODULE, None) is win_face
            old_face = udfs.get_udf_module(OLD_MODULE, None)
            yield types.SimpleNamespace(face=win_face, old_face=old_face, udfs=udfs,
                                        xlwindows=xlwindows, server=com_server.XLPython())
        finally:
            atexit.unregister(xlwindows.cleanup)
            udfs.com_executor.shutdown(wait=False)
            com_server.loop.close()
            for name in added:
                sys.modules.pop(name, None)
                if saved[name] is not None:
                    sys.modules[name] = saved[name]
            for name, had in had_attrs.items():
                if not had and hasattr(xlwings, name):
                    delattr(xlwings, name)


@pytest.fixture(scope="module")
def imported(windows):
    """Run xlwings' "Import Functions" on a recording workbook."""
    book = RecordingWorkbook()
    windows.udfs.import_udfs(MODULE, book)
    return book


def excel_signature(fn):
    return ", ".join(("Optional " if a.optional else "") + a.name for a in fn.args)


# ---------------------------------------------------------------- the module itself


def test_module_exposes_each_catalogue_function_once_by_its_excel_name(face):
    assert face.__all__ == sorted(CATALOGUE)
    for name, fn in CATALOGUE.items():
        udf = getattr(face, name)
        assert udf.__name__ == name
        assert udf.__doc__ == fn.wizard_help
        params = list(inspect.signature(udf).parameters.values())
        assert [p.name for p in params] == [a.name for a in fn.args]
        for p, a in zip(params, fn.args):
            assert p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            assert p.default is (None if a.optional else inspect.Parameter.empty)
    wrappers = [v for v in vars(face).values() if hasattr(v, "excel_function")]
    assert sorted(w.__name__ for w in wrappers) == sorted(CATALOGUE)


def test_reloading_the_module_works(face):
    # xlwings reloads a UDF module whose file changed; the exposed names must not clash.
    assert importlib.reload(face).SOCIAL_ROI(150, 100) == 0.5


# ---------------------------------------------------------------- what "Import Functions" builds


def test_xlwings_metadata_carries_category_argument_help_and_options(windows):
    for name, fn in CATALOGUE.items():
        xlfunc = getattr(windows.face, name).__xlfunc__
        assert xlfunc["name"] == name
        assert xlfunc["category"] == "Social ROI" == fn.category
        assert xlfunc["ret"] == {"doc": fn.wizard_help, "options": {}}  # no expand: Excel 365 spills
        assert [a["name"] for a in xlfunc["args"]] == [a.name for a in fn.args]
        for info, a in zip(xlfunc["args"], fn.args):
            assert info["doc"] == a.help
            assert info["options"] == {"ndim": 2, "err_to_str": True}
            assert ("optional" in info) is a.optional
            assert info.get("optional") is None


def test_vba_module_declares_every_function_with_its_arguments(windows, imported):
    vba = imported.imported_vba
    declared = dict(re.findall(r"^Function (\w+)\((.*)\)$", vba, flags=re.M))
    assert declared == {name: excel_signature(fn) for name, fn in CATALOGUE.items()}
    for name, fn in CATALOGUE.items():
        arrays = ", ".join(a.name for a in fn.args)
        assert (f'{name} = XLPy.CallUDF("{MODULE}", "{name}", Array({arrays}), ThisWorkbook, '
                "Application.Caller)") in vba
    # generate_vba_wrapper is what import_udfs wrote into the module it imported.
    direct = io.StringIO()
    windows.udfs.generate_vba_wrapper(MODULE, windows.face, direct, imported)
    assert direct.getvalue() and direct.getvalue() in vba
    assert "Function SOCIAL_ROI(returns, costs)" in vba
    assert "Function KPI_ATTAINMENT(actual, target, Optional direction, Optional baseline, " \
           "Optional cap)" in vba


def test_function_wizard_gets_description_category_and_argument_help(imported):
    assert set(imported.macro_options) == {f"'{imported.Name}'!{name}" for name in CATALOGUE}
    for name, fn in CATALOGUE.items():
        options = imported.macro_options[f"'{imported.Name}'!{name}"]
        assert options["Category"] == "Social ROI"
        assert options["Description"] == fn.wizard_help
        assert len(fn.wizard_help) <= 255 and fn.wizard_help.split(".")[0] in fn.help
        assert options["Description"].replace("\n", " ").startswith(fn.summary)
        assert options["ArgumentDescriptions"] == [a.help[:255] for a in fn.args]
        assert all(len(a.help) <= 255 for a in fn.args)  # nothing cut from argument help


_VBA_RESERVED = set("""and as boolean byref byte byval call case const currency date declare dim
do double each else elseif empty end enum eqv erase error event exit false for friend function get
global gosub goto if imp implements in integer is let lib like long longlong loop lset me mod new
next not nothing null on optional or paramarray preserve private property public raiseevent redim
rem resume return rset select set single static step stop string sub then to true type typeof
until variant wend while with withevents xor array application caller err""".split())


def test_names_are_usable_in_vba_and_excel():
    for name, fn in CATALOGUE.items():
        # Letters, digits, underscores, a letter first; not a cell reference such as ROI1.
        assert re.fullmatch(r"[A-Za-z]\w{0,254}", name) and name.isupper()
        assert not re.fullmatch(r"[A-Z]{1,3}\d+|R\d*C\d*", name)
        seen = {name.lower()}
        for a in fn.args:
            assert re.fullmatch(r"[A-Za-z]\w{0,254}", a.name), a.name
            assert a.name.lower() not in _VBA_RESERVED, f"{name}: {a.name} is a VBA word"
            assert not keyword.iskeyword(a.name)
            assert a.name.lower() not in seen, f"{name}: {a.name} clashes (VBA ignores case)"
            seen.add(a.name.lower())
        optional = [a.optional for a in fn.args]
        assert optional == sorted(optional), f"{name}: an Optional argument before a required one"


# ---------------------------------------------------------------- calls as Excel makes them


def call(windows, name, *args, module=MODULE):
    """VBA's XLPy.CallUDF(module, name, Array(args...)) as the COM server runs it."""
    return windows.server.CallUDF(module, name, args, None, None)


def test_call_udf_numbers_ranges_and_optional_arguments(windows):
    assert call(windows, "SOCIAL_ROI", 150.0, 100.0) == 0.5
    assert call(windows, "SOCIAL_ROI", ComRange(((100.0,), (50.0,))), ComRange(100.0)) == 0.5
    assert call(windows, "SOCIAL_ROAS", 400.0, 100.0) == 4.0
    assert call(windows, "KPI_ATTAINMENT", 90.0, 100.0, MISSING, MISSING, MISSING) == 0.9
    assert call(windows, "KPI_ATTAINMENT", 50.0, 100.0, "lower", MISSING, MISSING) == 2.0
    assert call(windows, "KPI_ATTAINMENT", 50.0, 100.0, "LOWER", MISSING, 1.2) == 1.2
    assert call(windows, "KPI_ATTAINMENT", 90.0, 100.0, ComRange(None), MISSING, MISSING) == 0.9
    assert call(windows, "KPI_STATUS", 0.95, MISSING, MISSING) == "AMBER"
    # (100 + 2 x 50) + (200 + blank hours) = 400; allocations left out count as 100%.
    amounts, hours, rates = (ComRange(((100.0,), (200.0,))), ComRange(((2.0,), (None,))),
                             ComRange(((50.0,), (50.0,))))
    assert call(windows, "COST_TOTAL", amounts, hours, rates, MISSING) == 400.0
    # 40 + 40 = 80 after two periods; the third's 40 reaches 100 half-way: 2.5.
    assert call(windows, "PAYBACK_PERIODS", 100.0, ComRange(((40.0, 40.0, 40.0),))) == 2.5
    # A date cell arrives as a datetime: 1 March 1900 is serial 61.
    assert call(windows, "COST_PER", ComRange(dt.datetime(1900, 3, 1)), 61.0) == 1.0


def test_call_udf_array_result_is_a_2d_list_for_excel_to_spill(windows):
    keys = ComRange((("Staff",), ("Ads",), ("staff",)))
    amounts = ComRange(((100.0,), (50.0,), (25.0,)))
    assert call(windows, "COST_ROLLUP", keys, amounts, MISSING) == [["Staff", 125.0],
                                                                     ["Ads", 50.0]]
    assert call(windows, "COST_ROLLUP", keys, amounts, "ads") == 50.0


def test_call_udf_series_results_spill_in_the_series_orientation(windows):
    # 100, blank, 300 by period, half landing at once and half a period later (by hand).
    periods = ComRange(((100.0,), (None,), (300.0,)))
    profile = ComRange(((0.5, 0.5),))
    assert call(windows, "LAG_SPREAD", periods, profile, MISSING) == [[50.0], [50.0], [150.0]]
    assert call(windows, "LAG_SPREAD", periods, profile, True) == [[50.0], [50.0], [150.0],
                                                                   [150.0]]
    touches = ComRange(((30.0, 12.0, 5.0, 0.0),))
    # A one-row result reaches VBA as a one-dimensional array, which Excel spills as a row.
    assert call(windows, "ATTRIBUTION_WEIGHTS", touches, "Position", MISSING) == pytest.approx(
        [0.4, 0.1, 0.1, 0.4])
    assert call(windows, "ATTRIBUTION_WEIGHTS", touches, MISSING, MISSING) == [0.25] * 4
    assert call(windows, "ATTRIBUTION_WEIGHTS", ComRange(((7.0,), (0.0,))), "time_decay",
                MISSING) == [[pytest.approx(1 / 3)], [pytest.approx(2 / 3)]]
    channels = ComRange((("LinkedIn", "Webinar", "Email", "linkedin"),))
    assert call(windows, "ATTRIBUTED_VALUE", channels, touches, 50_000.0, "LINKEDIN", "position",
                MISSING) == pytest.approx(40_000)
    assert call(windows, "RETENTION_VALUE", 2_000.0, 0.04, 90.0, 12.0, MISSING) \
        == pytest.approx(86_400)
    assert call(windows, "NET_SENTIMENT", 180.0, 45.0, MISSING) == pytest.approx(0.6)
    assert call(windows, "LAG_SPREAD", periods, ComRange(((0.5, 0.6),)), MISSING) \
        == error_variant(windows.face.SCODES[XlError.NUM])
    assert call(windows, "ATTRIBUTION_WEIGHTS", touches, "u_shape", MISSING) == error_variant(VALUE)
    assert call(windows, "SHARE_OF_VOICE", 0.0, 0.0) == error_variant(DIV0)


def test_call_udf_errors_come_back_as_true_error_values(windows):
    assert call(windows, "SOCIAL_ROI", 1.0, 0.0) == error_variant(DIV0)
    assert call(windows, "SOCIAL_ROI", ComRange(((1.0,), (DIV0,))), 1.0) == error_variant(DIV0)
    assert call(windows, "SOCIAL_ROI", NA, 1.0) == error_variant(NA)  # =SOCIAL_ROI(NA(), 1)
    assert call(windows, "KPI_ATTAINMENT", 1.0, 1.0, "sideways", MISSING, MISSING) \
        == error_variant(VALUE)
    assert call(windows, "PAYBACK_PERIODS", 100.0, ComRange(((10.0, 10.0),))) == error_variant(NA)
    assert call(windows, "SOCIAL_ROI", 1.0, -1.0) == error_variant(windows.face.SCODES[XlError.NUM])


def test_scodes_agree_with_xlwings(windows, face):
    for scode, text in windows.xlwindows.cell_errors.items():
        assert face.SCODES[XlError(text)] == scode
    assert set(face.SCODES) == set(XlError)


def test_error_values_with_pywin32_are_vt_error_variants(windows):
    make = windows.face.com_error_value()  # stubbed pywin32 is importable here
    assert make(XlError.DIV0) == error_variant(DIV0)
    assert windows.face.to_excel([["Ads", XlError.NA]], make) == [["Ads", error_variant(NA)]]
    assert windows.face.to_excel(0.5, make) == 0.5


def com_argument(payload, scodes):
    """An argument shaped as Office.js sends it (tests/catalogue/office_js.py) as pywin32 hands the same
    cells to xlwings: left out is DISP_E_PARAMNOTFOUND, a cell a range whose Value is the value
    (a tuple of rows for several cells), a number a float, an error cell its SCODE."""
    if payload is None:
        return MISSING

    def cell(v):
        if isinstance(v, dict):
            return scodes[XlError.from_code(v["basicValue"])]
        if v == "":
            return None
        return float(v) if isinstance(v, int) and not isinstance(v, bool) else v

    rows = tuple(tuple(cell(v) for v in row) for row in payload)
    return ComRange(rows[0][0] if len(rows) == len(rows[0]) == 1 else rows)


def as_rows(value):
    """A result as rows: xlwings hands VBA a one-row table as one row, a cell as a value."""
    if not isinstance(value, list):
        return [[value]]
    return value if all(isinstance(row, list) for row in value) else [value]


def test_call_udf_gives_what_the_catalogue_gives_for_every_function(windows):
    """Every catalogue function, on the Office.js cases of tests/catalogue/office_js.py sent the classic way.

    Error cells beyond the seven pywin32 codes xlwings reads (#SPILL!, #CALC!...) are left out:
    xlwings would read their SCODE as a number."""
    readable = set(windows.xlwindows.cell_errors.values())
    scodes = windows.face.SCODES
    checked, wrong = 0, []
    for name, args in cases():
        if any(isinstance(v, dict) and v["basicValue"] not in readable
               for a in args if a for row in a for v in row):
            continue
        want = CATALOGUE[name](*[excel_value(a) for a in args])
        want = [[error_variant(scodes[v]) if isinstance(v, XlError) else
                 "" if v is None else v for v in row] for row in as_rows(want)]
        got = as_rows(call(windows, name, *[com_argument(a, scodes) for a in args]))
        checked += 1
        if not (len(got) == len(want) and all(
                len(g) == len(w) and all(gv == wv if isinstance(wv, VARIANT) else same(gv, wv)
                                         for gv, wv in zip(g, w)) for g, w in zip(got, want))):
            wrong.append(f"{name}{args}: {got} != {want}")
    assert checked > 10 * len(CATALOGUE) and not wrong, "\n".join(wrong[:20])


def test_the_older_module_name_serves_the_same_functions(windows):
    """Workbooks whose xlwings.conf names `roi_xl_udfs` (udfs/roi_xl_udfs.py) keep working: the
    same decorated functions, one definition each, imported and called by that name."""
    assert windows.old_face.__all__ == sorted(CATALOGUE)
    for name in CATALOGUE:
        assert getattr(windows.old_face, name) is getattr(windows.face, name)
    book = RecordingWorkbook()
    windows.udfs.import_udfs(OLD_MODULE, book)
    assert 'SOCIAL_ROI = XLPy.CallUDF("roi_xl_udfs", "SOCIAL_ROI", Array(returns, costs), ' \
        in book.imported_vba
    assert call(windows, "SOCIAL_ROI", 150.0, 100.0, module=OLD_MODULE) == 0.5
    assert call(windows, "SOCIAL_ROI", 1.0, 0.0, module=OLD_MODULE) == error_variant(DIV0)


# ---------------------------------------------------------------- direct Python calls


def shown(result, face):
    """What a cell shows: an error variant or an error text as its text, else the value."""
    if hasattr(result, "varianttype"):
        return {v: k.value for k, v in face.SCODES.items()}[result.value]
    return result


def test_direct_calls_with_xlwings_shaped_arguments(face):
    def run(name, *args, **kwargs):
        return shown(getattr(face, name)(*args, **kwargs), face)

    assert run("SOCIAL_ROI", 150, 100) == 0.5
    assert run("SOCIAL_ROI", [[150]], [[100]]) == 0.5
    assert run("SOCIAL_ROI", [[100], [50]], [[100]]) == 0.5
    assert run("SOCIAL_ROI", [["#DIV/0!"]], [[100]]) == "#DIV/0!"
    assert run("SOCIAL_ROI", [[1], ["#N/A"]], [[1]]) == "#N/A"
    assert run("SOCIAL_ROI", 1, 0) == "#DIV/0!"
    assert run("SOCIAL_ROI", [[1]], [[None]]) == "#DIV/0!"  # a blank cost is 0
    assert run("SOCIAL_ROI", [["abc"]], [[1]]) == "#VALUE!"
    assert run("SOCIAL_ROI", 1, -1) == "#NUM!"
    assert run("KPI_ATTAINMENT", 90, 100) == 0.9
    assert run("KPI_ATTAINMENT", [[90]], [[100]], None, None, None) == 0.9
    assert run("KPI_ATTAINMENT", actual=[[50]], target=[[100]], direction=[["lower"]]) == 2.0
    assert run("KPI_ATTAINMENT", 50, 100, "lower", cap=[[1.2]]) == 1.2
    assert run("KPI_ATTAINMENT", 50, 100, "#N/A") == "#N/A"
    assert run("KPI_STATUS", [[0.5]]) == "RED"
    assert run("COST_ROLLUP", [["Staff"], ["Ads"], ["staff"]], [[100], [50], [25]]) \
        == [["Staff", 125.0], ["Ads", 50.0]]
    assert run("COST_ROLLUP", [["Staff"], ["Ads"]], [[100], [50]], [["STAFF"]]) == 100.0
    assert run("COST_PER", [[dt.date(1900, 3, 1)]], 61) == 1.0
    # Wrong calls answer #VALUE!, as Excel does, instead of raising.
    assert run("SOCIAL_ROI", 1) == "#VALUE!"
    assert run("SOCIAL_ROI", 1, 2, 3) == "#VALUE!"
    assert run("SOCIAL_ROI", 1, cost=2) == "#VALUE!"


def test_without_pywin32_errors_are_their_text(face):
    udf = face.wrap(CATALOGUE["SOCIAL_ROI"])  # no error maker: what the classic add-in gets
    assert udf(1, 0) == "#DIV/0!" and isinstance(udf(1, 0), str)
    assert face.to_excel([["a", XlError.NA]]) == [["a", "#N/A"]]
    assert face.from_excel([["#REF!", "higher", None, 1.0]]) == [[XlError.REF, "higher", None, 1.0]]


def test_nothing_raises_even_when_the_catalogue_does(face, monkeypatch):
    fn = CATALOGUE["SOCIAL_ROI"]
    monkeypatch.setattr(face, "to_excel", mock.Mock(side_effect=RuntimeError("boom")))
    assert face.wrap(fn)(1, 1) == "#VALUE!"
