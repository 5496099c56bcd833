"""Recalculating many workbooks (`roi-xl recalc`), in modules that import one way only:

    command.py    the run: inputs to executors to the report, the summary and history rows
    ├── executors.py  where each workbook's work runs: this process, local workers, or Dask
    ├── report.py     progress and one printable line per workbook, in input order
    ├── files.py      finding the input workbooks; the staging folder; originals kept
    └── work.py       one workbook's work (process) and its FileResult; imports none of the above

Each module is imported by its own name (`from roi_xl.batch.command import run`): this file imports
none of them, so that loading one does not load the others.
"""
