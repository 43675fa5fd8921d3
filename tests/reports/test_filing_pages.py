"""The commune's report pages as each reader sees them: the list of its reports and periods, one
report written with its pre-filled figures and their sources, saved (refused with what was
typed kept), overridden with a reason, its figures read again, submitted (refused with what
stops it shown), returned and corrected; its submissions as they were; who reads what."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.utils import translation

from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.core.measures import Unit
from haicap.core.periods import Period
from haicap.core.report_sources import ReportSource, report_sources
from haicap.reports.definition import parse
from haicap.reports.filing_forms import ReportForm
from haicap.reports.labels import period_name
from haicap.reports.models import Report, ReportEvent, Submission
from haicap.reports.reminders import run_reminders
from haicap.reports.schedule import PeriodKind
from haicap.reports.services import filing, review
from tests.feedback.desk_helpers import vi
from tests.reports import world

pytestmark = pytest.mark.django_db

HOME = "/desk/bao-cao-dinh-ky/"


def page(report: Report, tail: str = "") -> str:
    return f"{HOME}{report.pk}/{tail}"


def send(client, report: Report, tail: str, data: dict, version: int | None = None):
    """Post the report's form as its page draws it: with the report's version then (now, unless
    ``version`` says which)."""
    if version is None:
        version = Report.objects.get(pk=report.pk).version
    return client.post(page(report, tail), {"version": str(version), **data})


def text(response) -> str:
    return html.unescape(response.content.decode())


def visible(response) -> str:
    """The page's words, tags out, spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def field_value(response, name: str) -> str | None:
    """The value an input of the page holds (a textarea's text)."""
    body = text(response)
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', body)
    if found:
        return found.group(1)
    found = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', body, re.S)
    return found.group(1) if found else None


def cell_of(response, key: str) -> str:
    """The part of the page drawing cell ``key``."""
    body = text(response)
    start = body.index(f'id="cell-{key}"')
    ends = [body.find(mark, start) for mark in ('class="field report-cell"', "</section>")]
    return body[start : min(end for end in ends if end > 0)]


def visible_in(response, key: str) -> str:
    """The words of cell ``key`` as the page shows them."""
    return " ".join(re.sub(r"<[^>]+>", " ", cell_of(response, key)).split())


def opened(people, **given):
    """Đô Lương's November report, opened on 1 December, its texts and choice filled in (and
    ``given``) on the 2nd."""
    world.publish()
    return world.fill(world.open_november(people.do_luong), people.do_luong, **given)


# --- the commune's list -----------------------------------------------------------------------


def test_the_list_shows_each_period_with_its_days_standing_and_state():
    people = world.people()
    world.publish()
    with clock.fixed_at(world.at(12, 2)):
        response = world.signed_in(people.do_luong).get(HOME)
    assert response.status_code == 200
    body = text(response)
    rows = re.findall(r'data-testid="period" data-start="([\d-]+)"', body)
    # on 2 December December's report cannot be written yet: the last three months
    assert rows == ["2026-11-01", "2026-10-01", "2026-09-01"]
    november = body[body.index('data-start="2026-11-01"') : body.index('data-start="2026-10-01"')]
    words = " ".join(re.sub(r"<[^>]+>", " ", november).split())
    assert "05/12/2026" in words and "07/12/2026" in words
    assert "Not submitted, not late yet" in words
    assert "Not opened yet" in words
    assert 'value="2026-11-01"' in november and ">Open<" in november
    october = body[body.index('data-start="2026-10-01"') : body.index('data-start="2026-09-01"')]
    assert "Not submitted, late" in october


def test_the_current_period_appears_once_it_can_be_written():
    people = world.people()
    world.publish()
    with clock.fixed_at(world.at(12, 22)):
        body = text(world.signed_in(people.do_luong).get(HOME))
    rows = re.findall(r'data-testid="period" data-start="([\d-]+)"', body)
    assert rows[0] == "2026-12-01"
    assert "Period not ended" in body


