"""How many officers of a field a commune needs, and how far it is from that (pure: no Django).

The province sets the rule as data (``NormRule`` rows): either a fixed number of officers per
field, or a number derived from the workload, the dossiers a month in the field divided by what
one officer handles a month, rounded up, never below a minimum. A commune's standing in a field
is that norm against the officers it has (its own, those seconded in, less those seconded
out); the gap is what it lacks, and ``why_short`` says in words-to-be what makes it short.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Basis(StrEnum):
    FIXED = "fixed"
    WORKLOAD = "workload"


@dataclass(frozen=True)
class Rule:
    basis: Basis
    count: int = 0  # FIXED: officers needed
    dossiers_per_officer_month: int = 0  # WORKLOAD: what one officer handles in a month
    minimum: int = 0  # WORKLOAD: never fewer, however little work there is

    def __post_init__(self) -> None:
        if self.basis == Basis.WORKLOAD and self.dossiers_per_officer_month <= 0:
            raise ValueError("a workload rule needs what one officer handles a month (> 0)")
        if min(self.count, self.minimum) < 0:
            raise ValueError("a norm counts officers: 0 or more")


def norm_of(rule: Rule, dossiers_per_month: Decimal) -> int:
    """The officers ``rule`` asks for, given the field's dossiers a month."""
    if rule.basis == Basis.FIXED:
        return rule.count
    needed = math.ceil(dossiers_per_month / rule.dossiers_per_officer_month)
    return max(rule.minimum, needed)


def per_month(received: int, days: int) -> Decimal:
    """Dossiers a month (30 days), from ``received`` in ``days`` days, to one decimal place."""
    if days <= 0:
        raise ValueError("a period has at least one day")
    return (Decimal(received) * 30 / days).quantize(Decimal("0.1"))


class Reason(StrEnum):
    """Why a commune stands where it does in a field; the shell words it."""

    NO_OFFICER = "no_officer"  # needs some, has none
    WORKLOAD = "workload"  # the workload asks for more than it has
    FIXED = "fixed"  # the province's fixed norm asks for more than it has
    SECONDED_OUT = "seconded_out"  # it would be covered but for officers seconded out
    COVERED = "covered"  # has what it needs
    SURPLUS = "surplus"  # has more than it needs


@dataclass(frozen=True)
class Standing:
    norm: int
    own: int  # officers in the commune's own posts in the field
    seconded_in: int
    seconded_out: int
    basis: Basis
    dossiers_per_month: Decimal = Decimal(0)
    overdue_open: int = 0

    @property
    def filled(self) -> int:
        return self.own + self.seconded_in - self.seconded_out

    @property
    def gap(self) -> int:
        """Officers lacking (0 when covered)."""
        return max(0, self.norm - self.filled)

    @property
    def surplus(self) -> int:
        return max(0, self.filled - self.norm)

    @property
    def reason(self) -> Reason:
        if self.gap == 0:
            return Reason.SURPLUS if self.surplus else Reason.COVERED
        if self.own + self.seconded_in >= self.norm:
            # checked before "no officer": a commune whose own officers are all seconded out
            # has none, but what makes it short is the secondment
            return Reason.SECONDED_OUT
        if self.filled <= 0:
            return Reason.NO_OFFICER
        return Reason.WORKLOAD if self.basis == Basis.WORKLOAD else Reason.FIXED
