"""The command-line argument types the simulators share."""

import argparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core.arguments import share


@given(st.floats(min_value=0.0, max_value=1.0))
def test_a_share_from_0_to_1_is_taken_as_it_is(value):
    assert share(repr(value)) == value


@given(st.floats(allow_nan=False).filter(lambda v: v < 0.0 or v > 1.0))
def test_a_share_outside_0_to_1_is_refused(value):
    with pytest.raises(ValueError):
        share(repr(value))


def test_on_the_command_line_a_bad_share_is_one_readable_line(capsys):
    parser = argparse.ArgumentParser(prog="simulate")
    parser.add_argument("--error-rate", type=share)
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["--error-rate", "1.5"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "simulate: error: argument --error-rate: invalid share value: '1.5'"
    )
