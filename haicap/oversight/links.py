"""Links from a finding to haicap's own records (pure: no Django).

A finding's evidence may be a page of haicap itself, such as the desk's dossier list with its
filters ("/desk/dossiers/?unit=17662&overdue=1"). Only such relative addresses are kept: never
another site, never a scheme (``javascript:``), never a protocol-relative ``//host``. The shell
also checks that the path is one of haicap's pages.
"""

import datetime as dt
from urllib.parse import urlencode, urlsplit

from haicap.core.characters import first_unacceptable

MAX_LENGTH = 500
DOSSIER_LIST = "/desk/ho-so/"


class NotALink(ValueError):
    """``reason`` lets the shell word the refusal in the reader's language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def relative_link(text: str) -> str:
    """``text`` as a link within haicap (its path, query and fragment); refuses anything else."""
    link = text.strip()
    if not link:
        raise NotALink("empty")
    if len(link) > MAX_LENGTH:
        raise NotALink("too_long")
    if first_unacceptable(link, multiline=False) or any(c.isspace() for c in link):
        raise NotALink("not_relative")
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        raise NotALink("not_relative")
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        raise NotALink("not_relative")
    return link


def path_of(link: str) -> str:
    """The path of a link ``relative_link`` accepted, without its query and fragment."""
    return urlsplit(link).path


def dossier_list_link(
    filters: dict[str, str], received: tuple[dt.date, dt.date] | None = None
) -> str:
    """The desk's dossier list with ``filters``; with ``received`` (the inspection's period,
    first and last day), only the dossiers received in it, so the list holds what the finding's
    figures counted rather than every dossier of all time. The list's own filters
    ``received_from``/``received_to`` take ISO dates, the last day included. A link longer than a
    finding may keep (many filters of non-Latin text, each character percent-encoded) is refused
    here as it would be when saved, rather than built and then turned away."""
    query = dict(filters)
    if received is not None:
        start, end = received
        query |= {"received_from": start.isoformat(), "received_to": end.isoformat()}
    return relative_link(f"{DOSSIER_LIST}?{urlencode(query)}" if query else DOSSIER_LIST)