def test_opening_from_the_list_prefills_the_report_and_goes_to_it():
    people = world.people()
    world.publish()
    client = world.signed_in(people.do_luong)
    data = {"template": world.CODE, "unit": world.unit(world.DO_LUONG).pk, "start": "2026-11-01"}
    with clock.fixed_at(world.at(12, 2, 8)):
        response = client.post(f"{HOME}mo/", data)
        again = client.post(f"{HOME}mo/", data)  # continuing opens nothing twice
    report = Report.objects.get(template_code=world.CODE, unit__code=world.DO_LUONG)
    assert response.status_code == 302 and response["Location"] == page(report)
    assert again["Location"] == page(report)
    assert report.events.filter(kind=ReportEvent.Kind.OPENED).count() == 1
    with clock.fixed_at(world.at(12, 2, 9)):
        listed = text(client.get(HOME))
    assert ">Continue<" in listed and "Being written" in listed


def test_opening_is_refused_for_a_form_not_from_the_list_or_another_commune():
    people = world.people()
    world.publish()
    client = world.signed_in(people.van_hien)
    bad = client.post(f"{HOME}mo/", {"template": world.CODE, "unit": "x", "start": "1/11"})
    assert bad.status_code == 422
    assert "choose it from the list" in text(bad)
    theirs = {"template": world.CODE, "unit": world.unit(world.DO_LUONG).pk, "start": "2026-11-01"}
    with clock.fixed_at(world.at(12, 2)):
        refused = client.post(f"{HOME}mo/", theirs)
        early = world.signed_in(people.do_luong, "vi").post(
            f"{HOME}mo/", {**theirs, "start": "2026-12-01"}
        )
    assert refused.status_code == 403
    assert "Only the officers of the commune open its report." in text(refused)
    assert early.status_code == 422
    # December's report opens ten days before the month ends
    assert vi("The report of this period can be opened from %(day)s.") % {
        "day": "21/12/2026"
    } in text(early)
    assert not Report.objects.filter(template_code=world.CODE).exists()


def test_the_province_is_offered_its_overview_instead_of_a_commune_list():
    people = world.people()
    world.publish()
    for reader in (people.reviewer, people.supervisor):
        body = text(world.signed_in(reader).get(HOME))
        assert 'href="/desk/bao-cao-dinh-ky/tinh/"' in body
        assert 'data-testid="period"' not in body


def test_a_commune_that_files_nothing_is_told_so():
    people = world.people()
    world.publish(filers=(world.VAN_HIEN,))
    with clock.fixed_at(world.at(12, 2)):
        body = text(world.signed_in(people.do_luong).get(HOME))
    assert 'data-testid="nothing"' in body
    assert 'data-testid="period"' not in body


def test_the_desk_menu_leads_to_the_reports():
    people = world.people()
    body = text(world.signed_in(people.do_luong, "vi").get("/desk/"))
    assert '<a href="/desk/bao-cao-dinh-ky/" data-testid="menu-reports">Báo cáo cấp xã</a>' in body
    # the one-stop desk's own periodic report keeps its name, so the two are told apart
    assert '<a href="/desk/bao-cao/">Báo cáo giải quyết TTHC</a>' in body


# --- one report -------------------------------------------------------------------------------


def test_a_prefilled_cell_shows_its_figure_source_moment_records_and_override():
    people = world.people()
    report = opened(people)
    response = world.signed_in(people.do_luong).get(page(report))
    assert response.status_code == 200
    received = cell_of(response, "received")
    words = " ".join(re.sub(r"<[^>]+>", " ", received).split())
    assert "0 hồ sơ" in words
    assert "From haicap: Dossiers received, read on 01/12/2026 09:00" in words
    assert 'href="/desk/ho-so/?unit=17662&received_from=2026-11-01' in received
    assert 'data-testid="override"' in received and 'name="r-received"' in received
    assert field_value(response, "v-received") == "0"
    # cells written by the commune: a number, a choice, a text, a table with blank rows
    assert field_value(response, "v-meetings") == ""
    assert '<option value="Cơ bản thông suốt" selected>' in cell_of(response, "assessment")
    assert field_value(response, "v-difficulties") == "Thiếu máy scan để số hóa hồ sơ."
    assert field_value(response, "n-by_field") == "3"
    assert field_value(response, "v-by_field-2-received") == ""


