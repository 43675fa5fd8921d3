"""Vietnamese numbers in words, as money amounts are written on receipts (no Django).

"Tám nghìn đồng", "Một trăm linh năm nghìn đồng", "Hai mươi mốt triệu". The reading follows the
usual rules of written Vietnamese: digits are read in groups of three (nghìn, triệu, tỷ; tỷ
repeats for larger numbers); a tens digit of zero inside a group is "linh" before a units
digit; "mười" for ten, "mươi" for twenty and above; a units digit 1 after "mươi" is "mốt",
4 after "mươi" is "tư", 5 after any tens digit is "lăm"; a group after a larger one is read in
full, "không trăm" included, when it is not all zeros.
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu")


def _group(number: int, full: bool) -> list[str]:
    """The words of 0 < ``number`` < 1000; ``full`` reads the hundreds even when zero."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4:
        words.append("tư" if tens > 1 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _words(number: int) -> list[str]:
    if number >= 1_000_000_000:
        billions, rest = divmod(number, 1_000_000_000)
        words = [*_words(billions), "tỷ"]
        if rest:
            words += _below_billion(rest, full=True)
        return words
    return _below_billion(number, full=False)


def _below_billion(number: int, full: bool) -> list[str]:
    groups = [(number // 1000**i) % 1000 for i in (2, 1, 0)]
    words: list[str] = []
    for group, scale in zip(groups, reversed(SCALES), strict=True):
        if group:
            words += _group(group, full=full or bool(words))
            if scale:
                words.append(scale)
    return words


def in_words(number: int) -> str:
    """``number`` (0 or more) in lower-case words: 8000 → "tám nghìn"."""
    if number < 0:
        raise ValueError("a negative number has no reading here")
    if number == 0:
        return DIGITS[0]
    return " ".join(_words(number))


def amount_in_words(amount_vnd: int) -> str:
    """8000 → "Tám nghìn đồng" (the receipt's "Số tiền bằng chữ")."""
    text = f"{in_words(amount_vnd)} đồng"
    return text[0].upper() + text[1:]
