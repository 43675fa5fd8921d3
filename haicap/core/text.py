"""Text helpers for Vietnamese (pure: no Django)."""

import unicodedata


def search_key(text: str) -> str:
    """Lower case, no diacritics, single spaces: "Đô  Lương" and "do luong" give "do luong"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    # Marks (diacritics) go; control characters, which PostgreSQL text cannot hold, become spaces.
    bare = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in decomposed
        if unicodedata.category(ch) != "Mn"
    )
    return " ".join(bare.lower().split())
