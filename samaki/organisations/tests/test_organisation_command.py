"""`samaki organisation create`: the platform operator onboards an organisation."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from samaki.accounts.models import Role, SignInLink, User
from samaki.audit.models import AuditEvent
from samaki.organisations.models import Organisation

NEW_PASSWORD = "chosen by herself 2026"


def _create(*args: str) -> str:
    out = StringIO()
    call_command("organisation", "create", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_the_organisation_and_prints_her_one_time_link(settings):
    settings.SITE_URL = "https://samaki.example.org"
    output = _create(
        "--slug", "kwa", "--name", "Khmer Women's Action", "--name-km", "សកម្មភាពនារីខ្មែរ",
        "--admin", "sophea",
    )  # fmt: skip
    organisation = Organisation.objects.get(slug="kwa")
    assert (organisation.name_en, organisation.name_km) == (
        "Khmer Women's Action",
        "សកម្មភាពនារីខ្មែរ",
    )
    admin = User.objects.get(username="sophea")
    assert (admin.organisation, admin.role, admin.is_staff) == (organisation, Role.ADMIN, True)
    assert not admin.has_usable_password()
    url = re.search(r"https://samaki\.example\.org/accounts/welcome/[\w-]+/", output)
    assert url is not None, output
    assert "72 hours" in output
    events = AuditEvent.objects.filter(system_actor="system").order_by("id")
    assert list(events.values_list("action", flat=True)) == ["organisation.create", "user.invite"]
    assert mail.outbox == []  # no email given

    # She follows the link, sets her password, and is the organisation's administrator.
    client = Client()
    path = url.group(0).removeprefix("https://samaki.example.org")
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("user_list")).status_code == 200


@pytest.mark.django_db
def test_with_an_email_the_link_is_also_emailed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = _create(
            "--slug", "kwa", "--name", "KWA", "--admin", "sophea", "--email", "s@kwa.org"
        )  # fmt: skip
    assert "emailed to s@kwa.org" in output
    assert [message.to for message in mail.outbox] == [["s@kwa.org"]]
    link = SignInLink.objects.get()
    assert link.purpose == "invite"
    assert link.created_by is None  # the system


@pytest.mark.django_db
def test_it_acts_as_a_named_superuser():
    root = User.objects.create_superuser("root", password="x" * 20)
    _create("--slug", "kwa", "--name", "KWA", "--admin", "sophea", "--by", "root")
    assert set(AuditEvent.objects.values_list("actor", flat=True)) == {root.pk}
    assert SignInLink.objects.get().created_by == root


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "home", "--name", "Again", "--admin", "new_admin"], "slug"),
        (["--slug", "new", "--name", "New", "--admin", "admin"], "username"),  # taken
        (["--slug", "new", "--name", "New", "--admin", "bad name!"], "username"),
        (["--slug", "not a slug", "--name", "New", "--admin", "new_admin"], "slug"),
        (["--slug", "new", "--name", "", "--admin", "new_admin"], "name_en"),
        (["--slug", "new", "--name", "New", "--admin", "a", "--email", "nope"], "email"),
        (["--slug", "new", "--name", "New", "--admin", "new_admin", "--by", "admin"], "superuser"),
    ],
)
def test_bad_input_is_a_clear_error_and_creates_nothing(personas, args, message):
    organisations, users, events = (
        Organisation.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(CommandError) as error:
        _create(*args)
    assert message in str(error.value)
    assert (Organisation.objects.count(), User.objects.count(), AuditEvent.objects.count()) == (
        organisations,
        users,
        events,
    )
    assert not SignInLink.objects.exists()
