"""What every Samaki admin page shares: the site's name and `ScopedAdmin`.

The admin is a back office for a platform's superusers and for each organisation's
administrators and M&E officers. It follows the rules of the rest of Samaki:

- it reads through the apps' scoped queries, so another organisation's rows do not exist:
  their change, delete and history pages answer 404, as any other page does;
- it writes through the apps' services (one transaction, one audit row); a write without a
  service is not offered, and a service's refusal comes back as a message on the form;
- who may read and write follows `User.role`, not Django's per-model permission rows.
"""

from collections.abc import Callable
from typing import Any, ClassVar, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import construct_instance
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

from samaki.accounts import access
from samaki.accounts.models import Role

admin.site.site_header = _("Samaki")
admin.site.site_title = _("Samaki")

# The roles that reach the admin at all (`user_create` makes exactly them staff).
STAFF_ROLES = frozenset({Role.ADMIN, Role.ME_OFFICER})
NOBODY: frozenset[str] = frozenset()  # as `writers`: only superusers write
REFUSAL = "_samaki_service_refusal"


class ServiceRefused(Exception):
    """A service refused the form's data while the admin was saving it."""

    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


class ServiceForm(forms.ModelForm):
    """A model form that leaves checking the record to the service that writes it.

    The form converts each field; the service checks the record as a whole, its model
    constraints included, and its refusal comes back to the form next to the fields it names.
    """

    # Set per request by `ScopedAdmin.get_form`.
    refusal: ClassVar[ValidationError | None] = None
    service_field_names: ClassVar[dict[str, str]] = {}
    unkeyed_errors_field: ClassVar[str | None] = None

    def _post_clean(self) -> None:
        self.instance = construct_instance(
            self, self.instance, self._meta.fields, self._meta.exclude
        )
        if self.refusal is not None:
            self._show_refusal(self.refusal)

    def _show_refusal(self, refusal: ValidationError) -> None:
        if not hasattr(refusal, "error_dict"):
            self.add_error(self._field_or_none(self.unkeyed_errors_field), refusal.error_list)
            return
        for name, errors in refusal.error_dict.items():
            self.add_error(self._field_or_none(self.service_field_names.get(name, name)), errors)

    def _field_or_none(self, name: str | None) -> str | None:
        """The form field that shows an error, or None for the form's own error list."""
        return name if name in self.fields and name != NON_FIELD_ERRORS else None