def test_a_save_that_cannot_be_read_keeps_what_was_typed_and_saves_nothing():
    people = world.people()
    report = opened(people, meetings="4")
    typed = {
        "v-meetings": "bốn",
        "v-assessment": "Tuyệt vời",
        "v-proposals": "Đề nghị bổ sung biên chế",
        "n-by_field": "3",
        "v-by_field-0-field": "Hộ tịch",
        "v-by_field-0-received": "năm",
    }
    response = send(world.signed_in(people.do_luong), report, "luu/", typed)
    assert response.status_code == 422
    assert field_value(response, "v-meetings") == "bốn"
    assert field_value(response, "v-proposals") == "Đề nghị bổ sung biên chế"
    assert field_value(response, "v-by_field-0-field") == "Hộ tịch"
    assert field_value(response, "v-by_field-0-received") == "năm"
    assert '<option value="Tuyệt vời" selected>' in text(response)
    assert "Write a number" in cell_of(response, "meetings")
    assert "Write a number" in cell_of(response, "by_field")
    assert "Choose one of the answers offered." in cell_of(response, "assessment")
    assert "Nothing was saved." in visible(response)
    saved = filing.entries_of(Report.objects.get(pk=report.pk))
    assert saved["meetings"].value == Decimal(4)
    assert saved["proposals"].value == "Đề nghị tỉnh cấp bổ sung 02 máy scan."


def test_the_errors_are_said_in_vietnamese_to_a_vietnamese_reader():
    people = world.people()
    report = opened(people)
    response = world.signed_in(people.do_luong, "vi").post(
        page(report, "luu/"), {"v-meetings": "bốn", "v-received": "9", "r-received": ""}
    )
    assert vi("Nothing was saved. Correct these cells:") in visible(response)
    assert vi("Say why your figure differs from the one haicap read.") in cell_of(
        response, "received"
    )


def test_an_override_needs_its_reason_and_then_shows_haicaps_figure_and_the_difference():
    people = world.people()
    report = opened(people)
    client = world.signed_in(people.do_luong)
    refused = send(client, report, "luu/", {"v-received": "12", "r-received": "  "})
    assert refused.status_code == 422
    assert "Say why your figure differs" in cell_of(refused, "received")
    assert field_value(refused, "v-received") == "12"
    assert 'open data-testid="override"' in cell_of(refused, "received")
    assert filing.entries_of(Report.objects.get(pk=report.pk))["received"].value == Decimal(0)
    reason = "Có 12 hồ sơ giấy chưa nhập hệ thống"
    saved = send(client, report, "luu/", {"v-received": "12", "r-received": reason})
    assert saved.status_code == 302
    entry = filing.entries_of(Report.objects.get(pk=report.pk))["received"]
    assert (entry.value, entry.reason) == (Decimal(12), reason)
    shown = client.get(page(report))
    words = " ".join(re.sub(r"<[^>]+>", " ", cell_of(shown, "received")).split())
    assert "12 hồ sơ changed by the commune" in words
    assert "figure in haicap: 0 hồ sơ · difference: +12" in words
    assert field_value(shown, "r-received") == reason


def test_a_figure_brought_back_to_haicaps_needs_no_reason():
    people = world.people()
    report = opened(people)
    client = world.signed_in(people.do_luong)
    send(client, report, "luu/", {"v-received": "12", "r-received": "Hồ sơ giấy"})
    back = send(client, report, "luu/", {"v-received": "0", "r-received": "Hồ sơ giấy"})
    assert back.status_code == 302
    entry = filing.entries_of(Report.objects.get(pk=report.pk))["received"]
    assert not entry.overridden and entry.reason == ""


