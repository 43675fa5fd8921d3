"""The Vietnamese catalogue is complete, current with the code, and compiled; and every page
shows its text in the reader's language (a text that never went through gettext is found by
rendering each page in both languages)."""

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver

from haicap.accounts.models import User
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field, Procedure
from haicap.core import clock
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import (
    DeskRecord,
    Dossier,
    DossierDocument,
    DossierEvent,
    Notification,
    OnlineSubmission,
    SubmissionDocument,
)
from haicap.units.models import AdministrativeUnit, Agency
from tests.assets import disposal_pages_to_read as assets_disposal
from tests.assets import gap_pages_to_read as assets_gaps
from tests.assets import register_pages_to_read as assets_register
from tests.assets import takeover_pages_to_read as assets_takeover
from tests.budget import disbursement_pages_to_read as budget_disbursement
from tests.budget import open_data_pages_to_read as budget_open_data
from tests.budget import project_pages_to_read as budget_projects
from tests.budget import transfer_pages_to_read as budget_transfer
from tests.conftest import client_for
from tests.dossiers.test_digitising import page_image
from tests.feedback import desk_pages_to_read as feedback_desk
from tests.feedback import figures_pages_to_read as feedback_figures
from tests.feedback import public_pages_to_read as feedback_public
from tests.oversight import directive_pages_world
from tests.oversight import pages_to_read as oversight
from tests.portal.helpers import PDF, file_online, reference_and_pin, visitor
from tests.reports import filing_pages_to_read as reports_filing
from tests.reports import province_pages_to_read as reports_province
from tests.staffing import effect_pages_to_read as staffing_effect
from tests.staffing import gap_pages_to_read as staffing_gaps
from tests.staffing import plan_pages_to_read as staffing_plans
from tests.staffing import staff_pages_to_read as staffing_staff
from tests.visible_text import header_rows, visible_texts, words

ROOT = Path(__file__).resolve().parent.parent
PAGE_IMAGE = page_image()
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE))
    mo = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in mo if e.msgid}
    source = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in po.translated_entries()}
    assert source == compiled


def test_the_catalogue_holds_every_string_the_code_marks(tmp_path):
    assert shutil.which("xgettext"), "gettext is missing: install it with 'apt-get install gettext'"
    for name in ("haicap", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "haicap.settings",
            "HAICAP_VAR_DIR": str(tmp_path / "var"),
            "PATH": "/usr/bin:/bin",
        },
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(CATALOGUE))
    missing = {e.msgid for e in fresh if not e.obsolete} - {e.msgid for e in committed}
    assert missing == set(), "run 'make messages' and translate the new strings"


# --- every page says everything in the reader's language --------------------------------------
#
# Each desk and portal page is rendered in Vietnamese and in English. A text the reader sees that
# is the same in both, once the records' own data (names of places, agencies, procedures, people,
# papers, notes), numbers, dates and codes are taken out, never went through the catalogue.

DESK_OFFICER = "tiepnhan.doluong"
LEADER = "lanhdao.doluong"
BIRTH = "X.HT.001"
DESK = "17662.05.H40"

