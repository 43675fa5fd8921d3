"""Which failed-sign-in counters an attempt counts against, and when they refuse it (pure).

Counting by account alone would let anyone lock an officer out for the whole window by typing
wrong passwords under their name. So the tight limit is per account *and* address; an address
has a looser limit across accounts (one machine trying many names); and an account has a much
looser limit across addresses, against guessing spread over many machines, which an address the
account signed in from before (the officer's usual desk) is not held to.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


class Counter(Enum):
    ACCOUNT_AT_ADDRESS = "user-ip"
    ADDRESS = "ip"
    ACCOUNT = "user"


@dataclass(frozen=True)
class Limits:
    account_at_address: int
    address: int
    account: int

    @classmethod
    def from_base(cls, max_failures: int, account_max_failures: int) -> "Limits":
        # One address may try several accounts; it gets a few times the per-account budget.
        return cls(max_failures, max_failures * 4, account_max_failures)

    def of(self, counter: Counter) -> int:
        return {
            Counter.ACCOUNT_AT_ADDRESS: self.account_at_address,
            Counter.ADDRESS: self.address,
            Counter.ACCOUNT: self.account,
        }[counter]


NO_ADDRESS = "-"


def counter_keys(username: str, address: str | None) -> dict[Counter, str]:
    """The key of each counter an attempt to sign in as ``username`` from ``address`` counts in."""
    name = username.strip().lower()
    keys = {
        Counter.ACCOUNT_AT_ADDRESS: f"user-ip:{name}|{address or NO_ADDRESS}",
        Counter.ACCOUNT: f"user:{name}",
    }
    if address:
        keys[Counter.ADDRESS] = f"ip:{address}"
    return keys


def refused(failures: Mapping[Counter, int], limits: Limits, usual_address: bool) -> bool:
    """Whether an attempt is refused, given the failures each of its counters holds."""
    return any(
        count >= limits.of(counter)
        for counter, count in failures.items()
        if not (counter is Counter.ACCOUNT and usual_address)
    )
