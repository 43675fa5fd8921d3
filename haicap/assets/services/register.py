"""Writes of the register of public assets: entering an asset, correcting it, moving it (a
transfer by decision, or its disposal), declaring it surplus, and importing the register.

The identifier never changes: given once when the asset is entered and never again, not even to
another asset. An import may bring the identifier the province already numbers an asset with
(any letters, digits and ``. - / _``); otherwise haicap gives the next of the province's own,
``TS.<province code>.<running number>`` (``TS.40.000123``): one more than the largest it holds.
An asset cannot be deleted once entered (its first movement, kept for ever, protects it), so a
number is never given twice. Two registrations at once may reach for the same number: the
register's unique identifier lets one win and the other takes the next (on PostgreSQL the loser
waits for the winner's commit and retries; SQLite runs writers one at a time).

Where an asset is, and who holds it, change only by a movement (``record_movement``), which is
appended to its history and never edits an earlier one; its origin never changes. Corrections
(``update_asset``) change the rest: Finance all of it, an agency's administrator or leader the
condition of what the agency holds (``haicap.assets.permissions``). Every write is audited in
its transaction; ``actor`` None is the set-up (a command, the demo loader).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.db.models.functions import Length
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.assets import asset_sheet, permissions
from haicap.assets.asset_sheet import AssetRow, AssetWorkbook, Problem, UnitName
from haicap.assets.models import Asset, AssetKind, Category, Condition, Disposal, Movement
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, NotFound
from haicap.core.models import AuditRecord
from haicap.core.scoping import scope_of
from haicap.core.text import search_key
from haicap.core.validators import check_text
from haicap.dossiers.services.retries import earlier_request, request_digest
from haicap.units.kinds import UNIT_KIND_PREFIX, Tier
from haicap.units.models import AdministrativeUnit, Agency, UnitLineage

REGISTERED = "asset.registered"
MOVED = "movement.recorded"
IDENTIFIER_ATTEMPTS = 5


def today() -> dt.date:
    return timezone.localdate(clock.now())


# --- who may ----------------------------------------------------------------------------------


def require_arranger(actor: User | None) -> None:
    """Finance (and system administrators) keep the register; ``None`` is the set-up."""
    if actor is not None:
        permissions.require(permissions.arranges_assets(actor))


def _require_holder_editor(actor: User | None, asset: Asset) -> None:
    """Finance, or an administrator or leader of the body holding ``asset``."""
    if actor is None or permissions.arranges_assets(actor):
        return
    permissions.require(
        not scope_of(actor).read_only
        and asset.holder is not None
        and permissions.edits_agency_assets(actor, asset.holder)
    )


# --- what an asset is -------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetDetails:
    """What may be corrected of an asset: everything but its identifier, holder and origin."""

    kind: AssetKind
    name: str
    original_value: int
    remaining_value: int
    acquired_year: int
    condition: str
    address: str = ""
    area_m2: Decimal | None = None


EDITABLE = tuple(f.name for f in fields(AssetDetails))


def details_of(asset: Asset) -> AssetDetails:
    return AssetDetails(**{name: getattr(asset, name) for name in EDITABLE})


def asset_problems(details: AssetDetails, on: dt.date | None = None) -> dict[str, str]:
    """Each field of ``details`` that is wrong, with what is wrong, in the active language (the
    sheet's rules, ``asset_sheet``, said for a form or the API)."""
    found: dict[str, str] = {}
    for name in ("name", "address"):
        value = getattr(details, name)
        try:
            check_text(name, value)
        except InvalidInput as error:
            found[name] = error.detail
            continue
        limit = asset_sheet.MAX_LENGTHS[name]
        if len(value) > limit:
            found[name] = _("Write at most %(max)d characters.") % {"max": limit}
    if not details.name.strip():
        found["name"] = _("This field is required.")
    for name, (message, params) in asset_sheet.value_problems(
        details.original_value, details.remaining_value
    ).items():
        found[name] = capfirst(_(message) % params)
    year = asset_sheet.year_problem(details.acquired_year, (on or today()).year)
    if year is not None:
        message, params = year
        found["acquired_year"] = capfirst(_(message) % params)
    if details.condition not in Condition.values:
        found["condition"] = capfirst(_(asset_sheet.UNKNOWN_CONDITION))
    if details.area_m2 is not None:
        if asset_sheet.area_problem(details.area_m2):
            found["area_m2"] = capfirst(_(asset_sheet.NOT_AREA))
        elif details.kind.category != Category.LAND_BUILDING:
            found["area_m2"] = capfirst(_(AREA_NOT_FOR_KIND))
    return found


AREA_NOT_FOR_KIND = "only land and buildings have an area"


def _check(details: AssetDetails) -> None:
    problems = asset_problems(details)
    if problems:
        raise InvalidInput(" ".join(problems.values()))


def _write(asset: Asset, details: AssetDetails) -> None:
    asset.kind = details.kind
    asset.name = " ".join(details.name.split())
    asset.original_value = details.original_value
    asset.remaining_value = details.remaining_value
    asset.acquired_year = details.acquired_year
    asset.condition = details.condition
    asset.address = " ".join(details.address.split())
    asset.area_m2 = details.area_m2


def origin_label(unit: AdministrativeUnit | None) -> str:
    """A former unit as the sheet names it: with its former district when the registry knows it
    ("xã Nam Sơn (huyện Đô Lương)"), which the import reads back."""
    if unit is None:
        return ""
    parent = unit.parent
    if parent is not None and parent.tier == Tier.DISTRICT and unit.tier != Tier.DISTRICT:
        return f"{unit.full_name} ({parent.full_name})"
    return unit.full_name


# --- the identifier ---------------------------------------------------------------------------


def province_code() -> str:
    province = AdministrativeUnit.objects.filter(tier=Tier.PROVINCE, valid_to=None).first()
    return (province.code if province else None) or "00"


def next_identifier(code: str | None = None) -> str:
    """The next identifier of the province's running numbers: one more than the largest given
    (or imported in their form)."""
    code = code or province_code()
    prefix = f"{asset_sheet.GIVEN_PREFIX}.{code}."
    largest = (
        Asset.objects.filter(identifier__startswith=prefix, identifier__regex=r"\.[0-9]+$")
        .annotate(length=Length("identifier"))
        .order_by("-length", "-identifier")
        .values_list("identifier", flat=True)
    )
    number = 0
    for identifier in largest[:20]:  # the longest first; a stray non-number one is passed over
        found = asset_sheet.given_number(identifier, code)
        if found is not None:
            number = found
            break
    return asset_sheet.given_identifier(code, number + 1)


def _insert(asset: Asset) -> None:
    """Save a new asset; with no identifier, the next of the province's, retried if another
    registration took it meanwhile."""
    if asset.identifier:
        asset.save(force_insert=True)
        return
    code = province_code()
    for _attempt in range(IDENTIFIER_ATTEMPTS):
        asset.identifier = next_identifier(code)
        try:
            with transaction.atomic():
                asset.save(force_insert=True)
            return
        except IntegrityError:
            asset.pk = None
            if not Asset.objects.filter(identifier=asset.identifier).exists():
                raise  # another rule refused the row, not the identifier
    raise Conflict(_("No identifier could be given to the asset; try again."))


# --- entering an asset ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAsset:
    """An asset to enter: what it is, who holds it, where it came from, and the identifier the
    province numbers it with ("" for the next of haicap's)."""

    details: AssetDetails
    holder: Agency
    origin: AdministrativeUnit | None = None
    identifier: str = ""


def _check_holder(agency: Agency) -> None:
    if agency.unit.valid_to is not None:
        raise InvalidInput(
            _("%(agency)s belongs to a unit that no longer exists.") % {"agency": agency.name}
        )


def _check_origin(unit: AdministrativeUnit | None) -> None:
    if unit is not None and unit.valid_to is None:
        raise InvalidInput(
            _(
                "%(unit)s still exists: the origin is the former unit that held the asset "
                "before 1 July 2025."
            )
            % {"unit": unit.full_name}
        )


def _digest(kind: str, request: dict) -> str:
    def plain(value: object) -> object:
        if isinstance(value, Model):
            return value.pk
        return value if value is None or isinstance(value, int) else str(value)

    return request_digest(kind=kind, request={k: plain(v) for k, v in request.items()})


def _new_asset_request(new: NewAsset) -> dict:
    return {
        **{name: getattr(new.details, name) for name in EDITABLE},
        "holder": new.holder,
        "origin": new.origin,
        "identifier": new.identifier,
    }


def _earlier(action: str, actor: User, key: str, digest: str) -> AuditRecord | None:
    """The audit record of what an earlier request with ``key`` made (it keeps the key)."""
    return earlier_request(action, actor.pk, key, digest)


def register_asset(
    actor: User | None,
    new: NewAsset,
    *,
    on: dt.date | None = None,
    idempotency_key: str = "",
) -> Asset:
    """Enter an asset in the register (once per ``idempotency_key`` of ``actor``), with its
    first movement: entered, to its holder, ``on`` that day (today)."""
    require_arranger(actor)
    key = idempotency_key.strip() if actor is not None else ""
    if key:
        check_text("idempotency_key", key)
    _check(new.details)
    _check_holder(new.holder)
    _check_origin(new.origin)
    if on is not None and on > today():
        raise InvalidInput(
            _("A move is recorded once it is made: the day cannot be in the future.")
        )
    identifier = asset_sheet.clean_identifier(new.identifier)
    if identifier and (problem := asset_sheet.identifier_problem(identifier)):
        raise InvalidInput(capfirst(_(problem) % {"max": asset_sheet.MAX_LENGTHS["identifier"]}))
    digest = _digest("asset", _new_asset_request(new)) if key else ""
    with transaction.atomic():
        if key:
            # Retries with one key lock the same holder, so the second finds the first's record.
            Agency.objects.select_for_update().filter(pk=new.holder.pk).first()
            earlier = _earlier(REGISTERED, actor, key, digest)
            if earlier is not None:
                return Asset.objects.get(pk=int(earlier.object_id))
        if identifier and Asset.objects.filter(identifier=identifier).exists():
            raise Conflict(
                _("An asset with the identifier %(identifier)s is already registered.")
                % {"identifier": identifier}
            )
        extra = {"idempotency_key": key, "request_digest": digest} if key else {}
        try:
            with transaction.atomic():
                return _enter(actor, new, identifier, on or today(), extra)
        except IntegrityError:
            if identifier and Asset.objects.filter(identifier=identifier).exists():
                raise Conflict(
                    _("An asset with the identifier %(identifier)s is already registered.")
                    % {"identifier": identifier}
                ) from None
            raise


def _enter(actor: User | None, new: NewAsset, identifier: str, on: dt.date, extra: dict) -> Asset:
    asset = Asset(identifier=identifier, holder=new.holder, origin=new.origin)
    _write(asset, new.details)
    _insert(asset)
    movement = Movement.objects.create(
        asset=asset,
        kind=Movement.Kind.REGISTERED,
        to_agency=new.holder,
        on=on,
        recorded_by=actor,
    )
    record_change(REGISTERED, asset, actor=actor, after={**snapshot(asset), **extra})
    record_change(MOVED, movement, actor=actor, after=snapshot(movement))
    return asset


# --- correcting it ----------------------------------------------------------------------------


def _locked(asset: Asset) -> Asset:
    locked = (
        Asset.objects.select_for_update(of=("self",))
        .select_related("holder__unit", "kind")
        .filter(pk=asset.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("No such asset."))
    return locked


def _refuse_if_disposed(asset: Asset) -> None:
    if asset.status == Asset.Status.DISPOSED:
        raise Conflict(
            _("%(identifier)s was disposed of: its record stays as it was.")
            % {"identifier": asset.identifier}
        )


def _audit_change(action: str, asset: Asset, before: dict, actor: User | None) -> None:
    after = snapshot(asset)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        record_change(
            action, asset, actor=actor, before={k: before.get(k) for k in changed}, after=changed
        )


def update_asset(actor: User | None, asset: Asset, details: AssetDetails) -> Asset:
    """Correct what ``asset`` is (never its identifier, holder or origin: those change by
    movements). Finance corrects it all; the holder's administrator or leader its condition."""
    with transaction.atomic():
        asset = _locked(asset)
        _require_holder_editor(actor, asset)
        _refuse_if_disposed(asset)
        # Only Finance corrects more than the condition.
        only_condition = replace(details_of(asset), condition=details.condition) == details
        if actor is not None and not permissions.arranges_assets(actor) and not only_condition:
            permissions.require(False)
        _check(details)
        before = snapshot(asset)
        _write(asset, details)
        asset.save()
        _audit_change("asset.updated", asset, before, actor)
    return asset


def _set_status(actor: User | None, asset: Asset, status: str) -> Asset:
    with transaction.atomic():
        asset = _locked(asset)
        _require_holder_editor(actor, asset)
        _refuse_if_disposed(asset)
        if asset.status != status:
            before = snapshot(asset)
            asset.status = status
            asset.save(update_fields=["status"])
            _audit_change("asset.status_changed", asset, before, actor)
    return asset


def mark_surplus(actor: User | None, asset: Asset) -> Asset:
    """Declare the asset surplus ("dôi dư"): its holder no longer needs it, and it waits to be
    arranged (moved, or disposed of). Finance, or the holder's administrator or leader."""
    return _set_status(actor, asset, Asset.Status.SURPLUS)


def back_in_use(actor: User | None, asset: Asset) -> Asset:
    """The surplus asset is in use again where it is."""
    return _set_status(actor, asset, Asset.Status.IN_USE)


# --- moving it --------------------------------------------------------------------------------

# The kinds of move a spec may make: entering is ``register_asset``'s.
MOVES = (
    Movement.Kind.TRANSFERRED,
    Movement.Kind.ALLOCATED,
    Movement.Kind.TAKEN_OVER,
    Movement.Kind.DISPOSED,
)


@dataclass(frozen=True)
class MovementSpec:
    """A move: to an agency (a transfer, an allocation, a take-over), or out of the register by
    a way of disposing of it (``disposal``: a ``Disposal`` value), on a day, by a decision."""

    on: dt.date
    decision: str = ""
    to_agency: Agency | None = None
    disposal: str = ""
    note: str = ""
    kind: str = ""  # "" is a transfer, or a disposal when ``disposal`` is given

    @property
    def move(self) -> str:
        if self.kind:
            return self.kind
        return Movement.Kind.DISPOSED if self.disposal else Movement.Kind.TRANSFERRED


def movement_problems(asset: Asset, spec: MovementSpec, last_on: dt.date | None) -> dict[str, str]:
    """Each field of ``spec`` that is wrong for moving ``asset``, in the active language."""
    found: dict[str, str] = {}
    move = spec.move
    for name in ("decision", "note"):
        try:
            check_text(name, getattr(spec, name))
        except InvalidInput as error:
            found[name] = error.detail
    if len(spec.decision) > 120:
        found["decision"] = _("Write at most %(max)d characters.") % {"max": 120}
    if move not in MOVES:
        found["kind"] = _("An asset is entered in the register only once.")
    elif move == Movement.Kind.DISPOSED:
        if spec.disposal not in Disposal.values:
            found["disposal"] = _("Choose how the asset is disposed of.")
        if spec.to_agency is not None:
            found["to_agency"] = _("An asset disposed of goes to no agency.")
    else:
        if spec.disposal:
            found["disposal"] = _("Only a disposal has a way of disposing.")
        if spec.to_agency is None:
            found["to_agency"] = _("Choose the agency the asset goes to.")
        elif spec.to_agency.pk == asset.holder_id:
            found["to_agency"] = _("%(agency)s already holds the asset.") % {
                "agency": spec.to_agency.name
            }
        elif spec.to_agency.unit.valid_to is not None:
            found["to_agency"] = _("%(agency)s belongs to a unit that no longer exists.") % {
                "agency": spec.to_agency.name
            }
    if move in (Movement.Kind.TRANSFERRED, Movement.Kind.DISPOSED) and not spec.decision.strip():
        found["decision"] = _("Give the decision that orders it.")
    if spec.on > today():
        found["on"] = _("A move is recorded once it is made: the day cannot be in the future.")
    elif last_on is not None and spec.on < last_on:
        found["on"] = _(
            "The asset's last move was on %(day)s: a later move cannot be dated before it."
        ) % {"day": last_on.strftime("%d/%m/%Y")}
    return found


def last_moved_on(asset: Asset) -> dt.date | None:
    """The day of the asset's last move, which a new one may not precede. Its entry in the
    register does not count: an asset taken over on 1 July 2025 may be entered months later,
    and its take-over recorded after that."""
    moves = asset.movements.exclude(kind=Movement.Kind.REGISTERED)
    return moves.order_by("-on", "-pk").values_list("on", flat=True).first()


def _disposal_note(spec: MovementSpec) -> str:
    """How it was disposed of, in the register's language (Vietnamese, as its records are), then
    the note."""
    with translation.override("vi"):
        method = str(Disposal(spec.disposal).label)
    note = " ".join(spec.note.split())
    return f"{method}: {note}" if note else method


def _movement_request(asset: Asset, spec: MovementSpec) -> dict:
    return {
        "asset": asset,
        "on": spec.on,
        "decision": spec.decision,
        "to_agency": spec.to_agency,
        "disposal": spec.disposal,
        "note": spec.note,
        "kind": spec.move,
    }


def record_movement(
    actor: User | None, asset: Asset, spec: MovementSpec, *, idempotency_key: str = ""
) -> Movement:
    """Append a move to the asset's history (once per ``idempotency_key`` of ``actor``): its
    holder becomes the agency it goes to, or, disposed of, it leaves the register's holders.
    A disposed asset moves no more; an asset does not move to its holder. Finance records
    moves."""
    require_arranger(actor)
    key = idempotency_key.strip() if actor is not None else ""
    if key:
        check_text("idempotency_key", key)
    digest = _digest("movement", _movement_request(asset, spec)) if key else ""
    with transaction.atomic():
        asset = _locked(asset)
        if key:
            earlier = _earlier(MOVED, actor, key, digest)
            if earlier is not None:
                return Movement.objects.get(pk=int(earlier.object_id))
        _refuse_if_disposed(asset)
        problems = movement_problems(asset, spec, last_moved_on(asset))
        if problems:
            raise InvalidInput(" ".join(problems.values()))
        move = spec.move
        disposed = move == Movement.Kind.DISPOSED
        movement = Movement.objects.create(
            asset=asset,
            kind=move,
            from_agency=asset.holder,
            to_agency=None if disposed else spec.to_agency,
            on=spec.on,
            decision=" ".join(spec.decision.split()),
            note=_disposal_note(spec) if disposed else " ".join(spec.note.split()),
            recorded_by=actor,
        )
        extra = {"idempotency_key": key, "request_digest": digest} if key else {}
        if disposed:
            extra["disposal"] = spec.disposal
        record_change(MOVED, movement, actor=actor, after={**snapshot(movement), **extra})
        before = snapshot(asset)
        asset.holder = None if disposed else spec.to_agency
        asset.status = Asset.Status.DISPOSED if disposed else Asset.Status.IN_USE
        asset.save(update_fields=["holder", "status"])
        _audit_change("asset.moved", asset, before, actor)
    return movement


# --- importing --------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: the assets entered (their identifiers, in the sheet's order), those
    corrected, and those already so."""

    registered: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    titles: tuple[str, ...] = ()


class AssetImportRefused(InvalidInput):
    """The rows the records refuse, each with its place (``found``); the import's shell says
    them in the reader's language."""

    def __init__(self, found: Sequence[Problem]) -> None:
        self.found = list(found)
        super().__init__("; ".join(str(p) for p in self.found))


UNKNOWN_KIND = "no kind of asset has the code %(code)s (see the sheet Loại tài sản)"
UNKNOWN_AGENCY = "no agency has the code %(code)s"
FORMER_AGENCY = "%(code)s belongs to a unit that no longer exists"
UNKNOWN_ORIGIN = "no former unit is called %(name)s"
UNKNOWN_ORIGIN_CODE = "no former unit has the code %(code)s"
CURRENT_ORIGIN = (
    "%(name)s still exists: the origin is the former unit that held the asset before 1 July 2025"
)
AMBIGUOUS_ORIGIN = (
    "%(count)d former units are called %(name)s: write its kind (xã, huyện…) and, where names "
    "repeat, its former district or the commune it became part of in brackets, e.g. %(example)s"
)
DISPOSED_ROW = "%(identifier)s was disposed of: its record stays as it was"
HOLDER_DIFFERS = (
    "%(identifier)s is held by %(holder)s: an asset moves by a recorded movement, not by an import"
)
ORIGIN_DIFFERS = "%(identifier)s came from %(origin)s: its origin does not change"


class FormerUnits:
    """The former units, read once, found by how a sheet names them (``UnitName``)."""

    def __init__(self) -> None:
        units = list(AdministrativeUnit.objects.exclude(valid_to=None).select_related("parent"))
        self.by_code = {u.code: u for u in units if u.code}
        self.by_name: dict[str, list[AdministrativeUnit]] = defaultdict(list)
        for unit in sorted(units, key=lambda u: u.pk):
            self.by_name[search_key(unit.name)].append(unit)
        self.successors: dict[int, list[AdministrativeUnit]] = defaultdict(list)
        for link in UnitLineage.objects.filter(predecessor__valid_to__isnull=False).select_related(
            "successor"
        ):
            self.successors[link.predecessor_id].append(link.successor)
        self.current_names = set(
            AdministrativeUnit.objects.filter(valid_to=None).values_list("search_name", flat=True)
        )

    @staticmethod
    def _is(unit: AdministrativeUnit, word: str, name: str) -> bool:
        if search_key(unit.name) != search_key(name):
            return False
        return not word or search_key(UNIT_KIND_PREFIX[unit.kind]) == search_key(word)

    def _within(self, unit: AdministrativeUnit, wanted: UnitName) -> bool:
        parent = unit.parent
        if (
            parent is not None
            and parent.tier == Tier.DISTRICT
            and self._is(parent, wanted.within_word, wanted.within)
        ):
            return True
        return any(self._is(s, wanted.within_word, wanted.within) for s in self.successors[unit.pk])

    def _matches(self, wanted: UnitName) -> list[AdministrativeUnit]:
        named = self.by_name[search_key(wanted.name)]
        found = [u for u in named if self._is(u, wanted.word, wanted.name)]
        if wanted.within:
            found = [u for u in found if self._within(u, wanted)]
        # A former unit split between new communes is in the registry once per successor.
        return list({(u.kind, u.name, u.parent_id): u for u in reversed(found)}.values())[::-1]

    def find(self, wanted: UnitName) -> tuple[AdministrativeUnit | None, str, dict]:
        """The former unit ``wanted`` names, or None with what is wrong and its parameters."""
        if wanted.code:
            unit = self.by_code.get(wanted.code)
            return (unit, "", {}) if unit else (None, UNKNOWN_ORIGIN_CODE, {"code": wanted.code})
        found = self._matches(wanted)
        if len(found) == 1:
            return found[0], "", {}
        shown = str(wanted)
        if not found:
            current = search_key(f"{wanted.word} {wanted.name}".strip()) in self.current_names
            if current and not wanted.within and wanted.word:
                return None, CURRENT_ORIGIN, {"name": shown}
            return None, UNKNOWN_ORIGIN, {"name": shown}
        return (
            None,
            AMBIGUOUS_ORIGIN,
            {"count": len(found), "name": shown, "example": self.label(found[0])},
        )

    def label(self, unit: AdministrativeUnit) -> str:
        """The shortest way to name ``unit`` that ``find`` finds alone: its kind and name, then
        with its former district, then with the new commune it became part of."""
        word = UNIT_KIND_PREFIX[unit.kind]
        names = [UnitName(name=unit.name, word=word)]
        if unit.parent is not None and unit.parent.tier == Tier.DISTRICT:
            names.append(replace(names[0], within=unit.parent.name, within_word=_word(unit.parent)))
        for successor in self.successors[unit.pk]:
            names.append(replace(names[0], within=successor.name, within_word=_word(successor)))
        for name in names:
            if self._matches(name) == [unit]:
                return str(name)
        return unit.full_name


def _word(unit: AdministrativeUnit) -> str:
    return UNIT_KIND_PREFIX[unit.kind]


@dataclass
class _Resolved:
    row: AssetRow
    kind: AssetKind
    holder: Agency
    origin: AdministrativeUnit | None
    asset: Asset | None  # the asset the row names, to update; None to enter a new one


class _References:
    """What the rows name, read once: kinds, agencies, former units, the assets to update."""

    def __init__(self, workbook: AssetWorkbook) -> None:
        self.kinds = {k.code.upper(): k for k in AssetKind.objects.all()}
        codes = {r.holder for r in workbook.rows}
        self.agencies = {
            a.code: a for a in Agency.objects.filter(code__in=codes).select_related("unit")
        }
        self.former = FormerUnits() if any(r.origin for r in workbook.rows) else None
        identifiers = [r.identifier for r in workbook.rows if r.identifier]
        self.assets = {
            a.identifier: a
            for a in Asset.objects.filter(identifier__in=identifiers).select_related(
                "kind", "holder", "origin__parent"
            )
        }


def _resolve(row: AssetRow, refs: _References) -> tuple[_Resolved | None, list[Problem]]:
    """The records ``row`` names, or what the records refuse of it. A column the sheet already
    got wrong (``row.bad``) is not looked up."""
    problems: list[Problem] = []
    at, bad = row.at, row.bad
    kind = refs.kinds.get(row.kind.upper())
    if kind is None and "kind" not in bad:
        problems.append(at.problem("kind", UNKNOWN_KIND, code=row.kind))
    holder = refs.agencies.get(row.holder)
    if holder is None and "holder" not in bad:
        problems.append(at.problem("holder", UNKNOWN_AGENCY, code=row.holder))
    elif holder is not None and holder.unit.valid_to is not None:
        problems.append(at.problem("holder", FORMER_AGENCY, code=row.holder))
    origin = None
    if row.origin is not None and refs.former is not None:
        origin, message, params = refs.former.find(row.origin)
        if origin is None:
            problems.append(at.problem("origin", message, **params))
    if kind is not None and row.area_m2 is not None and kind.category != Category.LAND_BUILDING:
        problems.append(at.problem("area_m2", AREA_NOT_FOR_KIND))
    asset = refs.assets.get(row.identifier) if row.identifier and "identifier" not in bad else None
    if asset is not None:
        if asset.status == Asset.Status.DISPOSED:
            problems.append(at.problem("identifier", DISPOSED_ROW, identifier=asset.identifier))
        else:
            if holder is not None and asset.holder_id != holder.pk:
                problems.append(
                    at.problem(
                        "holder",
                        HOLDER_DIFFERS,
                        identifier=asset.identifier,
                        holder=asset.holder.code,
                    )
                )
            if row.origin is not None and origin is not None and asset.origin_id != origin.pk:
                problems.append(
                    at.problem(
                        "origin",
                        ORIGIN_DIFFERS,
                        identifier=asset.identifier,
                        origin=origin_label(asset.origin) or "—",
                    )
                )
    if problems or bad or kind is None or holder is None:
        return None, problems
    return _Resolved(row, kind, holder, origin, asset), problems


def _details(resolved: _Resolved) -> AssetDetails:
    row = resolved.row
    return AssetDetails(
        kind=resolved.kind,
        name=row.name,
        original_value=row.original_value,
        remaining_value=row.remaining_value,
        acquired_year=row.acquired_year,
        condition=row.condition,
        address=row.address,
        area_m2=row.area_m2,
    )


def import_assets(actor: User | None, workbook: AssetWorkbook) -> ImportReport:
    """Apply the sheet, all or nothing: every row's kind, holder, origin and identifier are
    resolved against the records first, and every problem, the sheet's own (``problems``) and
    what the records refuse, is reported with its place (``AssetImportRefused``); nothing is
    written then. A row whose identifier is registered
    corrects that asset (its holder and origin must be those it has: they change by movements);
    any other enters a new asset, with its first movement, under the identifier the row gives
    or the next of haicap's."""
    require_arranger(actor)
    refs = _References(workbook)
    problems: list[Problem] = list(workbook.problems)
    resolved: list[_Resolved] = []
    for row in workbook.rows:
        found, row_problems = _resolve(row, refs)
        problems += row_problems
        if found is not None:
            resolved.append(found)
    if problems:
        raise AssetImportRefused(asset_sheet.in_order(problems, workbook.titles))
    report = ImportReport(titles=workbook.titles)
    on = today()
    entered: dict[asset_sheet.Place, str] = {}
    with transaction.atomic():
        # The rows that bring their identifier first, so that none of haicap's running numbers
        # given to the others takes one of theirs.
        for item in sorted(resolved, key=lambda r: not r.row.identifier):
            details = _details(item)
            if item.asset is None:
                new = NewAsset(details, item.holder, item.origin, item.row.identifier)
                entered[item.row.at] = _enter(actor, new, new.identifier, on, {}).identifier
                continue
            asset = item.asset
            if details_of(asset) == details:
                report.unchanged += 1
                continue
            before = snapshot(asset)
            _write(asset, details)
            asset.save()
            _audit_change("asset.updated", asset, before, actor)
            report.updated.append(asset.identifier)
    report.registered = [entered[r.row.at] for r in resolved if r.row.at in entered]
    return report