# Names of the URLconfs that are no page to read: forms post to them, or they send a file.
NOT_PAGES = {
    "desk:logout": "POST only",
    "desk:issue_token": "POST only",
    "desk:revoke_token": "POST only",
    "desk:dossier_act": "POST only (its answer is the dossier page, rendered below)",
    "desk:dossier_upload": "POST only (its refusal is rendered below)",
    "desk:dossier_form": "a PDF (legal forms are in Vietnamese by law)",
    "desk:reprint_slip": "POST only",
    "desk:dossier_reuse_paper": "POST only (the copy it takes is offered on the page below)",
    "desk:signed_result": "a signed PDF (the agency's result is in Vietnamese by law)",
    "portal:signed_result": "a signed PDF, or back to the look-up for the PIN",
    "desk:approval_decide": "POST only",
    "desk:submission_decide": "POST only",
    "desk:submission_document": "a file",
    "desk:report": "an Excel or PDF file (the periodic report is in Vietnamese by law)",
    "desk:outbox_retry": "POST only",
    "desk:reconcile": "POST only",
    "desk:settle_repeat": "POST only",
    "desk:desk_record_pdf": "a PDF (legal forms are in Vietnamese by law)",
    "desk:payment_reconcile": "POST only",
    "desk:payment_receipt": "a PDF (the receipt is in Vietnamese)",
    "portal:pay": "POST only (it sends the payer to the gateway)",
    "portal:pay_fee": "POST only (it sends the payer to the gateway)",
    "portal:fee_receipt": "a PDF (the receipt is in Vietnamese)",
    "desk:notices_read": "POST only (its answer is the notifications page, rendered below)",
    **directive_pages_world.NOT_PAGES,
    **oversight.NOT_PAGES,
    **staffing_effect.NOT_PAGES,
    **staffing_gaps.NOT_PAGES,
    **staffing_plans.NOT_PAGES,
    **staffing_staff.NOT_PAGES,
    **assets_takeover.NOT_PAGES,
    **assets_disposal.NOT_PAGES,
    **assets_gaps.NOT_PAGES,
    **assets_register.NOT_PAGES,
    **budget_transfer.NOT_PAGES,
    **budget_disbursement.NOT_PAGES,
    **budget_open_data.NOT_PAGES,
    **budget_projects.NOT_PAGES,
    **feedback_desk.NOT_PAGES,
    **feedback_public.NOT_PAGES,
    **feedback_figures.NOT_PAGES,
    **reports_filing.NOT_PAGES,
    **reports_province.NOT_PAGES,
}

# Words that are the same in every language: the product's name, file formats and units, and
# "English", which the language switch shows in its own language as language switches do.
SAME_IN_EVERY_LANGUAGE = {"haicap", "PDF", "PNG", "JPEG", "VND", "MB", "English"}


def _url_names() -> set[str]:
    """The desk's, the portal's and the public petition pages' named addresses, with those
    of the apps they include."""

    def named(resolver: URLResolver, namespace: str) -> set[str]:
        names = set()
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                names |= named(p, f"{namespace}:{p.namespace}" if p.namespace else namespace)
            elif p.name:
                names.add(f"{namespace}:{p.name}")
        return names

    names = set()
    for included in get_resolver().url_patterns:
        namespace = getattr(included, "namespace", None)
        if namespace in {"desk", "portal", "feedback_public"}:
            names |= named(included, namespace)
    return names


def _world() -> dict:
    """A dossier waiting for the leader's approval, with a history, and an online filing."""
    officer = User.objects.get(username=DESK_OFFICER)
    monday = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM)
    with clock.fixed_at(monday):
        received = services.receive(
            officer,
            procedure=Procedure.objects.get(national_code=BIRTH),
            receiving_agency=Agency.objects.get(code=DESK),
            applicant=Applicant(name="Trần Văn An", id_number="040195012345"),
        )
        code = received.dossier.code
        services.act(officer, code, "forward")
        services.act(
            User.objects.get(username=LEADER),
            code,
            "assign",
            assignee=User.objects.get(username="chuyenvien.doluong"),
        )
        specialist = User.objects.get(username="chuyenvien.doluong")
        draft = services.attach_document(
            specialist, code, "Dự thảo kết quả", SimpleUploadedFile("du-thao.pdf", PDF)
        )
        services.act(specialist, code, "submit", document_ids=[draft.pk])
        refusal = services.record_at_intake(
            officer,
            kind="refusal",
            desk=Agency.objects.get(code=DESK),
            applicant=Applicant(name="Trần Văn An", id_number="040195012345"),
            content="Không thuộc thẩm quyền",
            procedure=Procedure.objects.get(national_code=BIRTH),
        )
        Notification.objects.create(
            recipient=officer, dossier=received.dossier, kind="approaching_due", created_at=monday
        )
        # its birth certificate digitised, then a later dossier of his that may reuse it
        services.digitise_paper(
            officer, code, "Giấy chứng sinh", [SimpleUploadedFile("trang.png", PAGE_IMAGE)], 1
        )
        later = services.receive(
            officer,
            procedure=Procedure.objects.get(national_code=BIRTH),
            receiving_agency=Agency.objects.get(code=DESK),
            applicant=Applicant(name="Trần Văn An", id_number="040195012345"),
        ).dossier.code
    citizen = visitor()
    reference, _pin = reference_and_pin(file_online(citizen))
    return {
        "refusal": refusal.pk,
        "code": code,
        "later": later,
        "pin": received.pin,
        "citizen": citizen,
        "reference": reference,
        "oversight": oversight.world(),
        "directives": directive_pages_world.directive_world(),
        "staffing_effect": staffing_effect.world(),
        "staffing_gaps": staffing_gaps.world(),
        "staffing_plans": staffing_plans.world(),
        "staffing_staff": staffing_staff.world(),
        "assets_takeover": assets_takeover.world(),
        "assets_disposal": assets_disposal.world(),
        "assets_gaps": assets_gaps.world(),
        "assets_register": assets_register.world(),
        "budget_transfer": budget_transfer.world_of_pages(),
        "budget_disbursement": budget_disbursement.world(),
        "budget_open_data": budget_open_data.world(),
        "budget_projects": budget_projects.world_of_projects(),
        "feedback_desk": feedback_desk.world(),
        "feedback_public": feedback_public.world(),
        "feedback_figures": feedback_figures.world(),
        "reports_filing": reports_filing.world(),
        "reports_province": reports_province.world_of_pages(),
    }


