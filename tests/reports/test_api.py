"""``/api/v1/reports``: templates as data, a report opened pre-filled, written cell by cell,
submitted once per Idempotency-Key, decided by the province; who has filed; refusals as
problem+json that name the cells."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ninja import Schema

from haicap.accounts import services as account_services
from haicap.core import clock
from haicap.core.measures import Unit
from haicap.core.report_sources import ReportSource, report_sources
from haicap.reports import api_inputs, api_outputs, api_template_outputs
from haicap.reports.models import Report, Submission
from haicap.reports.services import filing
from tests.reports import world

pytestmark = pytest.mark.django_db
API = "/api/v1/reports"
PROBLEM = "application/problem+json"
NOVEMBER = "2026-11-01"


def bearer(user, language: str = "en") -> Client:
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}", "Accept-Language": language})


def post(client: Client, url: str, body: dict | None = None, **headers: str):
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def patch(client: Client, url: str, body: dict):
    return client.patch(url, body, content_type="application/json")


def opened(client: Client, commune: str = world.DO_LUONG, when: dt.datetime | None = None):
    with clock.fixed_at(when or world.at(12, 1)):
        return post(
            client, API, {"template": world.CODE, "commune": commune, "period_start": NOVEMBER}
        )


def cell(detail: dict, key: str) -> dict:
    return next(c for c in detail["cells"] if c["key"] == key)


FILLED = {
    "assessment": "Cơ bản thông suốt",
    "difficulties": "Thiếu máy scan để số hóa hồ sơ.",
    "proposals": "Đề nghị tỉnh cấp bổ sung 02 máy scan.",
}


@pytest.fixture
def people():
    return world.people()


@pytest.fixture
def template():
    return world.publish()


# --- templates ---------------------------------------------------------------------------


def test_templates_list_each_newest_version_or_every_version(people, template):
    world.publish(in_force_from=dt.date(2026, 12, 1), name="Báo cáo kiểm thử, sửa đổi")
    client = bearer(people.do_luong)
    newest = [t for t in client.get(f"{API}/templates").json() if t["code"] == world.CODE]
    assert [(t["version"], t["name"]) for t in newest] == [(2, "Báo cáo kiểm thử, sửa đổi")]
    every = client.get(f"{API}/templates", {"all": "1"}).json()
    assert [t["version"] for t in every if t["code"] == world.CODE] == [2, 1]
    assert newest[0]["period_kind"] == "month"
    assert newest[0]["period_kind_label"] == "Monthly"
    assert newest[0]["every_commune"] is False
    assert newest[0]["in_force_from"] == "2026-12-01"


def test_a_template_version_is_its_definition_as_data(people, template):
    detail = bearer(people.do_luong).get(f"{API}/templates/{world.CODE}/1").json()
    assert [s["key"] for s in detail["sections"]] == ["tthc", "chung"]
    received = detail["sections"][0]["cells"][0]
    assert received["kind"] == "number"
    assert received["unit"] == "hồ sơ"
    assert received["source"] == {
        "key": "kpi.received",
        "label": "Dossiers received",
        "params": {},
    }
    by_field = detail["sections"][0]["cells"][3]
    assert [(c["key"], c["kind"]) for c in by_field["columns"]] == [
        ("field", "text"),
        ("received", "number"),
    ]
    assessment = detail["sections"][1]["cells"][0]
    assert assessment["choices"] == ["Thông suốt", "Cơ bản thông suốt", "Còn vướng mắc"]
    assert assessment["required"] is True
    assert detail["rules"][1] == {
        "key": "fields_add_up",
        "left": ["by_field.received"],
        "op": "=",
        "right": ["received"],
        "message": "Tổng các lĩnh vực phải bằng số hồ sơ tiếp nhận",
    }
    # in the Vietnamese alphabet's order: Bạch Hà, Đô Lương, Văn Hiến
    assert [f["code"] for f in detail["filers"]] == [world.BACH_HA, world.DO_LUONG, world.VAN_HIEN]
    missing = bearer(people.do_luong).get(f"{API}/templates/{world.CODE}/2")
    assert missing.status_code == 404
    assert missing["Content-Type"] == PROBLEM


def test_templates_need_credentials(template):
    answer = Client().get(f"{API}/templates")
    assert answer.status_code == 401
    assert answer["Content-Type"] == PROBLEM


# --- opening -----------------------------------------------------------------------------


def test_opening_answers_201_then_200_with_the_cells_prefilled_and_their_source(people, template):
    client = bearer(people.do_luong)
    first = opened(client)
    assert first.status_code == 201
    detail = first.json()
    received = cell(detail, "received")
    assert received["value"] == "0"  # the tests' province has no dossiers
    reading = received["reading"]
    assert reading["source_key"] == "kpi.received"
    assert reading["label"] == "Dossiers received"
    assert reading["value"] == "0"
    assert reading["read_at"] == "2026-12-01T09:00:00+07:00"
    assert reading["records_url"].startswith("/desk/ho-so/?unit=17662")
    assert "received_from=2026-11-01" in reading["records_url"]
    assert received["overridden"] is False
    assert cell(detail, "meetings")["value"] is None
    assert cell(detail, "meetings")["reading"] is None
    assert detail["state"] == "draft"
    assert detail["commune"]["code"] == world.DO_LUONG
    assert detail["period"] == {
        "start": "2026-11-01",
        "end": "2026-11-30",
        "label": "tháng 11 năm 2026",
    }
    assert detail["deadlines"] == {
        "submit_from": "2026-12-01",
        "due": "2026-12-05",
        "late_after": "2026-12-07",
    }
    assert detail["standing"] == "waiting"
    assert [e["kind"] for e in detail["events"]] == ["opened"]
    assert detail["allowed_actions"] == ["save", "refresh"]  # a specialist does not submit
    again = opened(client, when=world.at(12, 2))
    assert again.status_code == 200
    assert again.json()["id"] == detail["id"]
    assert cell(again.json(), "received")["reading"]["read_at"] == reading["read_at"]
    assert Report.objects.filter(template_code=world.CODE).count() == 1


def test_opening_refusals(people, template):
    client = bearer(people.do_luong)
    unknown = opened(client, commune="99999")
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "invalid_input"
    other = opened(bearer(people.van_hien), commune=world.DO_LUONG)
    assert other.status_code == 403
    too_early = opened(client, when=world.at(11, 10))
    assert too_early.status_code == 422
    with clock.fixed_at(world.at(12, 1)):
        no_template = post(
            client,
            API,
            {"template": "khong-co", "commune": world.DO_LUONG, "period_start": NOVEMBER},
        )
        mid_month = post(
            client,
            API,
            {"template": world.CODE, "commune": world.DO_LUONG, "period_start": "2026-11-02"},
        )
    assert no_template.status_code == mid_month.status_code == 404
    assert not Report.objects.filter(template_code=world.CODE).exists()


# --- reading -----------------------------------------------------------------------------


def test_a_report_is_seen_in_scope_only(people, template):
    report_id = opened(bearer(people.do_luong)).json()["id"]
    outside = bearer(people.van_hien).get(f"{API}/{report_id}")
    assert outside.status_code == 404
    assert outside["Content-Type"] == PROBLEM
    assert bearer(people.finance).get(f"{API}/{report_id}").status_code == 404
    assert bearer(people.reviewer).get(f"{API}/{report_id}").json()["allowed_actions"] == []
    supervised = bearer(people.supervisor).get(f"{API}/{report_id}")
    assert supervised.status_code == 200
    assert supervised.json()["allowed_actions"] == []


def test_the_list_is_scoped_filtered_and_paginated(people, template):
    do_luong = opened(bearer(people.do_luong)).json()
    van_hien = opened(bearer(people.van_hien), commune=world.VAN_HIEN).json()
    reviewer = bearer(people.reviewer)
    with clock.fixed_at(world.at(12, 2)):
        every = reviewer.get(API, {"template": world.CODE}).json()
    assert {r["id"] for r in every["items"]} == {do_luong["id"], van_hien["id"]}
    assert {r["standing"] for r in every["items"]} == {"waiting"}
    own = bearer(people.van_hien).get(API).json()["items"]
    assert [r["id"] for r in own] == [van_hien["id"]]
    by_commune = reviewer.get(API, {"commune": world.DO_LUONG, "period_start": NOVEMBER}).json()
    assert [r["id"] for r in by_commune["items"]] == [do_luong["id"]]
    assert reviewer.get(API, {"template": world.CODE, "state": "submitted"}).json()["items"] == []
    first = reviewer.get(API, {"template": world.CODE, "limit": 1}).json()
    assert first["next_cursor"]
    second = reviewer.get(
        API, {"template": world.CODE, "limit": 1, "cursor": first["next_cursor"]}
    ).json()
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {do_luong["id"], van_hien["id"]}
    assert second["next_cursor"] is None
    assert reviewer.get(API, {"limit": 0}).status_code == 422


# --- writing -----------------------------------------------------------------------------


def test_cells_are_written_by_key_and_an_override_shows_its_difference(people, template):
    client = bearer(people.do_luong)
    report_id = opened(client).json()["id"]
    answer = patch(
        client,
        f"{API}/{report_id}",
        {
            "values": {
                "received": "12",
                "meetings": 4,
                "by_field": [
                    {"field": "Hộ tịch", "received": "7,5"},
                    {"field": "Đất đai", "received": 4.5},
                ],
                **FILLED,
            },
            "reasons": {"received": "12 hồ sơ giấy chưa nhập hệ thống"},
        },
    )
    assert answer.status_code == 200
    detail = answer.json()
    received = cell(detail, "received")
    assert (received["value"], received["overridden"], received["difference"]) == ("12", True, "12")
    assert received["reason"] == "12 hồ sơ giấy chưa nhập hệ thống"
    assert cell(detail, "meetings")["value"] == "4"
    assert cell(detail, "by_field")["value"] == [
        {"field": "Hộ tịch", "received": "7.5"},
        {"field": "Đất đai", "received": "4.5"},
    ]
    assert cell(detail, "difficulties")["value"] == FILLED["difficulties"]
    assert detail["issues"] == []
    back = patch(client, f"{API}/{report_id}", {"values": {"received": "0"}}).json()
    assert cell(back, "received")["overridden"] is False
    assert cell(back, "received")["reason"] == ""  # brought back to haicap's figure
    assert cell(back, "meetings")["value"] == "4"  # cells not named keep theirs


def test_unreadable_cells_are_named_and_nothing_is_saved(people, template):
    client = bearer(people.do_luong)
    report_id = opened(client).json()["id"]
    patch(client, f"{API}/{report_id}", {"values": {"meetings": "4"}})
    refused = patch(
        client,
        f"{API}/{report_id}",
        {"values": {"meetings": "bốn", "assessment": "Tuyệt vời", "proposals": "Thêm máy"}},
    )
    assert refused.status_code == 422
    assert refused["Content-Type"] == PROBLEM
    body = refused.json()
    assert body["code"] == "cells_unreadable"
    errors = {e["cell"]: e for e in body["errors"]}
    assert set(errors) == {"meetings", "assessment"}
    assert errors["meetings"]["type"] == "not_a_number"
    assert errors["meetings"]["msg"].startswith("Enter a number")
    assert errors["assessment"]["type"] == "not_offered"
    entries = filing.entries_of(Report.objects.get(pk=report_id))
    assert entries["meetings"].value == Decimal(4)
    assert "proposals" not in entries  # the readable cell was not saved either


@pytest.mark.parametrize(
    "values, reasons, cell_key, kind",
    [
        ({"no_such_cell": "1"}, {}, "no_such_cell", "unknown_cell"),
        ({}, {"nope": "why"}, "nope", "unknown_cell"),
        ({"difficulties": [{"a": "b"}]}, {}, "difficulties", "rows_not_taken"),
        ({"by_field": "Hộ tịch"}, {}, "by_field", "not_a_table"),
        ({"meetings": 10**20}, {}, "meetings", "not_a_number"),
        ({"meetings": 1e300}, {}, "meetings", "not_a_number"),
        ({"by_field": [{"received": 10**20}]}, {}, "by_field", "not_a_number"),
        ({}, {"received": "x" * 501}, "received", "too_long"),
    ],
)
def test_values_that_fit_no_cell_are_refused_by_cell(
    people, template, values, reasons, cell_key, kind
):
    client = bearer(people.do_luong)
    report_id = opened(client).json()["id"]
    before = Report.objects.get(pk=report_id).draft
    refused = patch(client, f"{API}/{report_id}", {"values": values, "reasons": reasons})
    assert refused.status_code == 422
    assert [(e["cell"], e["type"]) for e in refused.json()["errors"]] == [(cell_key, kind)]
    assert Report.objects.get(pk=report_id).draft == before


def test_refusals_are_in_the_readers_language(people, template):
    client = bearer(people.do_luong, language="vi")
    report_id = opened(client).json()["id"]
    refused = patch(client, f"{API}/{report_id}", {"values": {"meetings": "bốn"}}).json()
    assert refused["detail"] == "Có ô không đọc được; chưa lưu gì."
    assert refused["errors"][0]["msg"] == (
        "Nhập một số: các chữ số, có thể có dấu và tối đa bốn chữ số thập phân."
    )


def test_only_the_communes_officers_write_and_only_while_it_is_being_written(people, template):
    report_id = opened(bearer(people.do_luong)).json()["id"]
    body = {"values": {"meetings": "2"}}
    assert patch(bearer(people.reviewer), f"{API}/{report_id}", body).status_code == 403
    assert patch(bearer(people.van_hien), f"{API}/{report_id}", body).status_code == 404
    patch(bearer(people.do_luong), f"{API}/{report_id}", {"values": FILLED})
    with clock.fixed_at(world.at(12, 3)):
        post(bearer(people.do_luong_leader), f"{API}/{report_id}/submit")
    late = patch(bearer(people.do_luong), f"{API}/{report_id}", body)
    assert late.status_code == 409
    assert late.json()["code"] == "conflict"
    assert bearer(people.do_luong).post(f"{API}/{report_id}/refresh").status_code == 409


def test_refreshing_takes_a_new_figure_unless_the_cell_was_overridden(people):
    figure = {"value": Decimal(5)}
    source = ReportSource(
        key="test.api_refresh",
        label="Test figure",
        unit=Unit.COUNT,
        read=lambda unit_id, params, start, end: figure["value"],
        records=lambda unit_id, params, start, end: "",
    )
    report_sources.register(source)
    try:
        definition = {
            "sections": [
                {
                    "key": "a",
                    "title": "A",
                    "cells": [
                        {"key": "kept", "label": "Kept", "kind": "number"}
                        | {"source": {"key": source.key}},
                        {"key": "followed", "label": "Followed", "kind": "number"}
                        | {"source": {"key": source.key}},
                    ],
                }
            ]
        }
        world.publish(definition)
        client = bearer(people.do_luong)
        report_id = opened(client).json()["id"]
        patch(
            client, f"{API}/{report_id}", {"values": {"kept": "9"}, "reasons": {"kept": "đếm lại"}}
        )
        figure["value"] = Decimal(7)
        with clock.fixed_at(world.at(12, 4)):
            detail = client.post(f"{API}/{report_id}/refresh").json()
    finally:
        report_sources.forget(source)
    followed, kept = cell(detail, "followed"), cell(detail, "kept")
    assert (followed["value"], followed["reading"]["value"]) == ("7", "7")
    assert followed["reading"]["read_at"] == "2026-12-04T09:00:00+07:00"
    assert followed["reading"]["records_url"] is None
    assert (kept["value"], kept["reading"]["value"], kept["difference"]) == ("9", "7", "2")
    assert kept["reason"] == "đếm lại"


# --- submitting and deciding -----------------------------------------------------------


def test_submitting_lists_what_stops_it_by_cell_and_rule(people, template):
    writer, leader = bearer(people.do_luong), bearer(people.do_luong_leader)
    report_id = opened(writer).json()["id"]
    patch(
        writer,
        f"{API}/{report_id}",
        {"values": {"received": "3", "by_field": [{"field": "Hộ tịch", "received": "2"}]}},
    )
    with clock.fixed_at(world.at(12, 3)):
        refused = post(leader, f"{API}/{report_id}/submit")
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "report_incomplete"
    found = {(e["type"], e["cell"] or e["rule"]) for e in body["errors"]}
    assert found == {
        ("reason", "received"),
        ("required", "assessment"),
        ("required", "difficulties"),
        ("rule", "fields_add_up"),
    }
    rule = next(e for e in body["errors"] if e["type"] == "rule")
    assert rule["msg"] == "Tổng các lĩnh vực phải bằng số hồ sơ tiếp nhận"
    assert rule["cells"] == ["by_field.received", "received"]
    assert not Submission.objects.filter(report_id=report_id).exists()


def test_the_leader_submits_once_per_idempotency_key(people, template):
    writer, leader = bearer(people.do_luong), bearer(people.do_luong_leader)
    report_id = opened(writer).json()["id"]
    patch(writer, f"{API}/{report_id}", {"values": FILLED})
    assert post(writer, f"{API}/{report_id}/submit").status_code == 403  # not the leader
    with clock.fixed_at(world.at(12, 3)):
        first = post(leader, f"{API}/{report_id}/submit", **{"Idempotency-Key": "s-1"})
    with clock.fixed_at(world.at(12, 3, 10)):
        retry = post(leader, f"{API}/{report_id}/submit", **{"Idempotency-Key": "s-1"})
        without_key = post(leader, f"{API}/{report_id}/submit")
    assert first.status_code == retry.status_code == 201
    assert retry.json()["state"] == "submitted"
    assert [s["number"] for s in retry.json()["submissions"]] == [1]
    assert retry.json()["submissions"][0]["submitted_at"] == "2026-12-03T09:00:00+07:00"
    assert without_key.status_code == 409
    approved = bearer(people.reviewer).post(
        f"{API}/{report_id}/approve", "", content_type="application/json"
    )
    assert approved.status_code == 200  # a note is optional, and so is the body
    assert Submission.objects.filter(report_id=report_id).count() == 1
    other_id = opened(bearer(people.van_hien), commune=world.VAN_HIEN).json()["id"]
    patch(bearer(people.van_hien), f"{API}/{other_id}", {"values": FILLED})
    with clock.fixed_at(world.at(12, 3)):
        theirs = post(
            bearer(people.van_hien_leader), f"{API}/{other_id}/submit", **{"Idempotency-Key": "s-1"}
        )
    assert theirs.status_code == 201  # a key is its sender's: another leader's is another key
    assert Submission.objects.filter(report_id=other_id).count() == 1


def test_a_key_sent_to_submit_another_report_is_refused(people, template):
    leader = bearer(people.do_luong_leader)
    november = opened(bearer(people.do_luong)).json()["id"]
    patch(bearer(people.do_luong), f"{API}/{november}", {"values": FILLED})
    with clock.fixed_at(world.at(12, 3)):
        post(leader, f"{API}/{november}/submit", **{"Idempotency-Key": "k"})
    with clock.fixed_at(world.at(12, 31)):
        december = post(
            bearer(people.do_luong),
            API,
            {"template": world.CODE, "commune": world.DO_LUONG, "period_start": "2026-12-01"},
        ).json()["id"]
        patch(bearer(people.do_luong), f"{API}/{december}", {"values": FILLED})
        reused = post(leader, f"{API}/{december}/submit", **{"Idempotency-Key": "k"})
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert Report.objects.get(pk=december).state == Report.State.DRAFT


def test_returned_corrected_resubmitted_and_approved_each_submission_kept(people, template):
    writer, leader = bearer(people.do_luong), bearer(people.do_luong_leader)
    reviewer = bearer(people.reviewer)
    report_id = opened(writer).json()["id"]
    patch(writer, f"{API}/{report_id}", {"values": {**FILLED, "meetings": "2"}})
    assert post(reviewer, f"{API}/{report_id}/approve").status_code == 409  # not submitted yet
    with clock.fixed_at(world.at(12, 3)):
        post(leader, f"{API}/{report_id}/submit")
    assert post(leader, f"{API}/{report_id}/approve").status_code == 403
    assert post(bearer(people.supervisor), f"{API}/{report_id}/approve").status_code == 403
    assert post(reviewer, f"{API}/{report_id}/return", {"note": ""}).status_code == 422
    assert post(reviewer, f"{API}/{report_id}/return", {"note": "   "}).status_code == 422
    assert bearer(people.do_luong).get(f"{API}/{report_id}").json()["state"] == "submitted"
    with clock.fixed_at(world.at(12, 4)):
        returned = post(reviewer, f"{API}/{report_id}/return", {"note": "Bổ sung số cuộc họp"})
    assert returned.status_code == 200
    assert returned.json()["state"] == "returned"
    assert returned.json()["events"][-1]["note"] == "Bổ sung số cuộc họp"
    assert returned.json()["events"][-1]["actor"] == people.reviewer.username
    patch(writer, f"{API}/{report_id}", {"values": {"meetings": "3"}})
    with clock.fixed_at(world.at(12, 5)):
        post(leader, f"{API}/{report_id}/submit")
        approved = post(
            bearer(people.reviewer_leader), f"{API}/{report_id}/approve", {"note": "Đạt yêu cầu"}
        )
    assert approved.status_code == 200
    detail = approved.json()
    assert detail["state"] == "approved"
    assert detail["events"][-1]["note"] == "Đạt yêu cầu"
    assert detail["standing"] == "on_time"  # the first submission counts
    assert [e["kind"] for e in detail["events"]] == [
        "opened",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    assert [e["submission"] for e in detail["events"]] == [None, 1, 1, 2, 2]
    first = writer.get(f"{API}/{report_id}/submissions/1").json()
    second = writer.get(f"{API}/{report_id}/submissions/2").json()
    assert (cell(first, "meetings")["value"], cell(second, "meetings")["value"]) == ("2", "3")
    assert first["submitted_by"] == people.do_luong_leader.username
    assert first["template_version"] == 1
    assert cell(first, "received")["reading"]["source_key"] == "kpi.received"
    assert writer.get(f"{API}/{report_id}/submissions/3").status_code == 404
    assert bearer(people.van_hien).get(f"{API}/{report_id}/submissions/1").status_code == 404


def test_a_save_or_a_submission_from_a_version_changed_since_is_refused(people, template):
    writer, leader = bearer(people.do_luong), bearer(people.do_luong_leader)
    detail = opened(writer).json()
    url, seen = f"{API}/{detail['id']}", detail["version"]
    saved = patch(writer, url, {"values": FILLED, "version": seen})
    assert saved.status_code == 200
    assert saved.json()["version"] == seen + 1
    stale = patch(bearer(people.do_luong_desk), url, {"values": {"meetings": "7"}, "version": seen})
    assert stale.status_code == 409
    assert stale["Content-Type"] == PROBLEM
    assert stale.json()["code"] == "conflict"
    assert cell(writer.get(url).json(), "meetings")["value"] is None
    with clock.fixed_at(world.at(12, 3)):
        refused = post(leader, f"{url}/submit", {"version": seen})
        submitted = post(leader, f"{url}/submit", {"version": seen + 1})
    assert refused.status_code == 409
    assert submitted.status_code == 201
    assert Submission.objects.filter(report_id=detail["id"]).count() == 1


def test_a_report_is_submitted_once_its_period_has_ended(people, template):
    writer, leader = bearer(people.do_luong), bearer(people.do_luong_leader)
    report_id = opened(writer, when=world.at(11, 25)).json()["id"]
    patch(writer, f"{API}/{report_id}", {"values": FILLED})
    with clock.fixed_at(world.at(11, 30, 20)):
        waiting = leader.get(f"{API}/{report_id}").json()
        refused = post(leader, f"{API}/{report_id}/submit")
    assert "submit" not in waiting["allowed_actions"]
    assert waiting["deadlines"]["submit_from"] == "2026-12-01"
    assert waiting["standing"] == "not_due"
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_input"
    assert "from 01/12/2026" in refused.json()["detail"]
    assert not Submission.objects.filter(report_id=report_id).exists()
    with clock.fixed_at(world.at(12, 1, 7)):
        assert "submit" in leader.get(f"{API}/{report_id}").json()["allowed_actions"]
        assert post(leader, f"{API}/{report_id}/submit").status_code == 201


# --- who has filed -----------------------------------------------------------------------


def test_standings_give_each_commune_and_the_rates_to_the_province_only(people, template):
    writer, leader = bearer(people.do_luong), bearer(people.do_luong_leader)
    report_id = opened(writer).json()["id"]
    patch(writer, f"{API}/{report_id}", {"values": FILLED})
    with clock.fixed_at(world.at(12, 3)):
        post(leader, f"{API}/{report_id}/submit")
    van_hien = opened(bearer(people.van_hien), commune=world.VAN_HIEN).json()["id"]
    patch(bearer(people.van_hien), f"{API}/{van_hien}", {"values": FILLED})
    with clock.fixed_at(world.at(12, 9)):
        post(bearer(people.van_hien_leader), f"{API}/{van_hien}/submit")
    query = {"template": world.CODE, "period_start": NOVEMBER}
    with clock.fixed_at(world.at(12, 10)):
        answer = bearer(people.reviewer).get(f"{API}/standings", query)
        supervised = bearer(people.supervisor).get(f"{API}/standings", query)
        commune = bearer(people.do_luong_leader).get(f"{API}/standings", query)
        finance = bearer(people.finance).get(f"{API}/standings", query)
    assert answer.status_code == supervised.status_code == 200
    body = answer.json()
    assert body["rates"] == {
        "expected": 3,
        "filed": 2,
        "on_time": 1,
        "missing": 1,
        "completeness": "66.7",
        "timeliness": "33.3",
    }
    found = {c["commune"]["code"]: (c["standing"], c["state"]) for c in body["communes"]}
    assert found == {
        world.DO_LUONG: ("on_time", "submitted"),
        world.VAN_HIEN: ("late", "submitted"),
        world.BACH_HA: ("missing", None),
    }
    do_luong = next(c for c in body["communes"] if c["commune"]["code"] == world.DO_LUONG)
    assert do_luong["report_id"] == report_id
    assert do_luong["first_submitted_at"] == "2026-12-03T09:00:00+07:00"
    assert commune.status_code == finance.status_code == 403
    mid_month = bearer(people.reviewer).get(
        f"{API}/standings", {"template": world.CODE, "period_start": "2026-11-15"}
    )
    assert mid_month.status_code == 404


def test_before_its_period_ends_a_report_is_not_expected(people, template):
    query = {"template": world.CODE, "period_start": "2026-12-01"}
    with clock.fixed_at(world.at(12, 10)):
        body = bearer(people.reviewer).get(f"{API}/standings", query).json()
    assert body["rates"]["expected"] == 0
    assert body["rates"]["completeness"] is None
    assert {c["standing"] for c in body["communes"]} == {"not_due"}


# --- the document ------------------------------------------------------------------------


def _schemas(module) -> list[type[Schema]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Schema)
        and value.__module__ == module.__name__
    ]


def _every_schema_class() -> list[type]:
    found, waiting = [], [Schema]
    while waiting:
        for sub in waiting.pop().__subclasses__():
            found.append(sub)
            waiting.append(sub)
    return found


def test_the_reports_schemas_are_published_under_names_no_other_schema_takes():
    """The document keeps one schema per name: another app's schema of the same name would
    silently stand for ours, or ours for theirs."""
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    outputs = _schemas(api_outputs) + _schemas(api_template_outputs)
    ours = _schemas(api_inputs) + outputs
    names = {s.__name__ for s in ours}
    others = [
        s
        for s in _every_schema_class()
        if s.__name__ in names and s.__module__.startswith("haicap.") and s not in ours
    ]
    assert others == []
    for model in outputs:
        if model.__name__ in schema:
            published = model.model_json_schema(mode="serialization")
            assert set(schema[model.__name__]["properties"]) == set(published["properties"])


CELL_KEYS = ["received", "meetings", "by_field", "assessment", "difficulties", "no_such"]
TEXTS = st.text(max_size=12) | st.sampled_from(["12", "-3,5", "1.23456", "Thông suốt", " "])
SCALARS = TEXTS | st.integers() | st.floats() | st.none()
ROWS = st.lists(
    st.dictionaries(st.sampled_from(["field", "received", "other"]), SCALARS, max_size=3),
    max_size=3,
)


@given(
    values=st.dictionaries(st.sampled_from(CELL_KEYS), SCALARS | ROWS, max_size=4),
    reasons=st.dictionaries(st.sampled_from(CELL_KEYS), TEXTS, max_size=2),
)
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_body_is_saved_whole_or_refused_whole(people, template, values, reasons):
    client = bearer(people.do_luong)
    report_id = opened(client).json()["id"]
    before = Report.objects.get(pk=report_id).draft
    answer = patch(client, f"{API}/{report_id}", {"values": values, "reasons": reasons})
    assert answer.status_code in (200, 422), answer.content
    if answer.status_code == 422:
        assert answer["Content-Type"] == PROBLEM
        assert Report.objects.get(pk=report_id).draft == before
        body = answer.json()
        if body["code"] == "cells_unreadable":
            assert {e["cell"] for e in body["errors"]} <= set(values) | set(reasons)
        else:  # a text the schema refuses (a control character)
            assert body["code"] == "validation_error"
    else:
        assert "no_such" not in set(values) | set(reasons)  # a key of no cell is never taken
