"""The public catalogue: find a procedure with or without diacritics, and read what it needs."""

import pytest
from django.test import Client

from haicap.catalog.models import Procedure
from tests.portal.helpers import text, visitor

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [p.national_code for p in response.context["page"].object_list]


def test_a_search_matches_with_or_without_diacritics():
    client = visitor()
    bare = client.get("/thu-tuc/", {"q": "cap giay phep"})
    marked = client.get("/thu-tuc/", {"q": "Cấp giấy phép"})
    assert bare.status_code == 200
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in text(bare)
    assert "X.XD.001" in names(bare) and "T.CT.001" in names(bare)
    assert names(bare) == names(marked)
    assert "Đăng ký khai sinh" not in text(bare)  # every word must match
    assert "X.XD.001" in names(client.get("/thu-tuc/", {"q": "xay dung nha o"}))
    assert names(client.get("/thu-tuc/", {"q": "x.ht.007"})) == ["X.HT.007"]


def test_filters_narrow_by_field_tier_and_online_filing():
    client = visitor()
    construction = names(client.get("/thu-tuc/", {"field": "XAYDUNG"}))
    assert set(construction) == {
        "X.XD.001",
        "X.XD.002",
        "X.XD.003",
        "X.XD.004",
        "T.XD.001",
        "T.XD.002",
    }
    provincial = names(client.get("/thu-tuc/", {"field": "XAYDUNG", "tier": "province"}))
    assert set(provincial) == {"T.XD.001", "T.XD.002"}
    online = client.get("/thu-tuc/", {"online": "on", "field": "CHUNGTHUC"})
    offline = Procedure.objects.filter(field__code="CHUNGTHUC", online_level="none")
    assert offline.exists()
    assert not set(names(online)) & set(offline.values_list("national_code", flat=True))


def test_an_inactive_procedure_is_neither_listed_nor_shown():
    Procedure.objects.filter(national_code="X.XD.003").update(is_active=False)
    client = visitor()
    assert "X.XD.003" not in names(client.get("/thu-tuc/", {"q": "gia han giay phep"}))
    assert client.get("/thu-tuc/X.XD.003/").status_code == 404


def test_htmx_gets_the_results_only_and_the_page_pages():
    client = visitor()
    partial = client.get("/thu-tuc/", {"q": "dang ky"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and "Đăng ký khai sinh" in body
    assert "HX-Request" in partial["Vary"]
    first = client.get("/thu-tuc/")
    assert first.context["page"].paginator.count == Procedure.objects.filter(is_active=True).count()
    assert 'href="?page=2"' in first.content.decode()
    second = client.get("/thu-tuc/", {"page": 2})
    assert set(names(first)).isdisjoint(names(second))


def test_a_procedure_page_says_what_to_bring_what_it_costs_and_how_long_it_takes():
    page = text(visitor().get("/thu-tuc/X.XD.001/"))
    for expected in (
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Đơn đề nghị cấp giấy phép xây dựng (original, quantity 1)",
        "Giấy tờ về quyền sử dụng đất (copy, quantity 1)",
        "Bản vẽ thiết kế",
        "75,000 VND",
        "15 working days",
        "its Economic Office handles the dossier",
        "Partly online",
        "File online",
    ):
        assert expected in page, expected
    provincial = text(visitor().get("/thu-tuc/T.TP.001/"))
    assert "Sở Tư pháp" in provincial and "200,000 VND" in provincial
    assert "Sinh viên, người có công: 100.000 đồng" in provincial
    assert "10 working days" in provincial and "Fully online" in provincial


def test_a_procedure_not_offered_online_has_no_filing_button():
    response = visitor().get("/thu-tuc/X.CT.002/")
    assert "/nop-truc-tuyen/" not in response.content.decode()
    page = text(response)
    assert "This procedure cannot be filed online" in page
    assert "Giấy tờ tùy thân (to show at the desk" in page
    assert "A dossier received after 15:00 counts from the next working day." in page


def test_the_portal_pages_are_in_vietnamese_by_default_and_link_each_other():
    body = Client().get("/").content.decode()
    assert 'lang="vi"' in body
    assert 'href="/thu-tuc/"' in body and 'href="/tra-cuu-ho-so/"' in body


@pytest.mark.django_db
def test_a_fee_is_written_in_thousands_as_offices_write_it():
    assert "<dd>75.000 đồng</dd>" in Client().get("/thu-tuc/X.XD.002/").content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    assert "<dd>75,000 VND</dd>" in english.get("/thu-tuc/X.XD.002/").content.decode()


def test_a_same_day_procedure_shows_its_limit_and_the_article_that_sets_it():
    page = visitor().get("/thu-tuc/X.CT.001/").content.decode()  # the visitor reads English
    assert "1 whole working days" in page
    assert "after 15:00 counts from the next working day" in page
    assert "Set by: Nghị định 23/2015/NĐ-CP, Điều 7 khoản 1" in page
    assert 'data-testid="legal-source"' not in visitor().get("/thu-tuc/X.XD.001/").content.decode()
