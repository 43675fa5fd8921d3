"""Importing a sheet, all or nothing: every way it is refused gives its reasons, and what the
service wrote before it refused is undone."""

import pytest

from haicap.catalog.models import Field
from haicap.core.errors import InvalidInput
from haicap.core.sheet_import import NothingImported, import_sheet, import_sheet_file
from haicap.core.sheets import SheetError

SHEET = b"code,name\nHT,Civil status\nDD,Land\n"


def codes(rows, header):
    return [row["code"] for row in rows]


@pytest.mark.django_db
def test_the_parsed_rows_are_applied_and_the_services_answer_returned():
    assert import_sheet("x.csv", SHEET, codes, lambda parsed: len(parsed)) == 2


def test_a_file_that_is_not_a_sheet_is_refused_in_one_line():
    with pytest.raises(NothingImported) as refused:
        import_sheet("x.txt", SHEET, codes, len)
    assert refused.value.problems == ["send a .csv or .xlsx file"]
    assert str(refused.value) == "send a .csv or .xlsx file"


def test_bad_rows_are_all_listed_and_counted():
    def refuse(rows, header):
        raise SheetError(["line 2: code is empty", "line 3: name is empty"])

    with pytest.raises(NothingImported) as refused:
        import_sheet("x.csv", SHEET, refuse, len)
    assert refused.value.problems == ["line 2: code is empty", "line 3: name is empty"]
    assert str(refused.value) == (
        "2 problem(s), nothing imported: line 2: code is empty; line 3: name is empty"
    )


@pytest.mark.django_db
def test_what_the_service_wrote_before_refusing_is_undone():
    def apply(parsed):
        for code in parsed:
            Field.objects.create(code=code, name=code)
        raise InvalidInput("line 3: no such agency")

    with pytest.raises(NothingImported) as refused:
        import_sheet("x.csv", SHEET, codes, apply)
    assert refused.value.problems == ["line 3: no such agency"]
    assert str(refused.value) == "nothing imported: line 3: no such agency"
    assert not Field.objects.filter(code__in=["HT", "DD"]).exists()


def test_a_file_that_cannot_be_read_is_refused_with_its_path(tmp_path):
    missing = tmp_path / "missing.csv"
    with pytest.raises(NothingImported, match=r"^cannot read .*missing\.csv: No such file"):
        import_sheet_file(missing, codes, len)
