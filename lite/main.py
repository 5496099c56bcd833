"""roi-xl's Excel functions in xlwings Lite: =SOCIAL_ROI(...), =COST_ROLLUP(...) and the rest.

Paste this into Lite's main.py (or add the import below to your own) and roi-xl to its
requirements.txt. Every catalogue function is then a custom function, with its help and
argument help in Excel's function wizard; see docs/excel.md.
"""
from roi_xl.xlwings_udfs import *  # noqa: F401,F403 - one custom function per catalogue entry