def _pages(world: dict) -> dict[str, tuple]:
    """For each page name: who reads it and how it is asked for (method, address, data).

    Two answers to a POST are here too, because they show what a GET cannot: the dossier page
    refusing a paper that is too large, and the status the public look-up tells a citizen."""
    unit = Agency.objects.get(code=DESK).unit
    code = world["code"]
    too_big = SimpleUploadedFile("qua-lon.pdf", PDF + b"0" * (10 * 1024 * 1024))
    return {
        "desk:home": (DESK_OFFICER, "get", "/desk/", {}),
        "desk:notices": (DESK_OFFICER, "get", "/desk/thong-bao/", {}),
        "desk:login": (None, "get", "/desk/login/", {}),
        "desk:account": (DESK_OFFICER, "get", "/desk/account/", {}),
        "desk:unit_list": (DESK_OFFICER, "get", "/desk/registry/units/", {}),
        "desk:unit_detail": (DESK_OFFICER, "get", f"/desk/registry/units/{unit.pk}/", {}),
        "desk:agency_list": (DESK_OFFICER, "get", "/desk/registry/agencies/", {}),
        "desk:dossier_list": (DESK_OFFICER, "get", "/desk/ho-so/", {}),
        "desk:dossier": (LEADER, "get", f"/desk/ho-so/{code}/", {}),
        "desk:dossier_upload": (
            LEADER,
            "post",
            f"/desk/ho-so/{code}/giay-to/",
            {"name": "Quá lớn", "file": too_big},
        ),
        "desk:dossier_digitise": (
            DESK_OFFICER,
            "post",
            f"/desk/ho-so/{world['later']}/so-hoa/",
            {
                "paper": "Tờ khai đăng ký khai sinh",
                "counted_pages": "2",  # one page scanned: refused, with the store's offer shown
                "pages": SimpleUploadedFile("trang.png", PAGE_IMAGE),
            },
        ),
        "desk:intake": (DESK_OFFICER, "get", "/desk/tiep-nhan/", {}),
        "desk:procedure_matches": (
            DESK_OFFICER,
            "get",
            "/desk/tiep-nhan/thu-tuc/",
            {"procedure_search": "khai sinh"},
        ),
        "desk:procedure_papers": (
            DESK_OFFICER,
            "get",
            "/desk/tiep-nhan/giay-to/",
            {"procedure": BIRTH},
        ),
        "desk:check_applicant": (
            DESK_OFFICER,
            "get",
            "/desk/tiep-nhan/kiem-tra/",
            {"field": "id_number", "id_number": "12"},
        ),
        "desk:approvals": (LEADER, "get", "/desk/phe-duyet/", {}),
        "desk:submissions": (DESK_OFFICER, "get", "/desk/nop-truc-tuyen/", {}),
        "desk:desk_records": (
            DESK_OFFICER,
            "get",
            "/desk/tiep-nhan/phieu/",
            {"since": "2026-03-01", "until": "2026-03-31"},
        ),
        "desk:desk_record_new": (DESK_OFFICER, "get", "/desk/tiep-nhan/phieu/moi/huong-dan/", {}),
        "desk:log_book": (
            DESK_OFFICER,
            "get",
            "/desk/so-theo-doi/",
            {"since": "2026-03-01", "until": "2026-03-31"},
        ),
        "desk:desk_record": (
            DESK_OFFICER,
            "get",
            f"/desk/tiep-nhan/phieu/{world['refusal']}/",
            {},
        ),
        "desk:indicators": (LEADER, "get", "/desk/chi-so/", {}),
        "desk:outbox": ("admin", "get", "/desk/lien-thong/", {}),
        "desk:payment_reconciliation": ("admin", "get", "/desk/thanh-toan/doi-soat/", {}),
        "portal:home": (None, "get", "/", {"q": "Đô Lương"}),
        "portal:procedure_list": (None, "get", "/thu-tuc/", {}),
        "portal:procedure_detail": (None, "get", f"/thu-tuc/{BIRTH}/", {}),
        "portal:file_online": (None, "get", f"/thu-tuc/{BIRTH}/nop-truc-tuyen/", {}),
        "portal:filed": (
            world["citizen"],
            "get",
            f"/nop-truc-tuyen/{world['reference']}/",
            {},
        ),
        "portal:dossier_lookup": (
            None,
            "post",
            "/tra-cuu-ho-so/",
            {"code": code, "pin": world["pin"]},
        ),
        "portal:figures": (None, "get", "/so-lieu/", {}),
        **oversight.pages(world["oversight"]),
        **directive_pages_world.pages(world["directives"]),
        **staffing_effect.pages(world["staffing_effect"]),
        **staffing_gaps.pages(world["staffing_gaps"]),
        **staffing_plans.pages(world["staffing_plans"]),
        **staffing_staff.pages(world["staffing_staff"]),
        **assets_takeover.pages(world["assets_takeover"]),
        **assets_disposal.pages(world["assets_disposal"]),
        **assets_gaps.pages(world["assets_gaps"]),
        **assets_register.pages(world["assets_register"]),
        **budget_transfer.pages(world["budget_transfer"]),
        **budget_disbursement.pages(world["budget_disbursement"]),
        **budget_open_data.pages(world["budget_open_data"]),
        **budget_projects.pages(world["budget_projects"]),
        **feedback_desk.pages(world["feedback_desk"]),
        **feedback_public.pages(world["feedback_public"]),
        **feedback_figures.pages(world["feedback_figures"]),
        **reports_filing.pages(world["reports_filing"]),
        **reports_province.pages(world["reports_province"]),
    }


