"""Why a commune stands where it does in a field, in one plain sentence for people.

    Xã Bạch Hà cần 3 công chức đất đai cho khoảng 95 hồ sơ/tháng (định mức 1 người/40 hồ
    sơ/tháng) nhưng chỉ có 1; 12 hồ sơ đất đai đang quá hạn.

Each ``Reason`` of a ``Standing`` has its own sentence (whole sentences, never pieces glued
together, so that a translation may order its words freely); a commune short of officers also
hears how many of the field's dossiers are overdue. Officers seconded in or out are said with
where they came from or went and until when, so that a commune covered only thanks to a
secondment never reads like one covered by its own staff:

    Xã Đô Lương có đủ 2 công chức đất đai theo định mức, trong đó 1 người biệt phái đến từ xã
    Bích Hào đến 29/05/2027.
"""

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haicap.staffing.norms import Basis, Reason, Rule, Standing

WHOLE = Decimal(1)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Move:
    """An officer seconded into or out of a commune: the body at the other end ("xã Bích
    Hào", "Sở Y tế") and the secondment's last day."""

    other_end: str
    until: dt.date


@dataclass(frozen=True)
class Moves:
    """The officers seconded into a commune's cell (``into``) and out of it (``out``)."""

    into: tuple[Move, ...] = ()
    out: tuple[Move, ...] = ()


NO_MOVES = Moves()


def about(monthly: Decimal) -> str:
    """Dossiers a month as a sentence says them: whole from 10 on, else to a tenth ("2,5")."""
    if monthly >= 10:
        return number_format(monthly.quantize(WHOLE, ROUND_HALF_UP), 0)
    rounded = monthly.quantize(TENTH, ROUND_HALF_UP)
    return number_format(rounded, 0 if rounded == rounded.to_integral_value() else 1)


def in_sentence(field_name: str) -> str:
    """A field's name inside a sentence: "Đất đai" becomes "đất đai", "Y tế" "y tế"; a name
    that starts with an abbreviation ("CNTT") stays as it is."""
    first_word = field_name.split(" ", 1)[0]
    if len(first_word) > 1 and first_word.isupper():
        return field_name
    return field_name[:1].lower() + field_name[1:]


def why(
    place: str, field_name: str, standing: Standing, rule: Rule, moves: Moves = NO_MOVES
) -> str:
    """The sentence for ``standing``, the commune ``place`` ("xã Bạch Hà") in the field
    ``field_name`` under ``rule`` (the norm's rule, for what one officer handles), saying where
    the officers of ``moves`` were seconded from or to."""
    words = {
        "place": place,
        "field": in_sentence(field_name),
        "norm": standing.norm,
        "filled": standing.filled,
        "own": standing.own,
        "out": standing.seconded_out,
        "surplus": standing.surplus,
        "monthly": about(standing.dossiers_per_month),
        "per": rule.dossiers_per_officer_month,
    }
    reason = standing.reason
    if reason == Reason.COVERED:
        sentence = _with_moves(_covered(standing) % words, standing, moves)
        return capfirst(_("%(sentence)s.") % {"sentence": sentence})
    if reason == Reason.SURPLUS:
        sentence = ngettext(
            "%(place)s has %(filled)s officer in %(field)s, %(surplus)s more than the %(norm)s "
            "it needs",
            "%(place)s has %(filled)s officers in %(field)s, %(surplus)s more than the %(norm)s "
            "it needs",
            standing.filled,
        )
        sentence = _with_moves(sentence % words, standing, moves)
        return capfirst(_("%(sentence)s.") % {"sentence": sentence})
    if reason == Reason.SECONDED_OUT and standing.seconded_out and moves.out:
        ends, several = _ends(moves.out, towards_host=True)
        shortage = _seconded_out_to(standing, several) % (words | {"ends": ends})
        shortage = _with_moves(shortage, standing, Moves(into=moves.into))
    else:
        shortage = _with_moves(_shortage(standing, rule) % words, standing, moves)
    if standing.overdue_open:
        overdue = ngettext(
            "%(count)s dossier in %(field)s is overdue",
            "%(count)s dossiers in %(field)s are overdue",
            standing.overdue_open,
        ) % {"count": standing.overdue_open, "field": words["field"]}
        return capfirst(
            _("%(shortage)s; %(overdue)s.") % {"shortage": shortage, "overdue": overdue}
        )
    return capfirst(_("%(sentence)s.") % {"sentence": shortage})


def _ends(moves: tuple[Move, ...], towards_host: bool) -> tuple[str, bool]:
    """Where officers came from (or went to, ``towards_host``) and until when ("from xã Bích
    Hào until 29/05/2027"), and whether it lists several places or days, each with its count."""
    groups = Counter((m.other_end, m.until) for m in moves)
    several = len(groups) > 1
    phrases = []
    for (other_end, until), count in sorted(groups.items(), key=lambda g: (g[0][1], g[0][0])):
        values = {"place": other_end, "day": date_format(until, "SHORT_DATE_FORMAT")}
        if towards_host:
            phrase = _("to %(place)s until %(day)s") % values
        else:
            phrase = _("from %(place)s until %(day)s") % values
        if several:
            phrase = ngettext("%(count)s %(moves)s", "%(count)s %(moves)s", count) % {
                "count": count,
                "moves": phrase,
            }
        phrases.append(phrase)
    return str(get_text_list(phrases, _("and"))), several


