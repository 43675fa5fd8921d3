"""How an issuing body's document names its signer and itself (no Django).

Decree 30/2020/NĐ-CP, Art. 13: the head of a body signs in their own title; a deputy signs for
the head, "KT." (ký thay) above the head's title and their own below it. Appendix I, part I,
II.3: a document's number is the body's running number of the year, and its symbol joins the
abbreviation of the document's type to that of the issuing body ("12/TB-UBND").
"""

import unicodedata


def capacity(head_title: str, deputy: bool) -> str:
    """The lines above the signer's name: ``"CHỦ TỊCH"`` for the head, ``"KT. CHỦ TỊCH\\nPHÓ
    CHỦ TỊCH"`` for a deputy signing for the head."""
    head = " ".join(head_title.split()).upper()
    return f"KT. {head}\nPHÓ {head}" if deputy else head


def abbreviation(name: str) -> str:
    """The initials of a body's name, as document symbols write them: "Ủy ban nhân dân" →
    "UBND", "Sở Tư pháp" → "STP", "Hội đồng nhân dân" → "HĐND" (Đ keeps its stroke; other
    letters lose their marks)."""
    initials = []
    for word in name.split():
        letter = word[0].upper()
        if letter != "Đ":
            letter = unicodedata.normalize("NFD", letter)[0]
        initials.append(letter)
    return "".join(initials)


def document_number(number: int, type_code: str, body: str) -> str:
    """``12/TB-UBND``: the running number, the type's code and the body's abbreviation."""
    return f"{number}/{type_code}-{abbreviation(body)}"
