"""Dossiers: the current-state row, its append-only events, who may see it, daily code numbers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicap.core.restricted import NOTHING, RestrictedQuerySet
from haicap.core.roles import Role
from haicap.core.scoping import Scope
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.timeliness import Timeliness


class ApplicantDetails(models.Model):
    """Who filed: personal data, masked in lists and logs, shown only to those handling it."""

    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_number = models.CharField(_("citizen ID number"), max_length=12, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    business_code = models.CharField(_("enterprise code"), max_length=14, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def columns(applicant: Applicant) -> dict[str, str]:
        return {
            "applicant_name": applicant.name.strip(),
            "applicant_id_number": applicant.id_number,
            "applicant_phone": applicant.phone,
            "applicant_email": applicant.email,
            "applicant_address": applicant.address,
            "business_code": applicant.business_code,
        }

    @property
    def applicant(self) -> Applicant:
        return Applicant(
            name=self.applicant_name,
            id_number=self.applicant_id_number,
            phone=self.applicant_phone,
            email=self.applicant_email,
            address=self.applicant_address,
            business_code=self.business_code,
        )


class DossierQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """A dossier is seen by the staff of every body that has held it (``DossierAccess``): a
        whole commune as one, a provincial agency alone; province-wide readers see all."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None or not scope.memberships:
            return NOTHING
        held = DossierAccess.objects.filter(
            Q(agency__unit_id__in=scope.communes) | Q(agency_id__in=scope.provincial_agencies)
        )
        return Q(pk__in=held.values("dossier_id"))