def _with_moves(sentence: str, standing: Standing, moves: Moves) -> str:
    """``sentence`` and, after it, the officers seconded in (counted in the figures) and those
    of the commune's own seconded out (not counted), with where and until when."""
    if standing.seconded_in and moves.into:
        ends, several = _ends(moves.into, towards_host=False)
        count = len(moves.into)
        if several:
            into = ngettext(
                "%(count)s of them seconded in: %(ends)s",
                "%(count)s of them seconded in: %(ends)s",
                count,
            )
        else:
            into = ngettext(
                "%(count)s of them seconded in %(ends)s",
                "%(count)s of them seconded in %(ends)s",
                count,
            )
        into %= {"count": count, "ends": ends}
        sentence = _("%(sentence)s, %(moves)s") % {"sentence": sentence, "moves": into}
    if standing.seconded_out and moves.out:
        ends, several = _ends(moves.out, towards_host=True)
        count = len(moves.out)
        if several:
            out = ngettext(
                "not counting %(count)s of its own seconded out: %(ends)s",
                "not counting %(count)s of its own seconded out: %(ends)s",
                count,
            )
        else:
            out = ngettext(
                "not counting %(count)s of its own seconded %(ends)s",
                "not counting %(count)s of its own seconded %(ends)s",
                count,
            )
        out %= {"count": count, "ends": ends}
        sentence = _("%(sentence)s, %(moves)s") % {"sentence": sentence, "moves": out}
    return sentence


def _seconded_out_to(standing: Standing, several: bool) -> str:
    """The sentence (with its placeholders, ``ends`` among them: where they went, until when;
    ``several`` places or days) for a commune short only because of its own officers seconded
    out."""
    if several:
        return ngettext(
            "%(place)s would have enough officers in %(field)s (%(norm)s needed), but %(out)s "
            "of its own is seconded out (%(ends)s), leaving %(filled)s",
            "%(place)s would have enough officers in %(field)s (%(norm)s needed), but %(out)s "
            "of its own are seconded out (%(ends)s), leaving %(filled)s",
            standing.seconded_out,
        )
    return ngettext(
        "%(place)s would have enough officers in %(field)s (%(norm)s needed), but %(out)s of "
        "its own is seconded %(ends)s, leaving %(filled)s",
        "%(place)s would have enough officers in %(field)s (%(norm)s needed), but %(out)s of "
        "its own are seconded %(ends)s, leaving %(filled)s",
        standing.seconded_out,
    )


def _covered(standing: Standing) -> str:
    if standing.norm == 0:
        return _("%(place)s needs no officer in %(field)s")
    return ngettext(
        "%(place)s has the %(norm)s officer in %(field)s it needs",
        "%(place)s has the %(norm)s officers in %(field)s it needs",
        standing.norm,
    )


def _by_minimum(standing: Standing, rule: Rule) -> bool:
    """Whether the province's minimum, not the workload, sets a workload norm."""
    needed = math.ceil(standing.dossiers_per_month / rule.dossiers_per_officer_month)
    return standing.norm > needed


def _shortage(standing: Standing, rule: Rule) -> str:
    """The sentence (with its placeholders) for a commune short of officers."""
    norm, reason = standing.norm, standing.reason
    if reason == Reason.SECONDED_OUT:
        return ngettext(
            "%(place)s would have enough officers in %(field)s (%(norm)s needed), but %(out)s "
            "of its own is seconded elsewhere, leaving %(filled)s",
            "%(place)s would have enough officers in %(field)s (%(norm)s needed), but %(out)s "
            "of its own are seconded elsewhere, leaving %(filled)s",
            standing.seconded_out,
        )
    none = reason == Reason.NO_OFFICER
    if standing.basis == Basis.FIXED:
        if none:
            return ngettext(
                "%(place)s needs %(norm)s officer in %(field)s (the province's fixed norm) but "
                "has none",
                "%(place)s needs %(norm)s officers in %(field)s (the province's fixed norm) but "
                "has none",
                norm,
            )
        return ngettext(
            "%(place)s needs %(norm)s officer in %(field)s (the province's fixed norm) but has "
            "only %(filled)s",
            "%(place)s needs %(norm)s officers in %(field)s (the province's fixed norm) but has "
            "only %(filled)s",
            norm,
        )
    if _by_minimum(standing, rule):
        if none:
            return ngettext(
                "%(place)s needs at least %(norm)s officer in %(field)s (the province's minimum; "
                "about %(monthly)s dossiers a month) but has none",
                "%(place)s needs at least %(norm)s officers in %(field)s (the province's minimum; "
                "about %(monthly)s dossiers a month) but has none",
                norm,
            )
        return ngettext(
            "%(place)s needs at least %(norm)s officer in %(field)s (the province's minimum; "
            "about %(monthly)s dossiers a month) but has only %(filled)s",
            "%(place)s needs at least %(norm)s officers in %(field)s (the province's minimum; "
            "about %(monthly)s dossiers a month) but has only %(filled)s",
            norm,
        )
    if none:
        return ngettext(
            "%(place)s needs %(norm)s officer in %(field)s for about %(monthly)s dossiers a month "
            "(norm: 1 officer per %(per)s dossiers a month) but has none",
            "%(place)s needs %(norm)s officers in %(field)s for about %(monthly)s dossiers a "
            "month (norm: 1 officer per %(per)s dossiers a month) but has none",
            norm,
        )
    return ngettext(
        "%(place)s needs %(norm)s officer in %(field)s for about %(monthly)s dossiers a month "
        "(norm: 1 officer per %(per)s dossiers a month) but has only %(filled)s",
        "%(place)s needs %(norm)s officers in %(field)s for about %(monthly)s dossiers a month "
        "(norm: 1 officer per %(per)s dossiers a month) but has only %(filled)s",
        norm,
    )
