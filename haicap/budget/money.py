"""Amounts of money as Vietnam writes them: whole đồng, thousands grouped with a dot
(8.000.000.000), whatever the reader's language, so a figure reads the same on every page, sheet
and decision."""


def format_vnd(amount: int) -> str:
    """``amount`` đồng with its thousands grouped by dots: 8000000000 → "8.000.000.000"."""
    return f"{amount:,}".replace(",", ".")
