"""A ``NoticeSource`` over a table of notices sent to one recipient each (the shell of
``core.notices``): the dossiers' and the directives' warnings are such tables, with a
``recipient``, a ``kind`` with its label, ``created_at`` and ``read_at``."""

from collections.abc import Callable, Sequence

from django.db import models, transaction

from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.notices import Notice, NoticeSource

# A row's subject, the address to act on it, and whether it is urgent.
Describe = Callable[[models.Model], tuple[str, str, bool]]


def stored_notices(
    key: str, model: type[models.Model], related: Sequence[str], describe: Describe
) -> NoticeSource:
    """The notices of ``model`` sent to the user (their own only: no one reads another's)."""

    def mine(user: object) -> models.QuerySet:
        if not getattr(user, "is_authenticated", False):
            return model.objects.none()
        return model.objects.filter(recipient_id=user.pk)

    def latest(user: object, limit: int) -> list[Notice]:
        rows = mine(user).select_related(*related).order_by("-created_at", "-pk")[:limit]
        notices = []
        for row in rows:
            subject, url, urgent = describe(row)
            read = row.read_at is not None
            kind = str(row.get_kind_display())
            notices.append(Notice(key, row.pk, kind, subject, url, row.created_at, read, urgent))
        return notices

    def unread(user: object) -> int:
        return mine(user).filter(read_at__isnull=True).count()

    def mark_read(user: object, notice_id: int | None) -> int:
        """Mark one notice, or all, read; audited when any was unread."""
        rows = mine(user).filter(read_at__isnull=True)
        if notice_id is not None:
            rows = rows.filter(pk=notice_id)
        with transaction.atomic():
            marked = rows.update(read_at=clock.now())
            if marked:
                record_change(
                    "notice.read",
                    (model._meta.label_lower, "all" if notice_id is None else str(notice_id)),
                    actor=user,
                    after={"marked": marked},
                )
        return marked

    return NoticeSource(key=key, latest=latest, unread=unread, mark_read=mark_read)
