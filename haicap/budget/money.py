"""Amounts of đồng as Vietnamese offices write them (pure: no Django)."""


def format_vnd(amount: int) -> str:
    """8000000000 → "8.000.000.000"; -1000 → "-1.000"."""
    return f"{amount:,}".replace(",", ".")
