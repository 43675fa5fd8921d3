"""The survey, the tracking code and the redaction of published answers (pure)."""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.feedback import codes, questions
from haicap.feedback.redaction import HIDDEN, redact

LEVELS = [level.value for level in questions.Level]


@given(st.sampled_from(["dossier", "petition"]), st.data())
def test_a_complete_survey_is_kept_in_the_questions_order_and_satisfied_follows_overall(
    subject, data
):
    wanted = [q.code for q in questions.questions_for(subject)]
    answers = {code: data.draw(st.sampled_from(LEVELS)) for code in reversed(wanted)}
    kept = questions.checked(subject, answers)
    assert list(kept) == wanted
    assert questions.is_satisfied(kept) == (answers["overall"] != "dissatisfied")


def test_a_survey_with_a_missing_an_unknown_or_a_wrong_answer_is_refused():
    full = {q.code: "satisfied" for q in questions.questions_for("dossier")}
    with pytest.raises(questions.BadAnswers, match="unanswered"):
        questions.checked("dossier", {k: v for k, v in full.items() if k != "overall"})
    with pytest.raises(questions.BadAnswers, match="unknown questions"):
        questions.checked("dossier", {**full, "answer": "satisfied"})  # a petition's question
    with pytest.raises(questions.BadAnswers, match="unknown levels"):
        questions.checked("dossier", {**full, "overall": "5"})


def test_both_surveys_ask_the_overall_question():
    for subject in ("dossier", "petition"):
        assert questions.OVERALL in {q.code for q in questions.questions_for(subject)}


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), st.integers(1, 99999))
def test_a_tracking_code_says_its_day_and_number(day, number):
    code = codes.petition_code(day, number)
    assert codes.looks_like_code(code)
    assert code.startswith(f"PA-{day:%y%m%d}-") and int(code.rsplit("-", 1)[1]) == number


def test_numbers_start_at_one():
    with pytest.raises(ValueError):
        codes.petition_code(dt.date(2026, 3, 2), 0)


def test_the_published_answer_hides_the_sender_and_any_id_phone_or_email():
    text = (
        "Trả lời ông Nguyễn Văn Dân (CCCD 040095012345, ĐT 0912 345 678, dan@example.vn), "
        "nhà ở Xóm 3 Nam Sơn: xã đã thu gom rác ngày 3/3."
    )
    shown = redact(text, ["Nguyễn Văn Dân", "0912345678", "dan@example.vn", "Xóm 3 Nam Sơn"])
    for secret in ("Nguyễn Văn Dân", "040095012345", "0912 345 678", "dan@example.vn", "Xóm 3"):
        assert secret not in shown
    assert "xã đã thu gom rác ngày 3/3" in shown


@given(st.from_regex(r"0[35789]\d{8}", fullmatch=True), st.text(alphabet="abc đêm ,.", max_size=40))
def test_no_phone_number_survives_redaction(phone, words):
    shown = redact(f"{words} {phone} {words}")
    assert not re.search(re.escape(phone), shown)
    assert HIDDEN in shown
