"""Reading the rows of a spreadsheet an official uploads, CSV (UTF-8) or Excel (.xlsx), and the
error every sheet's parser raises (pure: no Django). Importing one, all or nothing, is
``sheet_import.py``."""

import csv
import io
from pathlib import Path


class UnreadableSheet(ValueError):
    pass


class SheetError(ValueError):
    """The rows a parser refuses, every problem with its line (``line 3: ...``)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def read_rows(name: str, content: bytes) -> tuple[list[str], list[dict[str, object]]]:
    """The header and the rows of the first sheet, each row a dict by column name."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableSheet("the file is not UTF-8 text; save it as CSV UTF-8") from error
        reader = csv.DictReader(io.StringIO(text))
        rows = list(reader)
        return list(reader.fieldnames or []), rows
    if suffix == ".xlsx":
        # Imported here so that the parsers, pure cores that import this module, load without it.
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UnreadableSheet("the file is not a readable .xlsx workbook") from error
        values = list(workbook.worksheets[0].iter_rows(values_only=True))
        if not values:
            return [], []
        header = [str(v).strip() if v is not None else "" for v in values[0]]
        rows = [dict(zip(header, row, strict=False)) for row in values[1:]]
        return header, rows
    raise UnreadableSheet("send a .csv or .xlsx file")
