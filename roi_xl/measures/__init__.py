"""The math of social ROI: plain Python numbers in and out, no Excel types, no I/O.

Each function raises a plain exception for a result that does not exist; the catalogue maps
them to Excel errors: ZeroDivisionError -> #DIV/0!, OutOfDomain -> #NUM!, BadChoice -> #VALUE!,
NotReached -> #N/A (the three are in roi_xl.errors).
"""
