"""The shipped templates' step and action names: Vietnamese in the JSON, English from the
catalogue, and the JSON, the list of names and the catalogue agree."""

import json
from pathlib import Path

from django.utils import translation

from haicap.catalog.template_names import SHIPPED_NAMES, translated_name

TEMPLATES = Path(__file__).resolve().parents[2] / "haicap" / "workflow" / "templates"


def shipped_names() -> set[str]:
    names = set()
    for path in TEMPLATES.glob("*.json"):
        definition = json.loads(path.read_text(encoding="utf-8"))
        names |= {item["name"] for item in definition["steps"] + definition["actions"]}
    return names


def test_every_shipped_name_is_listed_and_nothing_else():
    assert shipped_names() and set(SHIPPED_NAMES) == shipped_names()


def test_in_vietnamese_a_name_reads_as_the_template_writes_it():
    with translation.override("vi"):
        assert {name: translated_name(name) for name in shipped_names()} == {
            name: name for name in shipped_names()
        }


def test_in_english_every_name_is_english_and_no_two_are_alike():
    with translation.override("en"):
        english = {translated_name(name) for name in shipped_names()}
    assert len(english) == len(shipped_names())
    assert english.isdisjoint(shipped_names())
    assert all(text.isascii() for text in english)


def test_a_name_an_administrator_wrote_is_shown_as_written():
    with translation.override("en"):
        assert translated_name("Chờ ý kiến hội đồng") == "Chờ ý kiến hội đồng"