class ScopedAdmin(admin.ModelAdmin):
    """A model admin that reads through `list_for_user` and writes through services.

    A subclass sets `list_for_user` (the app's `<thing>_list`, as a staticmethod) and defines
    `create(request, form)` and `update(request, obj, form)` for the writes that have a
    service; each returns the saved row. Without them the admin only shows.
    """

    list_for_user: Callable[..., models.QuerySet]
    readers: frozenset[str] = STAFF_ROLES
    writers: frozenset[str] = STAFF_ROLES
    # The service takes `organisation=`: a superuser chooses it; anyone else writes her own.
    organisation_chosen = False
    # How the service's error keys map to the form's fields ("village_code" -> "village").
    service_field_names: ClassVar[dict[str, str]] = {}
    unkeyed_errors_field: ClassVar[str | None] = None
    add_fieldsets: ClassVar[list[tuple[Any, dict[str, Any]]] | None] = None
    create: Callable[[HttpRequest, forms.ModelForm], models.Model] | None = None
    update: Callable[[HttpRequest, Any, forms.ModelForm], models.Model] | None = None
    form = ServiceForm

    # --- Reading --------------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = self.list_for_user(user=request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        """The row, if the user may see it; otherwise 404, as everywhere else in Samaki."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such %(name)s.") % {"name": self.opts.verbose_name})
        return obj

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("No such %(name)s.") % {"name": opts.verbose_name})

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        """No filter from the URL reaches into a JSON column (a 400, not a 500 on SQLite)."""
        model = self.model
        for name in lookup.split(LOOKUP_SEP):
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                break
            if isinstance(field, models.JSONField):
                return False
            if field.related_model is None:
                break
            model = field.related_model
        return super().lookup_allowed(lookup, value, request)

    def delete_view(self, request, object_id, extra_context=None):
        # Django checks the permission before the row exists; here a row out of scope is a 404.
        self.get_object(request, unquote(object_id))
        return super().delete_view(request, object_id, extra_context)

    def get_field_queryset(self, db, db_field, request):
        """Foreign-key and many-to-many choices: what the user sees in that model's admin."""
        related = db_field.remote_field.model
        if self.admin_site.is_registered(related):
            related_admin = self.admin_site.get_model_admin(related)
            if isinstance(related_admin, ScopedAdmin):
                return related_admin.get_queryset(request)
        return super().get_field_queryset(db, db_field, request)

    # --- Who may do what ------------------------------------------------------------------------

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        user: Any = request.user
        if user.is_superuser:
            return True
        return bool(user.is_staff and access.holds_role_in(user, self.readers))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def may_write(self, request: HttpRequest, obj=None) -> bool:
        """Superusers write anything; a writer writes her own organisation's rows only."""
        user: Any = request.user
        if user.is_superuser:
            return True
        if not self.has_view_permission(request) or not access.holds_role_in(user, self.writers):
            return False
        return obj is None or getattr(obj, "organisation_id", None) == user.organisation_id

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.create is not None and self.may_write(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.update is not None and self.may_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # no service deletes anything yet

    # --- The organisation field -----------------------------------------------------------------

    @property
    def has_organisation_field(self) -> bool:
        return any(field.name == "organisation" for field in self.opts.fields)

    def chooses_organisation(self, request: HttpRequest, obj=None) -> bool:
        user: Any = request.user
        return self.organisation_chosen and user.is_superuser and obj is None

    def acting_organisation(self, request: HttpRequest, form: forms.ModelForm) -> Any:
        """The organisation a new row belongs to: the superuser's choice, else the user's own."""
        user: Any = request.user
        if self.chooses_organisation(request):
            return form.cleaned_data["organisation"]
        return user.organisation

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or ())
        if not self.chooses_organisation(request, obj):
            exclude.append("organisation")
        return exclude

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        user: Any = request.user
        if (
            user.is_superuser
            and self.has_organisation_field
            and not self.chooses_organisation(request, obj)
        ):
            readonly.append("organisation")
        return readonly

    def get_fieldsets(self, request, obj=None):
        """The add form's own fieldsets, if any; and superusers see whose row it is."""
        fieldsets: Any
        if obj is None and self.add_fieldsets is not None:
            fieldsets = self.add_fieldsets
        else:
            fieldsets = super().get_fieldsets(request, obj)
        user: Any = request.user
        if not (user.is_superuser and self.has_organisation_field):
            return fieldsets
        (name, options), *rest = fieldsets
        fields = [field for field in options["fields"] if field != "organisation"]
        return [(name, {**options, "fields": ["organisation", *fields]}), *rest]

    def get_list_display(self, request):
        user: Any = request.user
        columns = list(super().get_list_display(request))
        if user.is_superuser and self.has_organisation_field and "organisation" not in columns:
            columns.append("organisation")
        return columns

    # --- Writing through services ---------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = cast(type[ServiceForm], super().get_form(request, obj, change, **kwargs))
        # modelform_factory made a new class for this request: configuring it is safe.
        form.refusal = getattr(request, REFUSAL, None)
        form.service_field_names = self.service_field_names
        form.unkeyed_errors_field = self.unkeyed_errors_field
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            if hasattr(request, REFUSAL):
                raise
            # The attempt's transaction was rolled back, so nothing was written. Show the form
            # again, this time with the service's message next to the field it names.
            setattr(request, REFUSAL, refused.error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        try:
            if change and self.update is not None:
                saved = self.update(request, self.get_queryset(request).get(pk=obj.pk), form)
            elif not change and self.create is not None:
                saved = self.create(request, form)
            else:  # the permission checks refused this already
                raise PermissionDenied
        except ValidationError as error:
            raise ServiceRefused(error) from error
        # The admin goes on with `obj` (its message, its log entry, its redirect): make it the row
        # the service saved.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_related(self, request, form, formsets, change):
        """Nothing: the services write a row's relations together with the row."""

    def construct_change_message(self, request, form, formsets, add=False):
        # Django describes the inline rows its formsets saved; a service saved these instead
        # (and its audit row says what changed).
        saved = [formset for formset in formsets if hasattr(formset, "new_objects")]
        return super().construct_change_message(request, form, saved, add)


def codes(areas) -> list[str]:
    """The gazetteer codes of a form's chosen areas, as the services take them."""
    return [area.code for area in areas or ()]


class VocabularyAdmin(ScopedAdmin):
    """Activity kinds, topics, group kinds, outcome kinds…: the shared terms and her own.

    The platform operator adds terms here (a shared one, or an organisation's) and renames them,
    through `samaki.organisations.vocabularies`; a term's code never changes. An organisation's
    administrators and M&E officers manage its own terms on the "Vocabularies" page
    (/settings/vocabularies/), which also retires and restores them: here they only read.
    """

    writers = NOBODY  # superusers only: organisations use the Vocabularies page
    organisation_chosen = True
    list_display = ["name_en", "name_km", "code", "shared", "retired_on"]
    search_fields = ["code", "name_en", "name_km"]
    fields = ["code", "name_en", "name_km"]

    @admin.display(boolean=True, description=_("shared"))
    def shared(self, term: Any) -> bool:
        return term.organisation_id is None

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "code"] if obj is not None else readonly

    def create(self, request, form):
        from samaki.organisations.vocabularies import term_add

        data = form.cleaned_data
        return term_add(
            by=request.user,
            model=self.model,
            organisation=self.acting_organisation(request, form),
            name_en=data["name_en"],
            name_km=data["name_km"],
            code=data["code"],
        )

    def update(self, request, term, form):
        from samaki.organisations.vocabularies import term_rename

        data = form.cleaned_data
        term_rename(term=term, by=request.user, name_en=data["name_en"], name_km=data["name_km"])
        return term


