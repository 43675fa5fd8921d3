"""People's feedback and petitions (phản ánh, kiến nghị), and satisfaction ratings.

A petition is received at the competent agency (a commune's People's Committee, or a provincial
department), handled against a legal deadline that never moves, answered, and, when the sender
agrees, published without personal data. A rating scores the service of one returned dossier
or one answered petition.

Scoping (``visible_to``, the one rule per kind): the province's supervisors and system
administrators see every petition; the staff of a body that has held a petition (a commune as
one, a provincial agency alone) see it. Ratings are read as figures (``index``, ``figures``);
their comments by the staff of the rated body.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haicap.core.restricted import NOTHING, RestrictedQuerySet
from haicap.core.scoping import Scope
from haicap.dossiers.models import StoredPaper
from haicap.feedback.lifecycle import State
from haicap.feedback.questions import Level

STATE_LABELS = {
    State.RECEIVED: _("Received"),
    State.ASSIGNED: _("Assigned"),
    State.IN_PROGRESS: _("In progress"),
    State.ANSWERED: _("Answered"),
    State.CLOSED: _("Closed"),
}
LEVEL_LABELS = {
    Level.VERY_SATISFIED: _("Very satisfied"),
    Level.SATISFIED: _("Satisfied"),
    Level.DISSATISFIED: _("Dissatisfied"),
}


def _bodies(scope: Scope, path: str) -> Q:
    """The agency reached through ``path`` is one the user works for: any agency of their
    commune, or their provincial agency itself (``Scope.bodies``)."""
    return Q(**{f"{path}__unit_id__in": sorted(scope.communes)}) | Q(
        **{f"{path}_id__in": sorted(scope.provincial_agencies)}
    )


class Category(models.Model):
    """What a petition is about, as data the province keeps: the legal time to answer it and
    where it goes. An Open311 service is a category (``code`` is its ``service_code``)."""

    class RoutesTo(models.TextChoices):
        COMMUNE = "commune", _("The People's Committee of the commune where it happened")
        AGENCY = "agency", _("The provincial agency named below")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    description = models.CharField(_("description"), max_length=400, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    legal_working_days = models.PositiveSmallIntegerField(
        _("legal time to answer (working days)"),
        help_text=_("counted from receipt; a local rule may set it (Ninh Bình: 10)"),
    )
    routes_to = models.CharField(
        _("goes to"), max_length=10, choices=RoutesTo.choices, default=RoutesTo.COMMUNE
    )
    provincial_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("provincial agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "answers petitions of this kind that name no commune, or all of them; when empty, "
            "the Office of the provincial People's Committee"
        ),
    )
    about_dossiers = models.BooleanField(
        _("about administrative procedures"),
        default=False,
        help_text=_("a petition naming a dossier goes to the agency handling that dossier"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_working_days__gte=1) & Q(legal_working_days__lte=90),
                name="feedback_category_legal_days_in_range",
            )
        ]
        verbose_name = _("petition category")
        verbose_name_plural = _("petition categories")

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        """The name in the reader's language (the province keeps a Vietnamese and an English
        one; Vietnamese when there is no English)."""
        if (get_language() or "vi").startswith("vi") or not self.name_en:
            return self.name
        return self.name_en


class PetitionQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Supervisors see all; staff see the petitions a body of theirs has held."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None or not scope.memberships:
            return NOTHING
        held = PetitionHolder.objects.filter(_bodies(scope, "agency")).values("petition_id")
        return Q(pk__in=held)


class Petition(models.Model):
    """One petition: what was raised, where, by whom (private), and where it stands."""

    class Channel(models.TextChoices):
        WEB = "web", _("Public website")
        DESK = "desk", _("At a desk")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")

    code = models.CharField(_("tracking code"), max_length=20, unique=True)
    pin_hash = models.CharField(max_length=128, editable=False)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    text = models.TextField(_("what happened"))
    # Where: an address, the current commune it lies in, and what the sender named.
    place = models.CharField(_("address or place"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    named_unit = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("commune named by the sender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("a former commune, routed to the one that replaced it"),
    )
    village = models.CharField(_("village or hamlet"), max_length=120, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who sent it: private, masked in lists and logs, never published.
    sender_name = models.CharField(_("name"), max_length=120)
    sender_phone = models.CharField(_("phone"), max_length=15, blank=True)
    sender_email = models.EmailField(_("email"), blank=True)
    sender_address = models.CharField(_("address"), max_length=300, blank=True)
    contact_key = models.CharField(max_length=64, editable=False, db_index=True)
    publish_consent = models.BooleanField(_("the answer may be published"), default=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # NULL, not "": a petition filed without a token (desk, API) must not clash with another.
    filing_token = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )

    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=[(s.value, label) for s, label in STATE_LABELS.items()]
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    # The legal deadline: working days from receipt, set once; never reset, never moved.
    legal_due_at = models.DateTimeField(_("legal deadline"), db_index=True)
    # The handler's own deadline for the step at hand (theirs to set and move).
    step_due_at = models.DateTimeField(_("step deadline"), null=True, blank=True)
    reopened = models.BooleanField(_("reopened once"), default=False)
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "legal_due_at"], name="petition_by_agency_due"),
            models.Index(fields=["state", "legal_due_at"], name="petition_by_state_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sender_phone__gt="") | Q(sender_email__gt=""),
                name="petition_has_a_contact",
            ),
        ]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in (State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS)

    @property
    def sender_details(self) -> tuple[str, ...]:
        """The sender's personal data, as ``redaction.redact`` removes it from what is shown."""
        return (self.sender_name, self.sender_phone, self.sender_email, self.sender_address)


