"""Helpers shared by the test folders: formula cases run through the engine (formula_cases), the
formulas path as a reference for the plan (two_paths), LibreOffice as a second engine (libreoffice),
the hostile-input corpus (hostile_corpus) and write-back workbooks built by code (workbook_fixtures)."""