# Django's own strings that the admin pages show. Django's Khmer catalogue translates a third of
# them, some wrongly ("Yes" as "I agree", "Delete" misspelt); ours, in LOCALE_PATHS, comes first.
# They are listed here only so that `makemessages` keeps their translations in our catalogue.
# Regenerate on a Django upgrade: every msgid of django/contrib/admin's catalogue, plus the
# auth and form messages the admin's pages and forms show.
DJANGO_MESSAGES = [
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop("Delete multiple objects"),
    gettext_noop("Administration"),
    gettext_noop("All"),
    gettext_noop("Yes"),
    gettext_noop("No"),
    gettext_noop("Unknown"),
    gettext_noop("Any date"),
    gettext_noop("Today"),
    gettext_noop("Past 7 days"),
    gettext_noop("This month"),
    gettext_noop("This year"),
    gettext_noop("No date"),
    gettext_noop("Has date"),
    gettext_noop("Empty"),
    gettext_noop("Not empty"),
    gettext_noop(
        "Please enter the correct %(username)s and password for a staff account. Note that both fields may be case-sensitive."
    ),
    gettext_noop("Action:"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Remove"),
    gettext_noop("Addition"),
    gettext_noop("Change"),
    gettext_noop("Deletion"),
    gettext_noop("action time"),
    gettext_noop("user"),
    gettext_noop("content type"),
    gettext_noop("object id"),
    gettext_noop("object repr"),
    gettext_noop("action flag"),
    gettext_noop("change message"),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
    gettext_noop("Added “%(object)s”."),
    gettext_noop("Changed “%(object)s” — %(changes)s"),
    gettext_noop("Deleted “%(object)s.”"),
    gettext_noop("LogEntry Object"),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Added."),
    gettext_noop("and"),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Changed {fields}."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("No fields changed."),
    gettext_noop("None"),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop(
        "Items must be selected in order to perform actions on them. No items have been changed."
    ),
    gettext_noop("No action selected."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Database error"),
    ngettext_lazy(
        "%(count)s %(name)s was changed successfully.",
        "%(count)s %(name)s were changed successfully.",
        1,
    ),
    ngettext_lazy("%(total_count)s selected", "All %(total_count)s selected", 1),
    gettext_noop("0 of %(cnt)s selected"),
    gettext_noop("Delete"),
    gettext_noop("Change history: %s"),
    gettext_noop("%(class_name)s %(instance)s"),
    gettext_noop(
        "Deleting %(class_name)s %(instance)s would require deleting the following protected related objects: %(related_objects)s"
    ),
    gettext_noop("Django site admin"),
    gettext_noop("Django administration"),
    gettext_noop("Site administration"),
    gettext_noop("Log in"),
    gettext_noop("%(app)s administration"),
    gettext_noop("Page not found"),
    gettext_noop("We’re sorry, but the requested page could not be found."),
    gettext_noop("Home"),
    gettext_noop("Server error"),
    gettext_noop("Server error (500)"),
    gettext_noop("Server Error <em>(500)</em>"),
    gettext_noop(
        "There’s been an error. It’s been reported to the site administrators via email and should be fixed shortly. Thanks for your patience."
    ),
    gettext_noop("Run the selected action"),
    gettext_noop("Go"),
    gettext_noop("Click here to select the objects across all pages"),
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    gettext_noop("Clear selection"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Add"),
    gettext_noop("View"),
    gettext_noop("You don’t have permission to view or edit anything."),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Change password"),
    gettext_noop("Set password"),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    gettext_noop("Enter a new password for the user <strong>%(username)s</strong>."),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Skip to main content"),
    gettext_noop("Welcome,"),
    gettext_noop("View site"),
    gettext_noop("Documentation"),
    gettext_noop("Log out"),
    gettext_noop("Add %(name)s"),
    gettext_noop("History"),
    gettext_noop("View on site"),
    gettext_noop("Filter"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Clear all filters"),
    gettext_noop("Remove from sorting"),
    gettext_noop("Sorting priority: %(priority_number)s"),
    gettext_noop("Toggle sorting"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related objects, but your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the following protected related objects:"
    ),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the following related items will be deleted:'
    ),
    gettext_noop("Objects"),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("No, take me back"),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following protected related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following objects and their related items will be deleted:"
    ),
    gettext_noop("Delete?"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("Summary"),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("None available"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Unknown content"),
    gettext_noop(
        "Something’s wrong with your database installation. Make sure the appropriate database tables have been created, and make sure the database is readable by the appropriate user."
    ),
    gettext_noop(
        "You are authenticated as %(username)s, but are not authorized to access this page. Would you like to login to a different account?"
    ),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Date/time"),
    gettext_noop("User"),
    gettext_noop("Action"),
    ngettext_lazy("entry", "entries", 1),
    gettext_noop(
        "This object doesn’t have a change history. It probably wasn’t added via this admin site."
    ),
    gettext_noop("Show all"),
    gettext_noop("Save"),
    gettext_noop("Popup closing…"),
    gettext_noop("Search"),
    ngettext_lazy("%(counter)s result", "%(counter)s results", 1),
    gettext_noop("%(full_result_count)s total"),
    gettext_noop("Save as new"),
    gettext_noop("Save and add another"),
    gettext_noop("Save and continue editing"),
    gettext_noop("Save and view"),
    gettext_noop("Close"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
    gettext_noop("Log in again"),
    gettext_noop("Password change"),
    gettext_noop("Your password was changed."),
    gettext_noop(
        "Please enter your old password, for security’s sake, and then enter your new password twice so we can verify you typed it in correctly."
    ),
    gettext_noop("Change my password"),
    gettext_noop("Password reset"),
    gettext_noop("Your password has been set.  You may go ahead and log in now."),
    gettext_noop("Password reset confirmation"),
    gettext_noop(
        "Please enter your new password twice so we can verify you typed it in correctly."
    ),
    gettext_noop("New password:"),
    gettext_noop("Confirm password:"),
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been used.  Please request a new password reset."
    ),
    gettext_noop(
        "We’ve emailed you instructions for setting your password, if an account exists with the email you entered. You should receive them shortly."
    ),
    gettext_noop(
        "If you don’t receive an email, please make sure you’ve entered the address you registered with, and check your spam folder."
    ),
    gettext_noop(
        "You're receiving this email because you requested a password reset for your user account at %(site_name)s."
    ),
    gettext_noop("Please go to the following page and choose a new password:"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Thanks for using our site!"),
    gettext_noop("The %(site_name)s team"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we’ll email instructions for setting a new one."
    ),
    gettext_noop("Email address:"),
    gettext_noop("Reset my password"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("All dates"),
    gettext_noop("Select %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Date:"),
    gettext_noop("Time:"),
    gettext_noop("Lookup"),
    gettext_noop("Currently:"),
    gettext_noop("Change:"),
    gettext_noop("Personal info"),
    gettext_noop("Important dates"),
    gettext_noop("password"),
    gettext_noop("last login"),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Password"),
    gettext_noop("Password confirmation"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("This account is inactive."),
    gettext_noop("Email"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Old password"),
    gettext_noop("groups"),
    gettext_noop("superuser status"),
    gettext_noop(
        "Designates that this user has all permissions without explicitly assigning them."
    ),
    gettext_noop(
        "The groups this user belongs to. A user will get all permissions granted to each of their groups."
    ),
    gettext_noop("user permissions"),
    gettext_noop("Specific permissions for this user."),
    gettext_noop("username"),
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    gettext_noop("A user with that username already exists."),
    gettext_noop("first name"),
    gettext_noop("last name"),
    gettext_noop("email address"),
    gettext_noop("staff status"),
    gettext_noop("Designates whether the user can log into this admin site."),
    gettext_noop("active"),
    gettext_noop(
        "Designates whether this user should be treated as active. Unselect this instead of deleting accounts."
    ),
    gettext_noop("date joined"),
    gettext_noop("users"),
    gettext_noop(":"),  # a form label's suffix: "៖" in Khmer
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        1,
    ),
    gettext_noop("Enter a number."),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("Value %(value)r is not a valid choice."),
    gettext_noop("This field cannot be null."),
    gettext_noop("This field cannot be blank."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Enter a complete value."),
    gettext_noop(
        "ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need to file a bug report if the issue persists."
    ),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", 1),
    ngettext_lazy(
        "Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", 1
    ),
    gettext_noop("Order"),
    gettext_noop("Please correct the duplicate data for %(field)s."),
    gettext_noop("Please correct the duplicate data for %(field)s, which must be unique."),
    gettext_noop(
        "Please correct the duplicate data for %(field_name)s which must be unique for the %(lookup)s in %(date_field)s."
    ),
    gettext_noop("Please correct the duplicate values below."),
    gettext_noop("The inline value did not match the parent instance."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    gettext_noop("or"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        1,
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
]
