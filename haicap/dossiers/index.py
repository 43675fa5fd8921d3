"""The digitisation group (MDSH) of the Decision 766 index: papers digitised at receipt, results
issued electronically signed, digitised papers reused (``core.service_index``; registered in
``apps.ready``).

domain.md section 3 lists these three as MDSH's indicators ("share digitised at receipt; share of
results issued electronically; share of digitised data reused") but no formula was published for
any of them: the ratios below, what each counts and over which period, are haicap's. Each counts
by the unit of the dossier's competent agency, as the other inputs and the figures do, in one
query for all the units.
"""

import datetime as dt

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from haicap.calendar.workdays import VIETNAM
from haicap.core.service_index import IndexInput, span
from haicap.dossiers.models import Dossier, DossierDigitisation
from haicap.dossiers.selectors import papers_to_digitise_in
from haicap.dossiers.services.moves import RESOLVED_OUTCOMES

Figures = dict[int | None, tuple[int, int]]
UNIT = "competent_agency__unit_id"

# Received on paper: at the desk or by post. Digitising is owed per paper received on paper
# (Decree 118/2025 Art. 17(1)(c)), so a paper an online applicant brings to the desk is digitised
# too (``services.digitising``); but which papers of an online dossier came on paper is known only
# once the desk digitised them (the online form does not tie uploads to the list), so counting
# online dossiers could only add ones already complete and would raise the share unearned. They
# stay out of the whole, as in ``selectors.digitisation_share``.
PAPER_CHANNELS = (Dossier.Channel.DESK, Dossier.Channel.POST)
# Every paper of the list digitised or reused: the dossier's counts row says so. A dossier with no
# counts row had nothing digitised (the row is made with its first paper): not digitised.
FULLY_DIGITISED = Q(digitisation__papers_digitised__gte=F("digitisation__papers_asked"))


def _by_unit(rows, key: str = UNIT) -> Figures:
    return {r[key]: (r["part"], r["whole"]) for r in rows if r["whole"]}


def digitised_at_receipt(units: tuple[int, ...] | None, first: dt.date, last: dt.date) -> Figures:
    """Of the dossiers received on paper from ``first`` to ``last`` whose procedure asks for at
    least one paper to digitise (Decree 118/2025 Art. 17(1)(c); Circular 01/2023/TT-VPCP Art. 8;
    papers only shown are not digitised, Circular 03/2025 Art. 5), how many have every such paper
    digitised or reused by now.

    One query, grouped by unit and by the procedure's list of papers: whether a list asks for a
    paper to digitise is read in Python (``selectors.papers_to_digitise_in``, the desk's own
    rule), as the list is JSON that neither database filters alike."""
    start, end = span(first, last, VIETNAM)
    received = Dossier.objects.filter(
        received_at__gte=start, received_at__lt=end, channel__in=PAPER_CHANNELS
    )
    if units is not None:
        received = received.filter(competent_agency__unit_id__in=units)
    group = ("procedure__documents",) if units is None else (UNIT, "procedure__documents")
    rows = (
        received.values(*group)
        .annotate(whole=Count("pk"), part=Count("pk", filter=FULLY_DIGITISED))
        .order_by()
    )
    found: dict[int | None, list[int]] = {}
    for row in rows:
        if not papers_to_digitise_in(row["procedure__documents"]):
            continue  # nothing to digitise: the dossier is not counted either way
        sums = found.setdefault(row[UNIT] if units is not None else None, [0, 0])
        sums[0] += row["part"]
        sums[1] += row["whole"]
    return {unit: (part, whole) for unit, (part, whole) in found.items()}


