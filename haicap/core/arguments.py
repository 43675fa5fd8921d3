"""Argument types the commands share (pure: argparse calls them on the command line)."""


def share(value: str) -> float:
    """A share from 0 to 1, such as a simulator's fault rate; argparse turns the ValueError into
    one readable line ("invalid share value: '1.5'")."""
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(value)
    return number
