"""The xlsx layer: reading and writing Office Open XML packages, without the engine.

Nothing here imports `formulas` or `roi_xl.engine` (tests/xlsx/test_layer.py checks it); the engine,
the batch and the commands use these modules through their public names:

* `package`: the safe XML parser, zip members by part name, relationships, the workbook's sheets;
* `input_zip`: the input opened once, shared by the guard, the reader and the writer;
* `guard`: the checks a file passes before any reader opens it;
* `read`: the fast reader, a workbook's constants and formulas straight from its sheet parts;
* `lean`: big sheet parts read without their empty rows, and the edited rows put back;
* `cells`: a computed value as a cell's type and `<v>` text;
* `splice`: an edited tree written back over its original bytes;
* `sheet_edit`: the edits to one worksheet part;
* `zipcopy`: a zip copied member by member, as stored;
* `writer`: computed values (or typed inputs) written into a copy of the user's workbook.
"""
