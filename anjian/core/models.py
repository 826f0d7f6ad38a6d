"""Core models: base classes, the tamper-evident audit log, background jobs and in-app notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")

    def visible_to(self, user):
        """The audit administrator reads the entries of the units they administer (三员分立)."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "can_read_audit", False):
            return self.none()
        unit_ids = user.administered_unit_ids()
        if unit_ids is None:  # the whole platform
            return self.all()
        q = models.Q(org_unit_id__in=unit_ids)
        if user.audits_unattributed_entries:
            # A city's auditor also reads what no unit owns: failed logins of unknown names, set-up jobs.
            q |= models.Q(org_unit_id__isnull=True)
        return self.filter(q)


class AuditEntry(models.Model):
    """One append-only row of the audit log (等保2.0 安全审计).

    Each row carries the HMAC-SHA256, with the audit key named by ``key_id``, of its own
    content and of the previous row's hash, so that editing or removing any row breaks the
    chain at that row and nobody without the key can re-sign it; ``verify_audit`` finds it
    (rows from before the chain was keyed have key id "" and a plain SHA-256; see core.audit).
    Actor and unit are kept as snapshots (ids and names), not foreign keys: the log must
    never be rewritten by a cascade.
    """

    seq = models.BigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=200, blank=True)
    org_unit_id = models.BigIntegerField(_("org unit id"), null=True, blank=True, db_index=True)
    org_unit_name = models.CharField(_("org unit"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    key_id = models.CharField(_("key id"), max_length=32, blank=True, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")


class AuditChainHead(models.Model):
    """The single row that holds the end of the audit chain.

    Appending locks it (SELECT … FOR UPDATE) so concurrent writers on several processes
    or machines extend the chain one at a time; it also lets the verifier notice rows
    removed from the end of the log.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # The key of the last row: a process whose first key differs records the change before appending.
    key_id = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobFailure(models.TextChoices):
    """Why a job failed, which decides whether retrying it can help."""

    INPUT = "input", _("Refused input")  # the same input would fail the same way: fix the file, do not retry
    ERROR = "error", _("Unexpected error")  # an error of the platform (a database or disk hiccup): a retry may pass
    INTERRUPTED = "interrupted", _("Interrupted")  # the worker stopped sending its heartbeat (killed, machine lost)


RETRYABLE_FAILURES = (JobFailure.ERROR, JobFailure.INTERRUPTED)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job, its input and its results belong to the person who started it: own jobs only."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return self.none()
        return self.filter(created_by_id=user.pk)


class Job(models.Model):
    """A piece of background work a user started (an import…), with its progress and outcome.

    The Celery task receives only the job's id; everything it needs is on this row
    (``params``, ``input_file``), so a worker on another machine can run it.

    A running job proves it is alive by ``heartbeat_at``, touched by every progress report and by a beat
    while it runs; one silent for ``JOB_STALE_SECONDS`` was interrupted (its worker was killed) and is marked
    failed, or taken over by its redelivered task. ``attempt`` counts the claims: every write of a run names
    the attempt it holds, so a run that lost its claim (declared dead, then woken) changes nothing.
    """

    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/%Y/%m/", max_length=300, blank=True)
    input_name = models.CharField(_("file name"), max_length=255, blank=True)
    error_file = models.FileField(_("error file"), upload_to="jobs/%Y/%m/", max_length=300, blank=True)
    # What a generating job produced (a briefing, a statistics workbook), served only to its owner.
    output_file = models.FileField(_("output file"), upload_to="jobs/%Y/%m/", max_length=300, blank=True)
    output_name = models.CharField(_("output file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="jobs"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempt = models.PositiveIntegerField(_("attempt"), default=0)
    failure = models.CharField(_("kind of failure"), max_length=20, choices=JobFailure.choices, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [
            # The stale-job sweep runs every minute: it reads only the few running jobs.
            models.Index(
                fields=["heartbeat_at"], condition=models.Q(status="running"), name="core_job_running_heartbeat"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def can_retry(self) -> bool:
        """A failed job whose failure was not its input (interrupted, or an error of the platform)."""
        return self.status == JobStatus.FAILED and self.failure in RETRYABLE_FAILURES

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.progress * 100 / self.total))


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notification is a message to one person: only its recipient reads it, not even administrators."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user (DESIGN.md: notifications live in core so every app can send them).

    ``kind`` is a free string owned by the sending app ("inspections.task_assigned"); ``url`` is a
    path inside the platform. ``dedupe_key`` lets a periodic job send a reminder ("due in 3 days")
    exactly once per user: the database refuses a second row with the same non-empty key.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=120, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="core_notification_unique_dedupe_key",
            )
        ]
        # The bell counts a user's unread rows on every page: (recipient, read_at) answers it from the index.
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notif_recipient_read_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
