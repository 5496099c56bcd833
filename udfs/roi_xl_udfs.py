"""roi-xl's Excel functions under their first module name, for workbooks that name `roi_xl_udfs`
in xlwings' UDF MODULES (the measurement-plan template does). Installed by `pip install roi-xl`
beside `roi_xl`; the functions themselves are `roi_xl.xlwings_udfs` (docs/excel.md)."""
from roi_xl.xlwings_udfs import *  # noqa: F401,F403 - the decorated functions, by Excel name
from roi_xl.xlwings_udfs import __all__  # noqa: F401
