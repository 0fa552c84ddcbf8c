"""Case staff are provisioned by case supervisors, phones enrolled with a supervisor present.

- supervisor: home's case supervisor (made by the platform's command, as SYSTEM): adds staff
- worker: a case worker she added, whose phone is not enrolled yet
- outsider_supervisor: the other organisation's supervisor: none of home's staff exist for her
"""

import base64
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role, User
from samaki.audit.models import AuditEvent
from samaki.cases import staff
from samaki.cases.tests.conftest import verified_login
from samaki.conftest import PASSWORD


@pytest.fixture
def supervisor(personas) -> User:
    return staff.case_staff_create(
        organisation=personas.home,
        by=SYSTEM,
        username="supervisor",
        role=Role.CASE_SUPERVISOR,
        password=PASSWORD,
    )


@pytest.fixture
def worker(personas, supervisor) -> User:
    return staff.case_staff_create(
        organisation=personas.home,
        by=supervisor,
        username="worker",
        role=Role.CASE_WORKER,
        password=PASSWORD,
    )


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key):06d}"


# --- who provisions -------------------------------------------------------------------------


def test_a_supervisor_creates_a_case_worker_and_the_audit_names_no_case(supervisor, worker):
    assert worker.role == Role.CASE_WORKER and not worker.is_staff
    event = AuditEvent.objects.get(action="case_staff.create", object_id=str(worker.pk))
    assert event.actor == supervisor
    assert event.after == {"username": "worker", "role": "case_worker", "is_active": True}


@pytest.mark.parametrize("who", ["admin", "superuser", "outsider"])
def test_nobody_but_a_supervisor_of_the_organisation_creates_case_staff(personas, who):
    with pytest.raises(PermissionDenied):
        staff.case_staff_create(
            organisation=personas.home,
            by=getattr(personas, who),
            username="sneaky",
            role=Role.CASE_SUPERVISOR,
            password=PASSWORD,
        )
    assert not User.objects.filter(username="sneaky").exists()


def test_a_supervisor_of_another_organisation_creates_none_of_home_s_staff(personas, supervisor):
    outsider_supervisor = staff.case_staff_create(
        organisation=personas.other,
        by=SYSTEM,
        username="outsider_supervisor",
        role=Role.CASE_SUPERVISOR,
        password=PASSWORD,
    )
    with pytest.raises(PermissionDenied):
        staff.case_staff_create(
            organisation=personas.home,
            by=outsider_supervisor,
            username="sneaky",
            role=Role.CASE_WORKER,
            password=PASSWORD,
        )


def test_a_supervisor_promotes_and_deactivates_but_never_herself(personas, supervisor, worker):
    assert staff.case_staff_set_role(user=worker, by=supervisor, role=Role.CASE_SUPERVISOR)
    assert not staff.case_staff_set_role(user=worker, by=supervisor, role=Role.CASE_SUPERVISOR)
    with pytest.raises(PermissionDenied):
        staff.case_staff_set_role(user=supervisor, by=supervisor, role=Role.CASE_WORKER)
    with pytest.raises(ValidationError):  # a case supervisor gives case roles only
        staff.case_staff_set_role(user=worker, by=supervisor, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):  # nor turns a programme account into case staff
        staff.case_staff_set_role(user=personas.viewer, by=supervisor, role=Role.CASE_WORKER)
    assert staff.case_staff_deactivate(user=worker, by=supervisor)
    worker.refresh_from_db()
    assert not worker.is_active
    assert set(
        AuditEvent.objects.filter(object_id=str(worker.pk)).values_list("action", flat=True)
    ) == {
        "case_staff.create",
        "case_staff.set_role",
        "case_staff.deactivate",
    }


def test_the_admin_cannot_promote_or_deactivate_case_staff(personas, worker):
    for who in (personas.admin, personas.superuser):
        with pytest.raises(PermissionDenied):
            staff.case_staff_set_role(user=worker, by=who, role=Role.CASE_SUPERVISOR)
        with pytest.raises(PermissionDenied):
            staff.case_staff_deactivate(user=worker, by=who)


def test_the_staff_page_is_the_supervisors_only(client, personas, supervisor, worker):
    verified_login(client, supervisor)
    page = client.get(reverse("cases:staff"))
    assert page.status_code == 200 and b"worker" in page.content
    created = client.post(
        reverse("cases:staff"),
        {"username": "new_worker", "role": Role.CASE_WORKER, "password": "a-long-pass-phrase-9"},
    )
    assert created.status_code == 302
    assert User.objects.get(username="new_worker").role == Role.CASE_WORKER
    client.logout()
    verified_login(client, worker)
    assert client.get(reverse("cases:staff")).status_code == 404
    client.force_login(personas.admin)
    assert client.get(reverse("cases:staff")).status_code == 404


def test_the_first_supervisor_comes_from_the_platform_command(personas):
    out = io.StringIO()
    call_command(
        "case_supervisor", "create", "--organisation", "home", "--username", "first", stdout=out
    )
    first = User.objects.get(username="first")
    assert first.role == Role.CASE_SUPERVISOR and first.organisation == personas.home
    device = TOTPDevice.objects.get(user=first)
    assert not device.confirmed  # her first code, at sign-in, confirms it
    assert "otpauth://totp/" in out.getvalue()
    event = AuditEvent.objects.get(action="case_staff.create", object_id=str(first.pk))
    assert event.actor is None and event.system_actor == "system"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):  # from now on, supervisors add the others
        call_command("case_supervisor", "create", "--organisation", "home", "--username", "second")
    assert not User.objects.filter(username="second").exists()


