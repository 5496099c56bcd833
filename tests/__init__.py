"""roi-xl's tests, in folders that mirror the package (docs/architecture.md, "Tests").

Every folder is a package, so a test module imports the shared helpers by their full name
(`from tests.support.formula_cases import ...`) and two folders may hold files of the same name.
"""
