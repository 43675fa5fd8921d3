"""Dossier codes and look-up PINs (pure).

Code: ``<agency code>-YYMMDD-NNNN`` (Circular 03/2025 Art. 13): the receiving agency's code,
the day of receipt, the agency's sequence for that day, at least four digits.
"""

import datetime as dt
import secrets

PIN_LENGTH = 6


def dossier_code(agency_code: str, day: dt.date, number: int) -> str:
    if number < 1:
        raise ValueError("daily numbers start at 1")
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))
