from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReflectionRound(models.Model):
    """A consortium's periodic reflection: the lead asks, every member answers the prompts."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    consortium = models.ForeignKey(
        "organisations.Consortium",
        on_delete=models.PROTECT,
        related_name="reflection_rounds",
        verbose_name=_("consortium"),
    )
    slug = models.SlugField(_("short name"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))

    class Meta:
        ordering = ["-period_end", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "slug"], name="reflection_round_once"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="reflection_round_period_ordered",
            ),
        ]
        verbose_name = _("reflection round")
        verbose_name_plural = _("reflection rounds")

    def __str__(self) -> str:
        return self.title


class ReflectionPrompt(models.Model):
    round = models.ForeignKey(ReflectionRound, on_delete=models.CASCADE, related_name="prompts")
    order = models.PositiveSmallIntegerField(_("order"))
    text_en = models.CharField(_("prompt (English)"), max_length=300)
    text_km = models.CharField(_("prompt (Khmer)"), max_length=300, blank=True)

    class Meta:
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "order"], name="reflection_prompt_order_once")
        ]
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")

    def __str__(self) -> str:
        return self.text_en


class ReflectionAnswer(models.Model):
    """One member organisation's answer to one prompt."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    prompt = models.ForeignKey(ReflectionPrompt, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"))
    updated_at = models.DateTimeField(auto_now=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prompt", "organisation"], name="reflection_answer_once"
            )
        ]
        verbose_name = _("reflection answer")
        verbose_name_plural = _("reflection answers")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.prompt_id}"


class CapacityTool(models.Model):
    """An assessment tool: domains (financial, organisational, technical…) of scored questions."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=4, help_text=_("Scores run from 1 to this.")
    )

    class Meta:
        verbose_name = _("capacity assessment tool")
        verbose_name_plural = _("capacity assessment tools")

    def __str__(self) -> str:
        return self.name_en


class CapacityDomain(models.Model):
    tool = models.ForeignKey(CapacityTool, on_delete=models.CASCADE, related_name="domains")
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_km = models.CharField(_("name (Khmer)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["tool", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "code"], name="capacity_domain_code_once")
        ]
        verbose_name = _("capacity domain")
        verbose_name_plural = _("capacity domains")

    def __str__(self) -> str:
        return self.name_en


class CapacityQuestion(models.Model):
    domain = models.ForeignKey(CapacityDomain, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_km = models.CharField(_("question (Khmer)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["domain", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "code"], name="capacity_question_code_once")
        ]
        verbose_name = _("capacity question")
        verbose_name_plural = _("capacity questions")

    def __str__(self) -> str:
        return self.text_en


class CapacityAssessment(models.Model):
    """One organisation scored with one tool on one date."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation assessed"),
    )
    tool = models.ForeignKey(CapacityTool, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    notes = models.TextField(_("notes"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tool", "assessed_on"], name="capacity_assessment_once"
            )
        ]
        verbose_name = _("capacity assessment")
        verbose_name_plural = _("capacity assessments")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.assessed_on}"


class CapacityScore(models.Model):
    assessment = models.ForeignKey(
        CapacityAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    question = models.ForeignKey(CapacityQuestion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="capacity_score_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1), name="capacity_score_positive"
            ),
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"


class ActionPoint(models.Model):
    """What the organisation will do about a domain after an assessment."""

    assessment = models.ForeignKey(
        CapacityAssessment, on_delete=models.CASCADE, related_name="action_points"
    )
    domain = models.ForeignKey(CapacityDomain, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "domain", "id"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")

    def __str__(self) -> str:
        return self.text
