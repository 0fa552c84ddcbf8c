from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samaki.organisations.models import Vocabulary
from samaki.people.models import Sex
from samaki.records import Voidable


class ActivityKind(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")


class Topic(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Activity(Voidable):
    """Something that happened on a (local) date at a place."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organisation"),
    )
    external_id = models.CharField(_("external ID"), max_length=80, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("project"),
    )
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.PROTECT, related_name="activities", verbose_name=_("kind")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="activities", verbose_name=_("topics")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("group served"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("facilitators")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["organisation", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id="") & models.Q(voided_at__isnull=True),
                name="activity_external_id_unique",
            )
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.date} {self.title or self.kind}"


class Attendance(Voidable):
    """A registered person took part in an activity."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("person"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=models.Q(voided_at__isnull=True),
                name="attendance_once",
            )
        ]
        indexes = [models.Index(fields=["person", "activity"])]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.activity_id}"


class Headcount(Voidable):
    """People counted, not registered, in one sex and age band (ages inclusive, max open-ended)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="headcounts", verbose_name=_("activity")
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    age_min = models.PositiveSmallIntegerField(_("from age"), default=0)
    age_max = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "sex", "age_min", "age_max"],
                condition=models.Q(voided_at__isnull=True),
                name="headcount_cell_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "sex", "age_min"],
                condition=models.Q(age_max__isnull=True, voided_at__isnull=True),
                name="headcount_open_cell_once",
            ),
            models.CheckConstraint(
                condition=models.Q(age_max__isnull=True)
                | models.Q(age_max__gte=models.F("age_min")),
                name="headcount_band_ordered",
            ),
        ]
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")

    def __str__(self) -> str:
        upper = self.age_max if self.age_max is not None else "+"
        return f"{self.get_sex_display()} {self.age_min}–{upper}: {self.count}"