def _render(reader, method: str, url: str, data: dict, language: str) -> str:
    """The page as ``reader`` (a username, a client, or nobody) sees it in ``language``."""
    client = reader if isinstance(reader, Client) else client_for(reader) if reader else Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)
    response = getattr(client, method)(url, data)
    assert response.status_code < 500, (url, response.status_code)
    page = response.content.decode()
    assert f'lang="{language}"' in page or "<html" not in page, (url, language)
    return page


def _records_data():
    """One pattern matching every name and text the records hold, longest first."""
    values: set[str] = set()
    for model, fields in (
        (AdministrativeUnit, ("name", "full_name")),
        (Agency, ("name",)),
        (Field, ("name",)),
        (Procedure, ("name", "fee_note", "decision", "legal_source")),
        (User, ("full_name", "username")),
        (Dossier, ("code", "applicant_name", "applicant_address")),
        (DossierEvent, ("note", "actor_label")),
        (DossierDocument, ("name",)),
        # a reference may hold no digit (TT-WNMBWZWQBS), so it is named, not matched as a code
        (OnlineSubmission, ("reference", "applicant_name", "applicant_address", "email")),
        (SubmissionDocument, ("name",)),
        (DeskRecord, ("applicant_name", "request", "content")),
        *directive_pages_world.RECORDS,
        *oversight.RECORDS,
        *staffing_effect.RECORDS,
        *staffing_gaps.RECORDS,
        *staffing_plans.RECORDS,
        *staffing_staff.RECORDS,
        *assets_takeover.RECORDS,
        *assets_disposal.RECORDS,
        *assets_gaps.RECORDS,
        *assets_register.RECORDS,
        *budget_transfer.RECORDS,
        *budget_disbursement.RECORDS,
        *budget_open_data.RECORDS,
        *budget_projects.RECORDS,
        *feedback_desk.RECORDS,
        *feedback_public.RECORDS,
        *feedback_figures.RECORDS,
        *reports_filing.RECORDS,
        *reports_province.RECORDS,
    ):
        for row in model.objects.all():
            values |= {str(getattr(row, f, "") or "") for f in fields}
    values |= set(staffing_staff.SHEET_TEXTS)
    values |= set(assets_register.SHEET_TEXTS)
    values |= set(budget_disbursement.SHEET_TEXTS)
    values |= set(budget_projects.SHEET_TEXTS)
    values |= set(reports_filing.TEMPLATE_TEXTS)
    values |= set(reports_province.TEXTS)
    for documents in Procedure.objects.values_list("documents", flat=True):
        values |= {d.get("name", "") for d in documents or []}
    values = {v.strip() for v in values if v.strip()}
    return re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))


