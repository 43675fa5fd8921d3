from hypothesis import given
from hypothesis import strategies as st

from haicap.core.text import search_key


def test_vietnamese_matches_with_or_without_diacritics():
    assert search_key("Đô  Lương") == search_key("do luong") == "do luong"
    assert search_key("Thuần Trung") == "thuan trung"
    assert search_key("Nhân Hòa") == search_key("Nhân Hoà")


@given(st.text())
def test_search_key_is_idempotent(text):
    assert search_key(search_key(text)) == search_key(text)


@given(
    st.text(
        alphabet="aăâeêioôơuưyđAĂÂĐÊÔƠƯ àáảãạầấẩẫậằắẳẵặèéẻẽẹềếểễệ"
        "ìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    )
)
def test_vietnamese_letters_become_plain_ascii(text):
    assert search_key(text).isascii()