class PetitionHolder(models.Model):
    """A body that has held the petition (received it, or had it transferred to it): its staff
    keep reading it after a transfer."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="holders")
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "agency"], name="unique_petition_holder")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} held by {self.agency_id}"


class PetitionSequence(models.Model):
    """The last running number given to a petition received on ``day`` (province-wide)."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


def _photo_path(photo: "PetitionPhoto", filename: str) -> str:
    return f"petitions/{photo.petition.code}/{photo.token}{photo.extension}"


class PetitionPhoto(StoredPaper):
    """A photo sent with the petition, its metadata stripped (unless the sender kept the
    location on purpose). Shown to the staff who handle it; never published."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(upload_to=_photo_path)
    kept_location = models.BooleanField(_("location kept by the sender"), default=False)

    class Meta(StoredPaper.Meta):
        verbose_name = _("petition photo")
        verbose_name_plural = _("petition photos")


class PetitionEvent(models.Model):
    """One step of a petition's history (append-only: ``history``)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        STARTED = "started", _("Work begun")
        STEP_DEADLINE = "step_deadline", _("Step deadline set")
        TRANSFERRED = "transferred", _("Transferred")
        ANSWERED = "answered", _("Answered")
        REOPENED = "reopened", _("Reopened by the sender")
        ACCEPTED = "accepted", _("Accepted by the sender")
        CLOSED = "closed", _("Closed")
        WARNED = "warned", _("Warned of the coming deadline")
        ESCALATED = "escalated", _("Escalated to the agency's leader")

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=60, blank=True)  # "the sender", "worker"
    from_agency = models.ForeignKey(
        "units.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "units.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state_after = models.CharField(max_length=12)
    note = models.TextField(blank=True)  # a transfer's reason, a reopening's words

    class Meta:
        ordering = ["petition", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "seq"], name="unique_petition_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} #{self.seq} {self.kind}"


class Answer(models.Model):
    """An answer sent to the sender. ``public_text`` is what the public page shows (personal
    data removed), only when the sender agreed to publication."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("answer"))
    public_text = models.TextField(_("answer as published"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField()
    on_time = models.BooleanField()  # at or before the legal deadline

    class Meta:
        ordering = ["answered_at", "pk"]

    def __str__(self) -> str:
        return f"answer to {self.petition_id} at {self.answered_at:%Y-%m-%d %H:%M}"


def _attachment_path(attachment: "AnswerAttachment", filename: str) -> str:
    code = attachment.answer.petition.code
    return f"petitions/{code}/answer-{attachment.token}{attachment.extension}"


class AnswerAttachment(StoredPaper):
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)

    class Meta(StoredPaper.Meta):
        verbose_name = _("answer attachment")
        verbose_name_plural = _("answer attachments")


class PetitionNotification(models.Model):
    """A notice to an officer about a petition: assigned to them, due soon, overdue (to the
    agency's leaders), reopened. Unique per recipient, petition and kind, so however often the
    worker runs a warning is sent once."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Petition assigned to you")
        DUE_SOON = "due_soon", _("Petition due soon")
        OVERDUE = "overdue", _("Petition past its legal deadline")
        REOPENED = "reopened", _("Petition reopened by its sender")
        TRANSFERRED = "transferred", _("Petition transferred to your agency")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # A reassignment or a second reopening is a new notice: the round tells them apart.
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "petition", "kind", "round"],
                name="unique_petition_notification",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.petition_id} to {self.recipient_id}"


class RatingQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Supervisors read every rating; staff those of their own bodies."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None or not scope.memberships:
            return NOTHING
        return _bodies(scope, "agency")


class Rating(models.Model):
    """A sender's rating of one returned dossier or one answered petition (one each), with
    what the figures group it by, fixed when it was given."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    petition = models.OneToOneField(
        Petition, null=True, blank=True, on_delete=models.PROTECT, related_name="rating"
    )
    agency = models.ForeignKey(
        "units.Agency", verbose_name=_("rated agency"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+"
    )  # the rated agency's unit when rated
    procedure = models.ForeignKey(
        "catalog.Procedure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    field_code = models.CharField(max_length=20, blank=True)
    answers = models.JSONField()
    satisfied = models.BooleanField()
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(db_index=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(dossier__isnull=False) & Q(petition__isnull=True))
                | (Q(dossier__isnull=True) & Q(petition__isnull=False)),
                name="rating_of_one_thing",
            )
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"rating {self.pk}: {'satisfied' if self.satisfied else 'dissatisfied'}"