# A code, a reference or a file name: a token with a digit, or with a dot or an underscore
# inside (X.HT.001, TT-QYG7JYQC26, dossier.assign, to-khai.pdf).
CODE = re.compile(r"\S*(?:\d|\w[._]\w)\S*")


def untranslated(vietnamese: str, english: str, data) -> list[str]:
    """The texts shown alike in both languages that hold a word needing translation."""
    same = set(visible_texts(vietnamese)) & set(visible_texts(english))
    return sorted(
        text
        for text in same
        if set(words(CODE.sub(" ", data.sub(" ", text)))) - SAME_IN_EVERY_LANGUAGE
    )


def repeated_headings(page: str) -> list[list[str]]:
    """Rows of a table in which two columns carry the same heading."""
    return [row for row in header_rows(page) if len(set(row)) < len(row)]


@pytest.mark.django_db
def test_every_page_is_in_the_readers_language_and_every_column_says_what_it_counts():
    world = _world()
    pages = _pages(world)
    assert set(pages) | set(NOT_PAGES) == _url_names()
    data = _records_data()
    found = {}
    for name, (reader, method, url, params) in pages.items():
        vietnamese = _render(reader, method, url, params, "vi")
        english = _render(reader, method, url, params, "en")
        problems = untranslated(vietnamese, english, data)
        problems += [f"repeated heading: {row}" for row in repeated_headings(vietnamese)]
        problems += [f"repeated heading: {row}" for row in repeated_headings(english)]
        if problems:
            found[name] = problems
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.django_db
def test_the_calendar_page_of_the_admin_is_in_the_readers_language():
    """The admin's page of days off (not a desk or portal page, so listed here on its own).
    The holidays' names are the Office of Government's, in Vietnamese in both languages."""
    from haicap.calendar.workdays import vietnam_public_holidays

    names = {d.name for year in (2026, 2027) for d in vietnam_public_holidays(year).sourced}
    data = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    for year in (2026, 2027):
        url = f"/desk/admin/workcalendar/calendarchange/days/?year={year}"
        # only the page's own part: Django's admin frame has its own translations
        vietnamese, english = (
            _own_part(_render("admin", "get", url, {}, language)) for language in ("vi", "en")
        )
        assert untranslated(vietnamese, english, data) == []
        assert repeated_headings(vietnamese) == repeated_headings(english) == []


def _own_part(page: str) -> str:
    return page[page.index('<div id="content"') : page.index("</table>") + len("</table>")]


# Errors the desk shows as they are, and the look-up's word to an applicant whose filing was
# accepted: each is a whole sentence in Vietnamese.
SENTENCES = (
    "choose the desk, the post or electronic delivery",
    "a dossier has from 1 to 20 sets",
    "an authorised person is named with their citizen ID number",
    "a result sent by post needs the applicant's address",
    "an electronic result needs the applicant's e-mail or ID number",
    "a postal tracking number has 6 to 30 letters and digits, e.g. EB123456789VN",
    "The citizen ID number of who collects the result has 12 digits.",
    "Your dossier was accepted. Follow it from now on with its dossier code and the same PIN.",
)


def test_errors_and_notices_read_as_vietnamese_sentences():
    po = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE))}
    for msgid in SENTENCES:
        said = po[msgid]
        assert said[:1].isupper() and said.endswith("."), said
    # the collector's number is named once
    assert po[SENTENCES[6]].count("Số định danh") == 1
