from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """The closed vocabulary of programme-side audit actions (case actions: `cases.CaseAction`).

    A write that needs a new action adds it here (and a migration): `audit_record` refuses any other.
    """

    ACTIVITY_CREATE = "activity.create"
    ACTIVITY_UPDATE = "activity.update"
    ACTIVITY_VOID = "activity.void"
    ATTENDANCE_SET = "attendance.set"
    ATTENDANCE_VOID = "attendance.void"
    BUDGET_LINE_ADD = "budget_line.add"
    BUDGET_LINE_IMPORT = "budget_line.import"
    BUDGET_LINE_UPDATE = "budget_line.update"
    CAPACITY_ASSESS = "capacity.assess"
    CAPACITY_TOOL_CREATE = "capacity_tool.create"
    CAPACITY_TOOL_UPDATE = "capacity_tool.update"
    CASE_STAFF_CREATE = "case_staff.create"
    CASE_STAFF_DEACTIVATE = "case_staff.deactivate"
    CASE_STAFF_ENROL_CONFIRM = "case_staff.enrol_confirm"
    CASE_STAFF_ENROL_START = "case_staff.enrol_start"
    CASE_STAFF_SET_ROLE = "case_staff.set_role"
    CONSORTIUM_CREATE = "consortium.create"
    DONOR_CREATE = "donor.create"
    EXPENDITURE_RECORD = "expenditure.record"
    EXPENDITURE_UPDATE = "expenditure.update"
    FEEDBACK_FILE = "feedback.file"
    FEEDBACK_FOLLOW_UP = "feedback.follow_up"
    FEEDBACK_RESPOND = "feedback.respond"
    FEEDBACK_VIEW = "feedback.view"
    FOCAL_POINT_DESIGNATE = "focal_point.designate"
    FOCAL_POINT_REMOVE = "focal_point.remove"
    GROUP_CREATE = "group.create"
    GROUP_UPDATE = "group.update"
    HEADCOUNT_SET = "headcount.set"
    HEADCOUNT_VOID = "headcount.void"
    IMPORT_CREATE = "import.create"
    IMPORT_LAND = "import.land"
    INDICATOR_ADD = "indicator.add"
    INDICATOR_REMOVE = "indicator.remove"
    INDICATOR_TARGETS_SET = "indicator.targets_set"
    INDICATOR_UPDATE = "indicator.update"
    MEMBERSHIP_ADD = "membership.add"
    MEMBERSHIP_END = "membership.end"
    MEMBERSHIP_VOID = "membership.void"
    ORGANISATION_CREATE = "organisation.create"
    ORGANISATION_UPDATE = "organisation.update"
    OUTCOME_RECORD = "outcome.record"
    OUTCOME_UPDATE = "outcome.update"
    OUTCOME_VOID = "outcome.void"
    PERIOD_APPROVE = "period.approve"
    PERIOD_REOPEN = "period.reopen"
    PERIOD_SUBMIT = "period.submit"
    PERSON_ERASE = "person.erase"
    PERSON_REGISTER = "person.register"
    PERSON_SELF_IDENTIFICATION = "person.self_identification"
    PERSON_UPDATE = "person.update"
    PERSON_ATTRIBUTES_SET = "person.attributes_set"
    PERSON_MERGE = "person.merge"
    PERSON_ATTRIBUTE_DECLARE = "person_attribute.declare"
    DUPLICATE_REVIEW_OPEN = "duplicate_review.open"
    DUPLICATE_REVIEW_RESOLVE = "duplicate_review.resolve"
    PERSON_ATTRIBUTE_UPDATE = "person_attribute.update"
    CONSENT_RECORD = "consent.record"
    CONSENT_WITHDRAW = "consent.withdraw"
    PROJECT_CLOSE = "project.close"
    PROJECT_CREATE = "project.create"
    PROJECT_UPDATE = "project.update"
    REFLECTION_ANSWER = "reflection.answer"
    REFLECTION_ROUND_CREATE = "reflection_round.create"
    REPORT_DELETED = "report.deleted"
    REPORT_LOGO_SET = "report_logo.set"
    REPORT_NARRATIVE_SET = "report_narrative.set"
    REPORT_REQUESTED = "report.requested"
    REPORT_SUBMITTED = "report.submitted"
    REQUEST_FOLLOW_UP = "request.follow_up"
    REQUEST_RECORD = "request.record"
    RESULT_ADD = "result.add"
    RESULT_REMOVE = "result.remove"
    RESULT_UPDATE = "result.update"
    RESULTS_FRAMEWORK_CREATE = "results_framework.create"
    RESULTS_FRAMEWORK_IMPORT = "results_framework.import"
    RESULTS_FRAMEWORK_UPDATE = "results_framework.update"
    SAFE_HOUSE_CAPACITY_SET = "safe_house_capacity.set"
    SERVICE_PROVIDER_ADD = "service_provider.add"
    SIGN_IN_LINK_ISSUE = "sign_in_link.issue"
    SITE_CREATE = "site.create"
    SUBMISSION_RECEIVE = "submission.receive"
    SUBMISSION_RECORD = "submission.record"
    SUBMISSION_REJECT = "submission.reject"
    TARGET_REMOVE = "target.remove"
    TARGET_SET = "target.set"
    TOKEN_ISSUE = "token.issue"  # noqa: S105 - an action name, not a secret
    TOKEN_REVOKE = "token.revoke"  # noqa: S105 - an action name, not a secret
    USER_CREATE = "user.create"
    USER_DEACTIVATE = "user.deactivate"
    USER_INVITE = "user.invite"
    USER_PASSWORD_CHANGE = "user.password_change"  # noqa: S105 - an action name, not a secret
    USER_PASSWORD_SET = "user.password_set"  # noqa: S105 - an action name, not a secret
    USER_REACTIVATE = "user.reactivate"
    USER_UPDATE = "user.update"
    VOCABULARY_TERM_ADD = "vocabulary_term.add"
    VOCABULARY_TERM_RENAME = "vocabulary_term.rename"
    VOCABULARY_TERM_RESTORE = "vocabulary_term.restore"
    VOCABULARY_TERM_RETIRE = "vocabulary_term.retire"
    XFORM_PUBLISH = "xform.publish"
    XFORM_REPLACE = "xform.replace"


class AuditEvent(models.Model):
    """One row per write (and, for cases, per view): who, when, what, before and after."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Who acted when it was not a signed-in user: the name of the `SystemActor` (a command, the demo).
    system_actor = models.CharField(_("system actor"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=60, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # Why, where the person acting must say: a correction, a void, a merge, a reopened period.
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
