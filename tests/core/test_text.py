from hypothesis import given
from hypothesis import strategies as st

from haicap.core.text import as_sentence, match_rank, search_key


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


LETTERS = "abcdeghiklmnotu"
WORDS = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=5), min_size=1, max_size=4)


def test_the_name_itself_ranks_before_the_bundles_that_mention_it():
    typed = search_key("khai tu").split()
    alone = match_rank(search_key("Đăng ký khai tử"), typed)
    bundle = match_rank(
        search_key("Liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ mai táng"),
        typed,
    )
    inside = match_rank(search_key("Đăng ký khai tuất"), typed)  # "tu" only begins a word
    assert alone < bundle < inside


@given(WORDS, WORDS, WORDS)
def test_the_words_as_a_phrase_rank_before_the_words_scattered(typed, before, after):
    phrase = " ".join([*before, *typed, *after])
    scattered = " ".join(f"{word} xxxxxxxxx" for word in typed)
    if len(typed) > 1:
        assert match_rank(phrase, typed)[0] == 0 and match_rank(scattered, typed)[0] == 2


@given(WORDS, WORDS)
def test_more_words_in_the_name_never_rank_it_higher(typed, extra):
    name = " ".join(typed)
    assert match_rank(name, typed) <= match_rank(f"{name} {' '.join(extra)}", typed)


@given(WORDS, st.text(alphabet=LETTERS, min_size=1, max_size=3))
def test_whole_words_rank_before_words_found_inside_others(typed, prefix):
    whole = " ".join(typed)
    inside = " ".join(prefix + w for w in typed)  # each typed word only inside a longer one
    assert match_rank(whole, typed) < match_rank(inside, typed)


def test_a_problem_reads_as_a_sentence():
    assert as_sentence("không có cơ quan nào mang mã X") == "Không có cơ quan nào mang mã X."
    assert as_sentence("đã xong.") == "Đã xong."
    assert as_sentence("vì sao?") == "Vì sao?"
    assert as_sentence("  ") == ""


@given(st.text(min_size=1).filter(str.strip))
def test_any_text_as_a_sentence_ends_once_with_its_mark(text):
    sentence = as_sentence(text)
    assert sentence[-1] in ".?!…"
    assert as_sentence(sentence) == sentence
    assert sentence.startswith(text.strip()[0].upper())
