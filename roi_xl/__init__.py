"""roi-xl: social-media ROI functions for Excel, a measurement-plan template, a headless engine."""
from . import catalogue as _catalogue  # noqa: F401 - fills the registry
from .errors import RoiXlError, WorkbookError
from .excel import OMITTED, XlError
from .registry import CATALOGUE, ExcelFunction, functions, get
from .version import __version__


def recalc(path, out_path=None, **kwargs):
    """Recalculate a workbook headlessly; see `roi_xl.engine.recalc`."""
    from .engine.recalc import recalc as _recalc  # the function, whatever the package binds

    return _recalc(path, out_path, **kwargs)


__all__ = ["CATALOGUE", "OMITTED", "ExcelFunction", "RoiXlError", "WorkbookError", "XlError", "functions", "get",
           "recalc", "__version__"]