class Dossier(ApplicantDetails):
    """The current state of one dossier; every change to it is also an append-only event."""

    class Channel(models.TextChoices):
        DESK = "desk", _("At the one-stop desk")
        ONLINE = "online", _("Online")
        POST = "post", _("By post")

    class Delivery(models.TextChoices):
        """Where the applicant receives the result (``dossiers.delivery.Way``)."""

        DESK = "desk", _("Collected at the desk")
        POST = "post", _("Sent by post")
        ELECTRONIC = "electronic", _("Electronically")

    code = models.CharField(_("dossier code"), max_length=60)  # unique: Meta.constraints
    pin_hash = models.CharField(max_length=128, editable=False)
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("procedure"), on_delete=models.PROTECT
    )
    template = models.ForeignKey(
        "catalog.ProcessTemplate", verbose_name=_("process template"), on_delete=models.PROTECT
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    receiving_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("received at"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    competent_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="handled_dossiers",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
    )

    # Searched for words anywhere in it (LIKE '%word%'), which no B-tree index serves.
    applicant_search = models.CharField(max_length=200, editable=False)

    # The legal time as it stood when the dossier was received.
    legal_amount = models.DecimalField(_("legal processing time"), max_digits=7, decimal_places=2)
    legal_unit = models.CharField(_("unit of time"), max_length=20)
    cutoff = models.TimeField(_("cut-off time"), null=True, blank=True)

    step = models.CharField(_("step"), max_length=60)  # indexed: Meta.indexes
    step_kind = models.CharField(max_length=12)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    clock_started_at = models.DateTimeField(_("clock started at"))
    due_at = models.DateTimeField(_("due at"), db_index=True)
    step_started_at = models.DateTimeField(_("step started at"))
    step_due_at = models.DateTimeField(_("step due at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    # A new appointment given with an apology (form 04). The legal due moment stays as it was:
    # timeliness is judged against the law, not against the promise.
    appointment_at = models.DateTimeField(_("new appointment"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, db_index=True)
    # Working days of its legal time the dossier used until the decision (pauses excluded).
    worked_days = models.DecimalField(
        _("processing time (working days)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    timeliness = models.CharField(
        _("timeliness"), max_length=8, blank=True, choices=[(t.value, t.value) for t in Timeliness]
    )
    warned_at = models.DateTimeField(_("warned of the coming due moment at"), null=True, blank=True)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    late_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("agency responsible for the delay"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    # When the deadline sweep looks at the running dossier again, and the due moment it worked
    # that out for (``deadlines``): a dossier whose due moment moved since is looked at afresh.
    look_again_at = models.DateTimeField(null=True, blank=True, editable=False)
    looked_for_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    # How the applicant chose to receive the result, as form 01 records it (Decree 118/2025,
    # domain.md 7 duty 4; ``dossiers.delivery``). The log-book number is the receiving desk's
    # running number in the year (form 07); dossiers received before it was kept have none.
    result_delivery = models.CharField(
        _("result delivered"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.DESK,
        db_default=Delivery.DESK,
    )
    result_sets = models.PositiveSmallIntegerField(_("number of sets"), default=1, db_default=1)
    log_number = models.PositiveIntegerField(_("log-book number"), null=True, blank=True)
    log_year = models.PositiveSmallIntegerField(_("log-book year"), null=True, blank=True)
    authorised_name = models.CharField(
        _("authorised to collect the result"), max_length=200, blank=True, default=""
    )
    authorised_id_number = models.CharField(
        _("their citizen ID number"), max_length=12, blank=True, default=""
    )

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        # Declared here rather than as unique=True / db_index=True, which on PostgreSQL would add
        # a second index per column for LIKE 'prefix%' searches that nothing makes.
        constraints = [
            models.UniqueConstraint(fields=["code"], name="unique_dossier_code"),
            models.UniqueConstraint(
                fields=["receiving_agency", "log_year", "log_number"],
                condition=Q(log_number__isnull=False),
                name="unique_dossier_log_number",
            ),
        ]
        indexes = [
            models.Index(fields=["step"], name="dossier_step"),
            # The open dossiers only (a small share of years of them): the desk's queues by
            # handling agency and by desk, soonest due first.
            models.Index(
                fields=["competent_agency", "due_at"],
                condition=models.Q(outcome=""),
                name="dossier_open_by_agency",
            ),
            models.Index(
                fields=["receiving_agency", "due_at"],
                condition=models.Q(outcome=""),
                name="dossier_open_by_desk",
            ),
            # What the figures count "now", each read from its own small index alone: the
            # dossiers waiting for the applicant, and the running ones by due moment.
            models.Index(
                fields=["competent_agency", "procedure", "channel"],
                condition=models.Q(finished_at__isnull=True, paused_at__isnull=False),
                name="dossier_paused",
            ),
            models.Index(
                fields=["due_at"],
                include=["competent_agency", "procedure", "channel"],
                condition=models.Q(finished_at__isnull=True, paused_at__isnull=True),
                name="dossier_running_by_due",
            ),
            # The deadline sweep's candidates, so that a sweep with nothing to do reads nothing
            # but empty ranges: running dossiers not yet marked overdue, those never looked at
            # for their present due moment, and those to look at again.
            models.Index(
                fields=["due_at"],
                condition=models.Q(
                    finished_at__isnull=True, paused_at__isnull=True, overdue_since__isnull=True
                ),
                name="dossier_running_unmarked",
            ),
            models.Index(
                fields=["due_at"],
                condition=models.Q(finished_at__isnull=True, paused_at__isnull=True)
                & (
                    models.Q(looked_for_due_at__isnull=True)
                    | ~models.Q(looked_for_due_at=models.F("due_at"))
                ),
                name="dossier_running_unlooked",
            ),
            models.Index(
                fields=["look_again_at"],
                condition=models.Q(
                    finished_at__isnull=True, paused_at__isnull=True, look_again_at__isnull=False
                ),
                name="dossier_look_again",
            ),
            # Paused dossiers by when they paused: those waiting past the supplement's limit.
            models.Index(
                fields=["paused_at"],
                condition=models.Q(finished_at__isnull=True, paused_at__isnull=False),
                name="dossier_paused_since",
            ),
        ]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return self.code

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def is_open(self) -> bool:
        return self.finished_at is None


class DossierEvent(models.Model):
    """One thing that happened to a dossier. Never changed, never deleted."""

    # Looked up by dossier through the unique (dossier, seq) index: no index of its own.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("action"), max_length=60)
    from_step = models.CharField(max_length=60, blank=True)
    to_step = models.CharField(max_length=60)
    clock = models.CharField(max_length=10)
    note = models.TextField(_("note"), blank=True)
    agency = models.ForeignKey(
        "units.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    # What the keyed request asked for (``services.request_digest``): the key sent again with
    # another action or other fields is refused, not taken for a retry.
    request_digest = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="unique_dossier_event_seq"),
            models.UniqueConstraint(
                fields=["dossier", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_dossier_event_idempotency",
            ),
        ]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"


class DossierAccess(models.Model):
    """An agency that has held the dossier: its staff may see it (the scoping rule's join)."""

    # Looked up by dossier through the unique (dossier, agency) index: no index of its own.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="access", db_index=False
    )
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "agency"], name="unique_dossier_access")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} ↔ {self.agency_id}"


class DailySequence(models.Model):
    """The last number given to a dossier received by ``agency`` on ``day``."""

    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="unique_daily_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class IntakeRequest(models.Model):
    """An ``Idempotency-Key`` already used to create a dossier: a retry gets the same dossier."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    # What the request asked for (``services.request_digest``): the same key with another body
    # is refused, never answered with this dossier.
    request_digest = models.CharField(max_length=64)
    # A retry must print the same slip, so the PIN is kept with the request that created it,
    # sealed (``core.sealing``) and forgotten after a day.
    pin_sealed = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_intake_request")
        ]
        # The few PINs still kept, for the sweep that erases them after a day.
        indexes = [
            models.Index(
                fields=["created_at"], condition=~models.Q(pin_sealed=""), name="intake_pin_kept"
            )
        ]

    def __str__(self) -> str:
        return self.key


class Notification(models.Model):
    """Something an officer should know about a dossier (shown on the desk)."""

    class Kind(models.TextChoices):
        APPROACHING_DUE = "approaching_due", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        ESCALATED = "escalated", _("Overdue in your agency")
        APOLOGY_DRAFTED = "apology_drafted", _("Apology letter to sign")
        SUPPLEMENT_LAPSED = "supplement_lapsed", _("Closed: supplement never came")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dossier", "kind"], name="unique_notification"
            )
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.dossier_id}"


class ApologyDraft(models.Model):
    """Form 04 prepared by the worker for the responsible agency's leader to complete and sign."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology_draft")
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    proposed_appointment_at = models.DateTimeField(_("proposed new appointment"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("apology letter draft")
        verbose_name_plural = _("apology letter drafts")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.proposed_appointment_at:%d/%m/%Y}"


class SubmissionQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """An online filing is seen by the intake officers of the desk it was filed at, until it
        becomes a dossier (which then follows the dossiers' rule)."""
        return Q(desk_id__in=scope.agencies_where(Role.INTAKE_OFFICER))


class OnlineSubmission(ApplicantDetails):
    """A dossier filed online, waiting for a desk officer to accept it or return it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the desk")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for completion")

    reference = models.CharField(_("submission reference"), max_length=20, unique=True)
    pin_hash = models.CharField(max_length=100, editable=False)
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("procedure"), on_delete=models.PROTECT
    )
    desk = models.ForeignKey(
        "units.Agency", verbose_name=_("one-stop desk"), on_delete=models.PROTECT, related_name="+"
    )
    competent_unit = models.ForeignKey(
        "units.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # The citizen's choice of how to receive the result (Decree 118/2025; ``dossiers.delivery``),
    # carried onto the dossier when the desk accepts the filing.
    result_delivery = models.CharField(
        _("result delivered"),
        max_length=10,
        choices=Dossier.Delivery.choices,
        default=Dossier.Delivery.DESK,
        db_default=Dossier.Delivery.DESK,
    )
    review_note = models.TextField(_("what to complete"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Set by the worker when the desk let the review time limit pass (``deadlines``).
    review_overdue_since = models.DateTimeField(
        _("waiting past the review time limit since"), null=True, blank=True
    )
    dossier = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="submission"
    )
    # The one-time token of the portal form that filed it: unique, so a form filed twice (a
    # double click, a reload, two tabs) makes one submission.
    filing_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # A filing through the API with an Idempotency-Key: its token is the key's hash, and a retry
    # with the same request gets this submission and, within a day, its PIN (sealed).
    request_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    pin_sealed = models.TextField(blank=True, default="", editable=False)
    # The same applicant filed the same procedure a few minutes before: the desk is told.
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("possible repeat of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at"]
        # The few PINs still kept, for the sweep that erases them after a day.
        indexes = [
            models.Index(
                fields=["submitted_at"],
                condition=~models.Q(pin_sealed=""),
                name="submission_pin_kept",
            )
        ]
        verbose_name = _("online submission")
        verbose_name_plural = _("online submissions")

    def __str__(self) -> str:
        return self.reference


def _document_path(document: "DossierDocument", filename: str) -> str:
    return f"dossiers/{document.dossier.code}/{document.token}{document.extension}"


class StoredPaper(models.Model):
    """A stored file with what is needed to serve it and to prove it unchanged."""

    token = models.CharField(max_length=32, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(max_length=8, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class DossierDocument(StoredPaper):
    """A paper of the dossier (an upload, a scan, a signed result), kept with its checksum."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    event = models.ForeignKey(
        DossierEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(upload_to=_document_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(StoredPaper.Meta):
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")


def _submission_document_path(document: "SubmissionDocument", filename: str) -> str:
    return f"submissions/{document.submission.reference}/{document.token}{document.extension}"


class SubmissionDocument(StoredPaper):
    """A paper uploaded with an online submission; it becomes a dossier paper on acceptance."""

    submission = models.ForeignKey(
        OnlineSubmission, on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(upload_to=_submission_document_path)

    class Meta(StoredPaper.Meta):
        verbose_name = _("submission document")
        verbose_name_plural = _("submission documents")


class DeskRecordQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Guidance and refusals given at a desk are the receiving agency's papers: seen by its
        staff, and by province-wide readers."""
        if scope.province_wide:
            return Q()
        return Q(desk_id__in=scope.agency_ids)


class DeskRecord(ApplicantDetails):
    """What a desk gave an applicant at intake instead of receiving a dossier: written guidance to
    complete it (form 02 as used at the desk) or a refusal to receive it (form 03, signed by the
    applicant and the officer). Neither is a dossier, so neither is in the "received" figures;
    both are counted on their own (Decree 118/2025 Art. 11; Circular 03/2025 Annex I)."""

    class Kind(models.TextChoices):
        GUIDANCE = "guidance", _("Guidance to complete the dossier (form 02)")
        REFUSAL = "refusal", _("Refusal to receive the dossier (form 03)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    desk = models.ForeignKey(
        "units.Agency", verbose_name=_("one-stop desk"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("number in the year"))
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    request = models.CharField(_("what the applicant asked for"), max_length=300)
    content = models.TextField(_("what to complete, or the reasons"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("given at"), db_index=True)
    at_year = models.PositiveSmallIntegerField(editable=False)  # numbers restart each year
    idempotency_key = models.CharField(max_length=100, blank=True)
    request_digest = models.CharField(max_length=64, blank=True)

    objects = DeskRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "kind", "at_year", "number"], name="unique_desk_record_number"
            ),
            models.UniqueConstraint(
                fields=["officer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_desk_record_key",
            ),
        ]
        verbose_name = _("guidance or refusal at intake")
        verbose_name_plural = _("guidance and refusals at intake")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}/{self.at_year}"


class ApplicantPaperQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """An applicant's store is personal data kept for their later dossiers, not a register
        to browse: an officer sees a person's stored papers only while handling one of that
        person's dossiers, that is while a dossier of the same ID number (or enterprise code)
        is open and received at or handled by their acting body (a whole commune as one, a
        provincial agency alone). Province-wide readers see figures, not people: nothing here."""
        if scope.user_id is None or not scope.memberships or scope.read_only:
            return NOTHING
        at_hand = Q(receiving_agency__unit_id__in=scope.communes) | Q(
            receiving_agency_id__in=scope.provincial_agencies
        )
        at_hand |= Q(competent_agency__unit_id__in=scope.communes) | Q(
            competent_agency_id__in=scope.provincial_agencies
        )
        open_here = Dossier.objects.filter(at_hand, finished_at__isnull=True)
        return Q(
            holder__in=open_here.exclude(applicant_id_number="").values("applicant_id_number")
        ) | Q(holder__in=open_here.exclude(business_code="").values("business_code"))


class ApplicantPaper(models.Model):
    """A digitised paper kept in the applicant's store, keyed by their citizen ID number (or
    enterprise code), for reuse by their later dossiers (Decree 118/2025 Art. 17(1)(c); the
    store of Decree 45/2020 Art. 16 as amended by Decree 118 Art. 40). The bytes are those of
    the dossier document it was digitised as; a reuse points at them, never copies them."""

    holder = models.CharField(_("citizen ID number or enterprise code"), max_length=14)
    paper = models.CharField(_("paper"), max_length=200)
    pages = models.PositiveIntegerField(_("pages"))
    document = models.OneToOneField(
        DossierDocument, on_delete=models.PROTECT, related_name="stored_copy"
    )
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("digitised for dossier"), on_delete=models.PROTECT, related_name="+"
    )
    stored_at = models.DateTimeField(_("stored at"))
    stored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stored by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ApplicantPaperQuerySet.as_manager()

    class Meta:
        ordering = ["-stored_at", "-pk"]
        indexes = [models.Index(fields=["holder", "paper"], name="applicant_paper_holder")]
        verbose_name = _("stored paper of an applicant")
        verbose_name_plural = _("stored papers of applicants")

    def __str__(self) -> str:
        return self.paper


class DigitisedPaper(models.Model):
    """One paper of the procedure's list, digitised at the desk for this dossier, or taken
    from the applicant's store (``reused_from``)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="digitised_papers", db_index=False
    )
    paper = models.CharField(_("paper"), max_length=200)
    pages = models.PositiveIntegerField(_("pages"))
    document = models.OneToOneField(
        DossierDocument, on_delete=models.PROTECT, related_name="digitised"
    )
    reused_from = models.ForeignKey(
        ApplicantPaper,
        verbose_name=_("reused from the applicant's store"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reuses",
    )
    event = models.OneToOneField(DossierEvent, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["dossier", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "paper"], name="unique_digitised_paper")
        ]
        verbose_name = _("digitised paper")
        verbose_name_plural = _("digitised papers")

    def __str__(self) -> str:
        return self.paper


class DossierDigitisation(models.Model):
    """How far a dossier's papers are digitised: its counts, kept with each digitisation so the
    service-quality index (Decision 766, group MDSH) reads them without scanning papers."""

    dossier = models.OneToOneField(
        Dossier, primary_key=True, on_delete=models.CASCADE, related_name="digitisation"
    )
    papers_asked = models.PositiveSmallIntegerField(_("papers to digitise"))
    papers_digitised = models.PositiveSmallIntegerField(_("papers digitised"), default=0)
    papers_reused = models.PositiveSmallIntegerField(_("of them reused"), default=0)

    class Meta:
        verbose_name = _("digitisation of a dossier")
        verbose_name_plural = _("digitisation of dossiers")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.papers_digitised}/{self.papers_asked}"

    @property
    def complete(self) -> bool:
        return self.papers_digitised >= self.papers_asked


class SignedResult(models.Model):
    """A dossier's electronic result: the PDF its competent agency issued, signed with the
    agency's certificate (PAdES), kept for the applicant and for reuse (Decree 118/2025 Art. 22;
    Decree 45/2020 Arts. 14 and 16 as amended by Decree 118 Art. 40). Never changed."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="signed_result")
    document = models.OneToOneField(DossierDocument, on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField(DossierEvent, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "units.Agency", verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("signature level"), max_length=16)
    signer = models.CharField(_("certificate subject"), max_length=400)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=64)
    certificate_sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    # "Số: 12/TB-UBND" as printed: the issuing body's running number of the year (Decree
    # 30/2020/NĐ-CP, Appendix I); empty for results signed before results were numbered.
    number = models.CharField(_("number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("signed result")
        verbose_name_plural = _("signed results")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.level}"


class ResultNumberSequence(models.Model):
    """The last number an issuing body gave to an electronic result in a year: a document's
    number is its running number in the issuing body's year (Decree 30/2020/NĐ-CP, Appendix
    I, part I, II.3), so the count starts again at 1 each January."""

    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_result_number_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last}"


class SignatureCheck(models.Model):
    """What checking a signed PDF found, kept so the pages that show a result's signature (the
    desk's dossier page, the public look-up) do not check it again on every view: the check
    reads the whole file and its certificate chain, a signature's file never changes, and a
    changed file has another checksum, so it is checked afresh. Keyed by the file's SHA-256
    and by the SHA-256 of the trusted roots it was checked against, so a root the operator adds
    or removes checks it again. Only finished checks are kept (not one that could not run).
    A cache: emptying it loses nothing."""

    pdf_sha256 = models.CharField(max_length=64)
    roots_sha256 = models.CharField(max_length=64)
    verdict = models.CharField(max_length=12)
    signer = models.CharField(max_length=400, blank=True)  # the certificate's subject, as text
    common_name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)  # as the signature claims it
    reason = models.CharField(max_length=200, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pdf_sha256", "roots_sha256"], name="unique_signature_check"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pdf_sha256[:12]}: {self.verdict}"


class LogBookSequence(models.Model):
    """The last log-book number a desk gave in a year (form 07, Circular 03/2025 Annex I)."""

    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_log_book_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last}"