def test_a_tables_rows_are_saved_and_more_blank_rows_are_drawn_on_asking():
    people = world.people()
    report = opened(people)
    client = world.signed_in(people.do_luong)
    response = send(
        client,
        report,
        "luu/",
        {
            "n-by_field": "3",
            "v-by_field-0-field": "Hộ tịch",
            "v-by_field-0-received": "7",
            "v-by_field-1-field": "",
            "v-by_field-1-received": "",
            "v-by_field-2-field": "Đất đai",
            "v-by_field-2-received": "1,5",
            "more": "by_field",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == page(report) + "?more=by_field#cell-by_field"
    rows = filing.entries_of(Report.objects.get(pk=report.pk))["by_field"].value
    assert rows == (
        {"field": "Hộ tịch", "received": Decimal(7)},
        {"field": "Đất đai", "received": Decimal("1.5")},
    )
    shown = client.get(response["Location"])
    assert field_value(shown, "n-by_field") == "8"  # its two rows and twice three blank ones
    assert field_value(shown, "v-by_field-1-received") == "1,5"


def test_a_number_typed_with_thousands_dots_is_read_as_vietnamese_writes_it():
    people = world.people()
    report = opened(people)
    client = world.signed_in(people.do_luong)
    response = send(
        client,
        report,
        "luu/",
        {
            "v-meetings": "1.234",
            "n-by_field": "2",
            "v-by_field-0-field": "Hộ tịch",
            "v-by_field-0-received": "12.345,5",
            "v-by_field-1-field": "Đất đai",
            "v-by_field-1-received": "2,25",
        },
    )
    assert response.status_code == 302
    entries = filing.entries_of(Report.objects.get(pk=report.pk))
    assert entries["meetings"].value == Decimal(1234)
    assert [row["received"] for row in entries["by_field"].value] == [
        Decimal("12345.5"),
        Decimal("2.25"),
    ]


def test_a_text_with_a_character_that_cannot_be_stored_is_refused():
    people = world.people()
    report = opened(people)
    response = send(
        world.signed_in(people.do_luong), report, "luu/", {"v-difficulties": "Thiếu\x00 máy"}
    )
    assert response.status_code == 422
    assert "cannot be stored" in cell_of(response, "difficulties")


def test_a_refusal_by_the_service_is_shown_beside_its_cell(monkeypatch):
    """Another officer's save between the page and this one may make a value unreadable: the
    service's refusal, by cell, reaches the page the same way as the form's."""
    people = world.people()
    report = opened(people)

    def refuse(*args, **kwargs):
        raise InvalidInput("some cells cannot be read", errors={"meetings": "too_many_rows"})

    monkeypatch.setattr(filing, "save", refuse)
    response = send(world.signed_in(people.do_luong), report, "luu/", {"v-meetings": "3"})
    assert response.status_code == 422
    assert "A table holds at most 200 rows." in cell_of(response, "meetings")
    assert field_value(response, "v-meetings") == "3"


def test_the_form_maps_every_input_error_code_to_words():
    form = ReportForm(parse(world.DEFINITION), {})
    with translation.override("en"):
        form.refuse({"meetings": "not_a_number", "assessment": "not_offered", "by_field": "nope"})
    assert form.errors == {
        "meetings": [
            "Write a number, such as 1.234 or 12,5: thousands may be grouped with dots, and up to "
            "four decimals follow the comma."
        ],
        "assessment": ["Choose one of the answers offered."],
        "by_field": ["This cannot be read: write it again."],
    }


# --- reading the figures again ----------------------------------------------------------------

COUNTED = {"value": Decimal(5)}


@pytest.fixture
def counted_source():
    """A source of the tests' own, whose figure the test changes."""
    source = report_sources.register(
        ReportSource(
            key="kiem_thu.counted",
            label="Counted by the test",
            unit=Unit.COUNT,
            read=lambda unit_id, params, start, end: COUNTED["value"],
            records=lambda unit_id, params, start, end: "",
        )
    )
    COUNTED["value"] = Decimal(5)
    yield
    report_sources.forget(source)


def test_reading_again_saves_what_was_typed_then_updates_figures_not_overridden(counted_source):
    people = world.people()
    world.publish(
        {
            "sections": [
                {
                    "key": "a",
                    "title": "A",
                    "cells": [
                        {"key": "kept", "label": "Kept", "kind": "number",
                         "source": {"key": "kiem_thu.counted"}},
                        {"key": "followed", "label": "Followed", "kind": "number",
                         "source": {"key": "kiem_thu.counted"}},
                        {"key": "note", "label": "Note", "kind": "text"},
                    ],
                }
            ]
        }
    )  # fmt: skip
    report = world.open_november(people.do_luong)
    COUNTED["value"] = Decimal(9)
    client = world.signed_in(people.do_luong)
    with clock.fixed_at(world.at(12, 2, 15)):
        response = send(
            client,
            report,
            "doc-lai/",
            {"v-kept": "6", "r-kept": "Một hồ sơ nộp muộn", "v-followed": "5", "v-note": "Ổn"},
        )
    assert response.status_code == 302
    entries = filing.entries_of(Report.objects.get(pk=report.pk))
    assert entries["note"].value == "Ổn"
    assert entries["followed"].value == Decimal(9)
    assert entries["followed"].reading.read_at == world.at(12, 2, 15)
    assert entries["kept"].value == Decimal(6)
    assert entries["kept"].reading.value == Decimal(9)
    assert entries["kept"].difference == Decimal(-3)
    shown = visible(client.get(page(report)))
    assert "figure in haicap: 9 · difference: -3" in shown


# --- submitting -------------------------------------------------------------------------------


def test_only_the_leader_is_offered_submit_and_only_the_leader_may():
    people = world.people()
    report = opened(people)
    officer = world.signed_in(people.do_luong)
    assert 'data-testid="submit"' not in text(officer.get(page(report)))
    assert 'data-testid="submit"' in text(world.signed_in(people.do_luong_leader).get(page(report)))
    with clock.fixed_at(world.at(12, 3)):
        assert send(officer, report, "nop/", {}).status_code == 403
    assert not Submission.objects.filter(report=report).exists()


def test_a_refused_submission_shows_what_stops_it_and_keeps_what_was_typed():
    people = world.people()
    report = opened(people)
    leader = world.signed_in(people.do_luong_leader)
    typed = {
        "v-assessment": "Thông suốt",
        "v-difficulties": "",
        "n-by_field": "1",
        "v-by_field-0-field": "Hộ tịch",
        "v-by_field-0-received": "5",
    }
    with clock.fixed_at(world.at(12, 3)):
        response = send(leader, report, "nop/", typed)
    assert response.status_code == 422
    issues = visible(response)
    assert "The report was saved but cannot be submitted yet:" in issues
    rule = "Tổng các lĩnh vực phải bằng số hồ sơ tiếp nhận"
    assert "Khó khăn, vướng mắc : Required before the report is submitted." in issues
    assert rule in cell_of(response, "by_field") and rule in cell_of(response, "received")
    assert "Required before the report is submitted." in cell_of(response, "difficulties")
    # nothing typed is lost: it was saved before the submission was refused
    saved = filing.entries_of(Report.objects.get(pk=report.pk))
    assert saved["assessment"].value == "Thông suốt"
    assert saved["by_field"].value == ({"field": "Hộ tịch", "received": Decimal(5)},)
    assert field_value(response, "v-by_field-0-received") == "5"
    assert Report.objects.get(pk=report.pk).state == Report.State.DRAFT


def test_a_submitted_report_is_read_only_with_its_submission_and_history():
    people = world.people()
    report = opened(people)
    leader = world.signed_in(people.do_luong_leader)
    with clock.fixed_at(world.at(12, 3)):
        response = send(leader, report, "nop/", {"v-meetings": "2"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert filing.entries_of(report)["meetings"].value == Decimal(2)
    shown = leader.get(page(report))
    body = text(shown)
    assert 'data-testid="report-form"' not in body and 'name="v-meetings"' not in body
    assert "Submitted, awaiting the province" in body
    assert f'href="{page(report, "lan/1/")}"' in body
    assert f'href="{page(report, "lan/1/bao-cao.docx")}"' in body
    assert f'href="{page(report, "lan/1/bao-cao.pdf")}"' in body
    history = re.findall(r'data-testid="event" data-kind="(\w+)"', body)
    assert history == ["opened", "submitted"]
    assert "Đặng Văn Lương" in visible(shown)


def test_a_returned_report_shows_the_provinces_note_and_can_be_written_again():
    people = world.people()
    report = opened(people)
    with clock.fixed_at(world.at(12, 3)):
        filing.submit(people.do_luong_leader, report)
    with clock.fixed_at(world.at(12, 4)):
        review.return_for_correction(people.reviewer, report, "Bổ sung số cuộc họp giao ban")
    response = world.signed_in(people.do_luong).get(page(report))
    body = text(response)
    note = body[body.index('data-testid="returned"') :]
    note = " ".join(re.sub(r"<[^>]+>", " ", note[: note.index("</div>")]).split())
    assert "Returned by the province for correction on 04/12/2026 09:00 (Ngô Thị Vụ)" in note
    assert "Bổ sung số cuộc họp giao ban" in note
    assert 'name="v-meetings"' in body
    assert re.findall(r'data-testid="event" data-kind="(\w+)"', body) == [
        "opened",
        "submitted",
        "returned",
    ]


# --- who sees what ------------------------------------------------------------------------------


def test_the_reviewer_is_offered_the_decision_on_a_submitted_report_only():
    people = world.people()
    report = opened(people)
    reviewer = world.signed_in(people.reviewer)
    assert 'data-testid="approve-form"' not in text(reviewer.get(page(report)))
    with clock.fixed_at(world.at(12, 3)):
        filing.submit(people.do_luong_leader, report)
    body = text(reviewer.get(page(report)))
    assert f'action="{page(report, "duyet/")}"' in body
    assert re.search(rf'action="{page(report, "tra-lai/")}".*?name="note"[^>]*required', body, re.S)
    assert 'name="v-meetings"' not in body
    officer = text(world.signed_in(people.do_luong).get(page(report)))
    assert 'data-testid="approve-form"' not in officer


def test_a_supervisor_reads_but_is_offered_nothing_to_write_or_decide():
    people = world.people()
    report = opened(people)
    response = world.signed_in(people.supervisor).get(page(report))
    assert response.status_code == 200
    body = text(response)
    for control in ('data-testid="report-form"', 'name="v-', 'data-testid="submit"', '-form"'):
        assert control not in body, control
    assert "Thiếu máy scan để số hóa hồ sơ." in body
    with clock.fixed_at(world.at(12, 3)):
        assert (
            world.signed_in(people.supervisor)
            .post(page(report, "luu/"), {"v-meetings": "1"})
            .status_code
            == 403
        )


def test_another_communes_officer_and_an_uncharged_department_get_not_found():
    people = world.people()
    report = opened(people)
    with clock.fixed_at(world.at(12, 3)):
        filing.submit(people.do_luong_leader, report)
    for reader in (people.van_hien, people.finance):
        client = world.signed_in(reader)
        for tail in ("", "lan/1/"):
            assert client.get(page(report, tail)).status_code == 404
        assert send(client, report, "luu/", {"v-meetings": "1"}).status_code == 404
        assert send(client, report, "nop/", {}).status_code == 404
    assert world.signed_in(people.reviewer).get(page(report, "lan/1/")).status_code == 200


# --- a submission, as it was --------------------------------------------------------------------


def test_a_submission_shows_what_was_submitted_never_what_came_after():
    people = world.people()
    report = opened(people, received="12", meetings="3")
    filing.save(people.do_luong, report, {}, {"received": "Hồ sơ giấy chưa nhập"})
    with clock.fixed_at(world.at(12, 3)):
        filing.submit(people.do_luong_leader, report)
    with clock.fixed_at(world.at(12, 4)):
        review.return_for_correction(people.reviewer, report, "Kiểm tra lại số cuộc họp")
    world.fill(report, people.do_luong, when=world.at(12, 5), meetings="5")
    response = world.signed_in(people.reviewer).get(page(report, "lan/1/"))
    assert response.status_code == 200
    body = text(response)
    main = body[body.index("<main") : body.index("</main>")]
    assert "<input" not in main and "<textarea" not in main
    meetings = " ".join(re.sub(r"<[^>]+>", " ", cell_of(response, "meetings")).split())
    assert meetings.endswith("Số cuộc họp giao ban 3")
    received = " ".join(re.sub(r"<[^>]+>", " ", cell_of(response, "received")).split())
    assert "figure in haicap: 0 hồ sơ · difference: +12 · reason: Hồ sơ giấy chưa nhập" in received
    words = visible(response)
    assert "Đặng Văn Lương KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in words
    assert "Returned for correction: 04/12/2026 09:00 · Ngô Thị Vụ · Kiểm tra lại" in words


def test_periods_of_other_kinds_are_named_in_the_readers_language():
    quarter = Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    half = Period(dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with translation.override("en"):
        assert period_name(PeriodKind.QUARTER, quarter) == "Quarter IV/2026"
        assert period_name(PeriodKind.HALF_YEAR, half) == "Second half of 2026"
        assert period_name(PeriodKind.YEAR, year) == "Year 2026"
    with translation.override("vi"):
        assert period_name(PeriodKind.QUARTER, quarter) == "Quý IV/2026"
        assert period_name(PeriodKind.MONTH, world.NOVEMBER) == "Tháng 11/2026"


def test_a_source_with_parameters_names_them():
    people = world.people()
    definition = {
        "sections": [
            {
                "key": "a",
                "title": "A",
                "cells": [
                    {
                        "key": "civil",
                        "label": "Hồ sơ hộ tịch",
                        "kind": "number",
                        "source": {"key": "kpi.received", "params": {"field": "HT"}},
                    }
                ],
            }
        ]
    }
    world.publish(definition)
    report = world.open_november(people.do_luong)
    words = " ".join(
        re.sub(
            r"<[^>]+>", " ", cell_of(world.signed_in(people.do_luong).get(page(report)), "civil")
        ).split()
    )
    assert "Dossiers received, read on 01/12/2026 09:00; Field (a catalogue" in words
    assert "all fields when empty): HT." in words


def test_a_report_made_by_a_reminder_is_opened_from_its_page():
    people = world.people()
    world.publish()
    report = filing.ensure_report(world.CODE, world.unit(world.DO_LUONG), world.NOVEMBER)
    body = text(world.signed_in(people.do_luong).get(page(report)))
    assert 'data-testid="open-form"' in body and 'name="v-meetings"' not in body
    supervisor = text(world.signed_in(people.supervisor).get(page(report)))
    assert 'data-testid="not-opened"' in supervisor and "open-form" not in supervisor


def test_a_save_from_a_page_drawn_before_the_submission_is_refused_and_changes_nothing():
    people = world.people()
    report = opened(people, meetings="2")
    drawn = Report.objects.get(pk=report.pk).version
    with clock.fixed_at(world.at(12, 3)):
        filing.submit(people.do_luong_leader, report)
    response = send(
        world.signed_in(people.do_luong), report, "luu/", {"v-meetings": "9"}, version=drawn
    )
    assert response.status_code == 409
    assert "This report cannot be changed now" in visible(response)
    assert filing.entries_of(Report.objects.get(pk=report.pk))["meetings"].value == Decimal(2)


# --- opening: each refusal in its own words ------------------------------------------------------


def test_each_refusal_to_open_a_report_says_why_in_the_readers_language():
    people = world.people()
    world.publish(filers=(world.VAN_HIEN,))
    client = world.signed_in(people.do_luong, "vi")
    chosen = {"template": world.CODE, "unit": world.unit(world.DO_LUONG).pk, "start": "2026-11-01"}
    with clock.fixed_at(world.at(12, 2)):
        not_filed = client.post(f"{HOME}mo/", chosen)
        no_version = client.post(f"{HOME}mo/", {**chosen, "template": "khong-co"})
        mid_month = client.post(f"{HOME}mo/", {**chosen, "start": "2026-11-02"})
    assert {r.status_code for r in (not_filed, no_version, mid_month)} == {404}
    assert vi("This commune does not file this report for that period.") in text(not_filed)
    assert vi("No version of this report is in force for that period.") in text(no_version)
    assert vi("No period of this report starts on that day.") in text(mid_month)


def test_a_day_past_the_calendars_reach_is_refused_as_a_form_error():
    people = world.people()
    world.publish()
    chosen = {"template": world.CODE, "unit": world.unit(world.DO_LUONG).pk, "start": "9999-12-01"}
    with clock.fixed_at(world.at(12, 2)):
        response = world.signed_in(people.do_luong).post(f"{HOME}mo/", chosen)
    assert response.status_code == 422
    assert "choose it from the list" in text(response)
    assert not Report.objects.filter(template_code=world.CODE).exists()


# --- another officer's save meanwhile -----------------------------------------------------------


def test_a_form_drawn_before_another_officers_save_is_refused_and_shows_both():
    people = world.people()
    report = opened(people, meetings="2")
    client = world.signed_in(people.do_luong)
    drawn = int(field_value(client.get(page(report)), "version"))
    filing.save(people.do_luong_desk, report, {"meetings": "5", "proposals": "Đề nghị khác"})
    typed = {
        "v-meetings": "3",
        "v-difficulties": "Thiếu máy tính",
        "v-proposals": "Đề nghị tỉnh cấp bổ sung 02 máy scan.",  # as the form was drawn
        "v-assessment": "Cơ bản thông suốt",
    }
    response = send(client, report, "luu/", typed, version=drawn)
    assert response.status_code == 409
    assert "Another officer saved this report after you opened the page" in visible(response)
    # what was typed is shown back, and beside each cell that differs what is saved now
    assert field_value(response, "v-meetings") == "3"
    assert field_value(response, "v-difficulties") == "Thiếu máy tính"
    shown = {key: visible_in(response, key) for key in ("meetings", "proposals", "difficulties")}
    assert "What is saved now: 5" in shown["meetings"]
    assert "What is saved now: Đề nghị khác" in shown["proposals"]
    assert "What is saved now: Thiếu máy scan để số hóa hồ sơ." in shown["difficulties"]
    assert 'data-testid="saved-now"' not in cell_of(response, "assessment")  # the same
    saved = filing.entries_of(Report.objects.get(pk=report.pk))
    assert (saved["meetings"].value, saved["proposals"].value) == (Decimal(5), "Đề nghị khác")
    assert saved["difficulties"].value == "Thiếu máy scan để số hóa hồ sơ."
    # the page drawn again carries the version now: saving again applies what was typed
    again = send(client, report, "luu/", typed, version=int(field_value(response, "version")))
    assert again.status_code == 302
    assert filing.entries_of(Report.objects.get(pk=report.pk))["meetings"].value == Decimal(3)


def test_submitting_saves_and_submits_in_one_step_refused_after_another_save():
    people = world.people()
    report = opened(people)
    leader = world.signed_in(people.do_luong_leader)
    drawn = int(field_value(leader.get(page(report)), "version"))
    filing.save(people.do_luong, report, {"meetings": "9"})  # between drawing and submitting
    with clock.fixed_at(world.at(12, 3)):
        response = send(leader, report, "nop/", {"v-meetings": "2"}, version=drawn)
    assert response.status_code == 409
    assert not Submission.objects.filter(report=report).exists()
    assert filing.entries_of(Report.objects.get(pk=report.pk))["meetings"].value == Decimal(9)
    assert field_value(response, "v-meetings") == "2"
    assert "What is saved now: 9" in visible_in(response, "meetings")


# --- not before the period has ended ------------------------------------------------------------


def test_submit_waits_for_the_end_of_the_period_and_says_from_when():
    people = world.people()
    world.publish()
    report = world.open_november(people.do_luong, when=world.at(11, 25))
    report = world.fill(report, people.do_luong, when=world.at(11, 25, 10))
    leader = world.signed_in(people.do_luong_leader)
    with clock.fixed_at(world.at(11, 30, 16)):
        waiting = leader.get(page(report))
        refused = send(leader, report, "nop/", {"v-meetings": "4"})
    body = text(waiting)
    assert 'data-testid="submit"' not in body
    assert re.search(r'<button type="button" disabled[^>]*data-testid="submit-waits"', body)
    assert "The period ends on 30/11/2026: the report can be submitted from 01/12/2026" in visible(
        waiting
    )
    assert refused.status_code == 422
    assert "The period ends on 30/11/2026; submit the report after it, from 01/12/2026." in (
        visible(refused)
    )
    assert not Submission.objects.filter(report=report).exists()
    assert filing.entries_of(Report.objects.get(pk=report.pk))["meetings"].value == Decimal(4)
    with clock.fixed_at(world.at(12, 1, 8)):
        assert 'data-testid="submit"' in text(leader.get(page(report)))


def test_only_those_who_open_the_records_are_given_the_link_to_them():
    people = world.people()
    report = opened(people)
    for reader, linked in (
        (people.do_luong, True),  # the commune's own
        (people.supervisor, True),  # reads the whole province
        (people.reviewer, False),  # Home Affairs: would find an empty list
    ):
        with clock.fixed_at(world.at(12, 3)):
            body = text(world.signed_in(reader).get(page(report)))
        assert ('data-testid="records"' in body) is linked, reader
        assert ('data-testid="records-closed"' in body) is not linked, reader


def test_a_reminder_in_the_history_is_said_in_words_not_its_code():
    people = world.people()
    world.publish()
    with clock.fixed_at(world.at(12, 7)):
        run_reminders()
    report = world.open_november(people.do_luong, when=world.at(12, 7, 10))
    with clock.fixed_at(world.at(12, 7, 11)):
        body = visible(world.signed_in(people.do_luong, "vi").get(page(report)))
    assert vi("Report past its due day") in body
    assert "overdue" not in body