def electronic_results(units: tuple[int, ...] | None, first: dt.date, last: dt.date) -> Figures:
    """Of the dossiers whose result was issued from ``first`` to ``last`` (moved into the step
    where the result waits to be handed over, which stops the clock: ``finished_at``), how many
    have a signed electronic result (Decree 118/2025 Art. 22; signed on that move,
    ``services.results``).

    A refusal also stops the clock but issues no result to sign, and a withdrawal decides
    nothing: neither is counted. What is left is read from the decision's timeliness, which is
    set exactly for a result or a refusal (``services.moves``)."""
    start, end = span(first, last, VIETNAM)
    issued = (
        Dossier.objects.filter(finished_at__gte=start, finished_at__lt=end)
        .exclude(timeliness="")
        .exclude(outcome__in=RESOLVED_OUTCOMES)
    )
    counts = {
        "whole": Count("pk"),
        "part": Count("pk", filter=Q(signed_result__isnull=False)),
    }
    if units is None:
        found = issued.aggregate(**counts)
        return {None: (found["part"], found["whole"])} if found["whole"] else {}
    rows = (
        issued.filter(competent_agency__unit_id__in=units)
        .values(UNIT)
        .annotate(**counts)
        .order_by()
    )
    return _by_unit(rows)


def digitised_reused(units: tuple[int, ...] | None, first: dt.date, last: dt.date) -> Figures:
    """Of the papers digitised or taken from the applicant's store for the dossiers received
    from ``first`` to ``last``, how many were taken from the store (the reuse of Decree 118/2025
    Art. 17(1)(c) and Decree 45/2020 Art. 16 as amended by Decree 118 Art. 40). Read from the
    dossiers' counts rows, one query."""
    start, end = span(first, last, VIETNAM)
    tallies = DossierDigitisation.objects.filter(
        dossier__received_at__gte=start, dossier__received_at__lt=end
    )
    counts = {"whole": Sum("papers_digitised"), "part": Sum("papers_reused")}
    if units is None:
        found = tallies.aggregate(**counts)
        return {None: (found["part"], found["whole"])} if found["whole"] else {}
    key = f"dossier__{UNIT}"
    rows = (
        tallies.filter(dossier__competent_agency__unit_id__in=units)
        .values(key)
        .annotate(**counts)
        .order_by()
    )
    return _by_unit(rows, key)


DIGITISED_AT_RECEIPT = IndexInput(
    key="dossiers.digitised_at_receipt",
    group="MDSH",
    label=_("Dossiers digitised at receipt"),
    formula=_(
        "dossiers received on paper in the period with every paper of the procedure's list "
        "digitised or reused / dossiers received on paper in the period whose procedure asks "
        "for a paper to digitise (a dossier with nothing digitised counts as not digitised)"
    ),
    source=_(
        "Decree 118/2025/NĐ-CP Art. 17(1)(c) and Circular 01/2023/TT-VPCP: the desk digitises "
        "the paper dossier it receives; e-filed dossiers and papers only shown are exempt "
        "(Circular 03/2025/TT-VPCP Art. 5). Decision 766/QĐ-TTg names the indicator in the "
        "digitisation group but publishes no formula: this ratio is haicap's"
    ),
    compute=digitised_at_receipt,
)
ELECTRONIC_RESULTS = IndexInput(
    key="dossiers.electronic_results",
    group="MDSH",
    label=_("Results issued electronically signed"),
    formula=_(
        "dossiers whose result was issued in the period with a signed electronic result / "
        "dossiers whose result was issued in the period (refusals and withdrawals left out)"
    ),
    source=_(
        "Decree 118/2025/NĐ-CP Art. 22: the result as an electronic document signed by the "
        "competent agency. Decision 766/QĐ-TTg names the indicator in the digitisation group "
        "but publishes no formula: this ratio is haicap's"
    ),
    compute=electronic_results,
)
DIGITISED_REUSED = IndexInput(
    key="dossiers.digitised_reused",
    group="MDSH",
    label=_("Digitised papers reused"),
    formula=_(
        "papers taken from the applicant's store / papers digitised or taken from the store, "
        "for the dossiers received in the period"
    ),
    source=_(
        "Decree 118/2025/NĐ-CP Art. 17(1)(c) and Circular 01/2023/TT-VPCP: digitised copies "
        "are kept in the applicant's store and reused. Decision 766/QĐ-TTg names the indicator "
        "in the digitisation group but publishes no formula: this ratio is haicap's"
    ),
    compute=digitised_reused,
)
INPUTS = (DIGITISED_AT_RECEIPT, ELECTRONIC_RESULTS, DIGITISED_REUSED)
