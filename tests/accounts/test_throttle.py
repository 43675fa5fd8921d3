"""The sign-in throttle's rule (pure): the counters an attempt counts in, and when it is refused."""

import string

from hypothesis import given
from hypothesis import strategies as st

from haicap.accounts.throttle import Counter, Limits, counter_keys, refused

limits = st.builds(
    Limits,
    account_at_address=st.integers(1, 20),
    address=st.integers(1, 100),
    account=st.integers(1, 500),
)
failures = st.fixed_dictionaries({counter: st.integers(0, 600) for counter in Counter})
addresses = st.one_of(st.none(), st.ip_addresses().map(str))


@given(st.text(min_size=1, max_size=30), addresses, addresses)
def test_only_the_account_counter_is_shared_between_addresses(username, here, there):
    at_here, at_there = counter_keys(username, here), counter_keys(username, there)
    assert at_here[Counter.ACCOUNT] == at_there[Counter.ACCOUNT]
    if here != there:
        assert at_here[Counter.ACCOUNT_AT_ADDRESS] != at_there[Counter.ACCOUNT_AT_ADDRESS]


@given(st.text(alphabet=string.ascii_letters + string.digits + "._", min_size=1), addresses)
def test_a_name_is_counted_whatever_its_case_and_surrounding_spaces(username, address):
    assert counter_keys(f" {username.upper()} ", address) == counter_keys(username, address)


@given(failures, limits, st.booleans())
def test_a_counter_at_its_limit_refuses_except_the_accounts_at_the_usual_address(
    counts, limits, usual
):
    expected = (
        counts[Counter.ACCOUNT_AT_ADDRESS] >= limits.account_at_address
        or counts[Counter.ADDRESS] >= limits.address
        or (counts[Counter.ACCOUNT] >= limits.account and not usual)
    )
    assert refused(counts, limits, usual_address=usual) is expected


@given(failures, limits)
def test_the_usual_address_is_never_refused_more_often(counts, limits):
    if refused(counts, limits, usual_address=True):
        assert refused(counts, limits, usual_address=False)


def test_the_wider_counters_are_looser():
    base = Limits.from_base(5, 50)
    assert base.account_at_address < base.address < base.account