# --- the verify page never enrols --------------------------------------------------------------


def test_the_verify_page_of_a_worker_without_a_phone_shows_no_secret_and_creates_no_device(
    client, worker
):
    client.force_login(worker)
    page = client.get(reverse("cases:verify"))
    assert page.status_code == 403
    assert b"Ask your case supervisor to enrol your phone" in page.content
    assert b"otpauth" not in page.content and b"Key" not in page.content
    assert not TOTPDevice.objects.filter(user=worker).exists()
    posted = client.post(reverse("cases:verify"), {"token": "123456"})
    assert posted.status_code == 403
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert client.get(reverse("cases:list")).status_code == 302  # still no case page


def test_enrolment_by_the_supervisor_then_the_worker_s_code_lets_her_in(client, supervisor, worker):
    verified_login(client, supervisor)
    started = client.post(reverse("cases:staff_enrol", args=[worker.pk]), {"start": "1"})
    assert started.status_code == 302
    device = TOTPDevice.objects.get(user=worker)
    assert not device.confirmed
    page = client.get(reverse("cases:staff_enrol", args=[worker.pk]))
    assert page.status_code == 200
    secret = base64.b32encode(device.bin_key)
    assert b"<svg" in page.content and b"otpauth://totp/" in page.content and secret in page.content
    assert AuditEvent.objects.filter(action="case_staff.enrol_start", actor=supervisor).exists()
    client.logout()

    client.force_login(worker)
    verify = client.get(reverse("cases:verify"))
    assert verify.status_code == 200
    assert b"otpauth" not in verify.content and secret not in verify.content
    response = client.post(reverse("cases:verify"), {"token": _code(device)})
    assert response.status_code == 302 and response.url == reverse("cases:list")
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEvent.objects.filter(action="case_staff.enrol_confirm", actor=worker).exists()


def test_the_worker_may_confirm_on_the_supervisor_s_screen(client, supervisor, worker):
    device = staff.enrolment_start(user=worker, by=supervisor)
    verified_login(client, supervisor)
    url = reverse("cases:staff_enrol", args=[worker.pk])
    assert client.post(url, {"token": _code(device)}).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    # once confirmed, the key is shown nowhere again
    assert base64.b32encode(device.bin_key) not in client.get(url).content


def test_a_wrong_code_confirms_nothing(client, supervisor, worker):
    device = staff.enrolment_start(user=worker, by=supervisor)
    wrong = "000000" if _code(device) != "000000" else "111111"
    client.force_login(worker)
    response = client.post(reverse("cases:verify"), {"token": wrong})
    assert response.status_code == 200 and b"not right" in response.content
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("cases:list")).status_code == 302
    assert not staff.enrolment_confirm(device=device, by=supervisor, token=wrong)
    assert not AuditEvent.objects.filter(action="case_staff.enrol_confirm").exists()


def test_nobody_enrols_her_own_phone_and_the_admin_enrols_none(personas, supervisor, worker):
    for who, whom in [
        (supervisor, supervisor),
        (personas.admin, worker),
        (personas.superuser, worker),
    ]:
        with pytest.raises(PermissionDenied):
            staff.enrolment_start(user=whom, by=who)
    assert not TOTPDevice.objects.exists()


# --- the django-otp admin ----------------------------------------------------------------------


def test_the_superuser_s_totp_admin_hides_the_key(client, personas, supervisor, worker):
    device = staff.enrolment_start(user=worker, by=supervisor)
    staff.enrolment_confirm(device=device, by=worker, token=_code(device))
    client.force_login(personas.superuser)
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key.encode() not in change.content
    assert b'name="key"' not in change.content
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listing.status_code == 200 and b"qrcode" not in listing.content
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    config = client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk]))
    assert config.status_code in {403, 404}


@pytest.mark.parametrize(
    "who", ["admin", "me_officer", "viewer", "superuser", "worker", "outsider_supervisor"]
)
def test_every_staff_url_is_404_to_all_but_her_organisation_s_supervisors(
    client, personas, supervisor, worker, who
):
    outsider_supervisor = staff.case_staff_create(
        organisation=personas.other,
        by=SYSTEM,
        username="outsider_supervisor",
        role=Role.CASE_SUPERVISOR,
        password=PASSWORD,
    )
    user = {"worker": worker, "outsider_supervisor": outsider_supervisor}.get(who) or getattr(
        personas, who
    )
    verified_login(client, user)
    for name, method in [
        ("cases:staff_enrol", "get"),
        ("cases:staff_enrol", "post"),
        ("cases:staff_role", "post"),
        ("cases:staff_deactivate", "post"),
    ]:
        data = {"start": "1", "role": Role.CASE_SUPERVISOR}
        response = getattr(client, method)(reverse(name, args=[worker.pk]), data)
        assert response.status_code == 404, (who, name, method)
    worker.refresh_from_db()
    assert worker.is_active and worker.role == Role.CASE_WORKER
    assert not TOTPDevice.objects.filter(user=worker, confirmed=False).exists()  # none started
