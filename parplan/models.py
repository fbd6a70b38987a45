"""The core domain: units, plans, reform areas, responsibilities, people and roles.

Writes go through `parplan.services`; reads through the QuerySet methods here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class UnitKind(models.Model):
    """What sort of unit this is (province, office, commune, ward, department…).

    Kinds are data so that a province, a department or a commune can issue
    plans with the same code. `administrative_level` is the level named in
    plan texts ("cấp xã"), used to resolve a target's scope to units.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại"), max_length=120)
    administrative_level = models.CharField(_("cấp hành chính"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("loại đơn vị")
        verbose_name_plural = _("loại đơn vị")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(models.QuerySet["Unit"]):
    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        """The unit and every unit below it, in one indexed prefix query."""
        return self.filter(path__startswith=unit.path)

    def below(self, unit: Unit) -> UnitQuerySet:
        return self.subtree_of(unit).exclude(pk=unit.pk)

    def current(self) -> UnitQuerySet:
        """Units still in operation: the ones offered for new tasks, scopes and responsibilities."""
        return self.filter(active=True)

    def for_list(self) -> UnitQuerySet:
        return self.select_related("kind", "parent").order_by("path")


class Unit(models.Model):
    """A body in the tree of authorities: any depth, any kind."""

    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, verbose_name=_("loại"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("trực thuộc")
    )
    # Materialised path of codes ("/20/183/06184/"), kept by unit services, so
    # a whole subtree is one `startswith` query at any depth.
    path = models.CharField(max_length=1000, db_index=True, editable=False)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # A unit that ended (merged into another, or dissolved) stays, with what it did and its figures under its
    # own name; it is no longer offered for new work (parplan.services.units_merge, unit_end).
    active = models.BooleanField(_("đang hoạt động"), default=True)
    ended_on = models.DateField(_("ngừng hoạt động từ ngày"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from",
        verbose_name=_("hợp nhất vào"),
    )  # fmt: skip

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        # Further rights on a unit (entering its figures…) are registered by the
        # apps that define them: parplan.registries.register_unit_right.

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ACTIVE = "active", _("Đang thực hiện")
    CLOSED = "closed", _("Đã kết thúc")

    @property
    def css(self) -> str:
        """The badge's classes; their colours are in static/css/parplan.css (.badge-*)."""
        return f"badge badge-{self.value}"


# A plan's own texts and signer: what editing a plan changes (never its issuer, year or status).
PLAN_DETAILS = (
    "title", "number", "symbol", "place", "issue_date", "legal_bases", "purpose", "requirements", "closing",
    "recipients", "signing_authority", "signer_title", "signer_name",
)  # fmt: skip


class PlanQuerySet(models.QuerySet["Plan"]):
    def for_list(self) -> PlanQuerySet:
        return self.select_related("issuing_unit").order_by("-year", "issuing_unit__path")


class Plan(models.Model):
    """A yearly PAR plan issued by one unit. Several may coexist (years, issuers)."""

    issuing_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("cơ quan ban hành")
    )
    year = models.PositiveIntegerField(_("năm"))
    number = models.CharField(_("số"), max_length=20, blank=True, help_text=_("Để trống khi văn bản chưa lấy số."))
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="KH-UBND")
    title = models.CharField(_("trích yếu"), max_length=500)
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    legal_bases = models.TextField(_("căn cứ ban hành"), blank=True)
    purpose = models.TextField(_("mục đích"), blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signing_authority = models.CharField(
        _("thẩm quyền ký"), max_length=120, blank=True, help_text=_("Ví dụ: TM. ỦY BAN NHÂN DÂN; KT. CHỦ TỊCH.")
    )
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    closing = models.TextField(_("đoạn kết"), blank=True)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "year"], name="one_plan_per_issuer_and_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.symbol}"


class ReformAreaQuerySet(models.QuerySet["ReformArea"]):
    def for_overview(self, *lookups: str) -> ReformAreaQuerySet:
        """Areas in order with what their sections read (`parplan.registries.area_prefetch()`), prefetched."""
        return self.prefetch_related(*lookups).order_by("number")


# The two words plans head their targets section with (the plan's own, kept as data),
# shown in the reader's language; any other heading is shown as written.
TARGETS_HEADINGS = {
    "Chỉ tiêu": pgettext_lazy("targets section", "Chỉ tiêu"),
    "Mục tiêu": pgettext_lazy("targets section", "Mục tiêu"),
}


class ReformArea(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas", verbose_name=_("kế hoạch"))
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    targets_heading = models.CharField(
        _("tiêu đề phần chỉ tiêu"),
        max_length=40,
        default="Chỉ tiêu",
        help_text=_("Văn bản gốc ghi “Chỉ tiêu” hoặc “Mục tiêu”."),
    )

    history = HistoricalRecords()
    objects = ReformAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("lĩnh vực CCHC")
        verbose_name_plural = _("lĩnh vực CCHC")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_area_number_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def targets_heading_label(self) -> str:
        return str(TARGETS_HEADINGS.get(self.targets_heading, self.targets_heading))


class Responsibility(models.Model):
    """A paragraph of the plan's section III, held against the units it names."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("kế hoạch")
    )
    number = models.PositiveSmallIntegerField(
        _("số mục"), help_text=_("Số mục như trong văn bản (có thể không liên tục).")
    )
    heading = models.CharField(_("đối tượng"), max_length=500)
    text = models.TextField(_("nội dung"))
    units = models.ManyToManyField(Unit, blank=True, related_name="responsibilities", verbose_name=_("đơn vị"))

    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("trách nhiệm thực hiện")
        verbose_name_plural = _("trách nhiệm thực hiện")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_responsibility_number_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"


class Role(models.TextChoices):
    """A person's role in a unit. Each role is also a Django group of the same name."""

    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
    SECRETARIAT = "secretariat", _("Thường trực CCHC (Phòng Nội vụ)")
    STEERING = "steering", _("Ban chỉ đạo CCHC")
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị")
    UNIT_STAFF = "unit_staff", _("Cán bộ đơn vị")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_user(self, user: User) -> MembershipQuerySet:
        return self.filter(user=user).select_related("unit", "unit__kind")

    def in_units(self, units: models.QuerySet[Unit] | list[Unit]) -> MembershipQuerySet:
        return self.filter(unit__in=units)

    def can_act_for_unit(self) -> MembershipQuerySet:
        return self.filter(Q(role=Role.UNIT_HEAD) | Q(role=Role.UNIT_STAFF))


class Membership(models.Model):
    """A person belongs to one or more units, each with a role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên đơn vị")
        verbose_name_plural = _("thành viên đơn vị")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="one_role_per_user_and_unit")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class Account(models.Model):
    """What the portal keeps about a person's sign-in beside Django's user (parplan/accounts/).

    A password an administrator set (in the admin or with `manage.py
    account_set_password`) is known to someone else: the person must replace it
    before anything else. No row means nothing is asked of the person.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)
    password_changed_at = models.DateTimeField(_("tự đổi mật khẩu lúc"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return str(self.user)


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the beat's heartbeat job (parplan/health.py).

    One row per job name. Kept in the database, not the cache, so the web
    process sees what a worker wrote whatever the cache is (a development
    install's cache is per process).
    """

    name = models.CharField(max_length=60, primary_key=True)
    seen_at = models.DateTimeField()
    worker = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class RightsChangeKind(models.TextChoices):
    ACCOUNT = "account", _("Tài khoản")
    SUPERUSER = "superuser", _("Quản trị hệ thống (superuser)")
    STAFF = "staff", _("Vào trang quản trị (staff)")
    ACTIVE = "active", _("Tài khoản đang hoạt động")
    GROUP = "group", _("Nhóm")
    PERMISSION = "permission", _("Quyền chung")
    OBJECT_PERMISSION = "object_permission", _("Quyền trên đối tượng")


class RightsChange(models.Model):
    """One change of who holds what: an account, its flags, its groups, a right of a person or a group.

    Written by `parplan.audit` whatever made the change (the admin, a service, a
    command), with who made it and why. Names, not foreign keys: the record
    outlives the account, the group or the object it names, and is never edited.
    """

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    kind = models.CharField(_("loại thay đổi"), max_length=20, choices=RightsChangeKind.choices)
    granted = models.BooleanField(_("cấp (không: thu hồi)"))
    person = models.CharField(_("người được thay đổi quyền"), max_length=150, blank=True, db_index=True)
    group = models.CharField(_("nhóm"), max_length=150, blank=True, db_index=True)
    permission = models.CharField(_("quyền"), max_length=255, blank=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=200, blank=True)
    object_pk = models.CharField(_("mã đối tượng"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("thay đổi quyền")
        verbose_name_plural = _("nhật ký thay đổi quyền")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.person or self.group}"


class JobQuerySet(models.QuerySet["Job"]):
    def unsent(self) -> JobQuerySet:
        return self.filter(sent_at__isnull=True)


class Job(models.Model):
    """A Celery job requested by an action, recorded in the action's transaction (an outbox; docs/jobs.md).

    The row commits with the action or not at all; it is handed to Celery after
    commit, and a job whose hand-off failed (Redis down) is sent by the sweep.
    """

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    # Two requests with the same key while the first is unsent are one job.
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(sent_at__isnull=True) & ~Q(key=""), name="one_unsent_job_per_key"
            )
        ]
        indexes = [models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="job_unsent")]

    def __str__(self) -> str:
        return f"{self.name}{tuple(self.args)}"
