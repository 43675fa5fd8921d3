"""The sections of a briefing pack, registered by the apps that fill them (pure).

Before a working group visits communes, haicap prepares a pack: for each commune, tables of
what the group should know. Each section comes from the app that holds its data (indicators,
directives; later staffing, assets, capital plans, commune reports), registered once from its
``AppConfig.ready()``. The pack reads this registry and never imports the apps one by one, so a
later app adds its section without editing the reader.

A section builds its tables for all the communes of a visit at once, from a fixed number of
queries (never one per commune or per row); the tables are plain data that the page, the PDF
and the Excel file all render.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal


class Hundredths(Decimal):
    """A figure a section gives to the hundredth (the capital's shares: 52,98), printed with its
    two decimals in the page, the PDF and the sheet alike; the pack's other fractions are
    rounded to one."""

    __slots__ = ()


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Period:
    """The days the figures cover, both included."""

    start: dt.date
    end: dt.date


# (who reads the pack, the communes' unit ids, the period): each commune's tables, by unit id.
# A commune with nothing to show may be left out.
Build = Callable[[object, tuple[int, ...], Period], Mapping[int, Sequence[Table]]]


@dataclass(frozen=True)
class PackSection:
    key: str
    title: str  # shown to people (the registering app gives it translated)
    order: int  # smaller first
    build: Build


class SectionRegistry:
    def __init__(self) -> None:
        self._sections: dict[str, PackSection] = {}

    def __repr__(self) -> str:
        return f"<SectionRegistry: {', '.join(self._sections) or 'empty'}>"

    def register(self, section: PackSection) -> PackSection:
        """Register ``section`` (once, however often); another section under its key is refused."""
        have = self._sections.get(section.key)
        if have is not None and have != section:
            raise ValueError(f"another pack section is registered as {section.key!r}")
        self._sections[section.key] = section
        return section

    def forget(self, section: PackSection) -> None:
        """Unregister ``section`` (a test's own, once it has seen what it needed)."""
        if self._sections.get(section.key) == section:
            del self._sections[section.key]

    def sections(self) -> tuple[PackSection, ...]:
        """The sections in the pack's order."""
        return tuple(sorted(self._sections.values(), key=lambda s: (s.order, s.key)))


pack_sections = SectionRegistry()
