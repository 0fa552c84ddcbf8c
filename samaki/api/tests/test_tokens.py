"""One token model for scripts and phones: who may hold one, who issues it, when it stops working."""

import base64
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from samaki.accounts.models import Role
from samaki.api.models import Token
from samaki.api.services import token_authenticate, token_issue, token_revoke
from samaki.audit.models import AuditEvent

OPENROSA = {"HTTP_X_OPENROSA_VERSION": "1.0"}


def api_get(client, secret):
    return client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {secret}")


def phone_get(client, secret):
    auth = "Basic " + base64.b64encode(f"phone:{secret}".encode()).decode()
    return client.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=auth, **OPENROSA)


def issue(personas, user, kind, by=None):
    return token_issue(
        organisation=personas.home, by=by or personas.admin, user=user, kind=kind, name="x"
    )


def test_each_token_opens_its_own_channel_only(client, personas):
    _api, api_secret = issue(personas, personas.facilitator, "api")
    _phone, phone_secret = issue(personas, personas.facilitator, "phone")
    assert api_get(client, api_secret).status_code == 200
    assert phone_get(client, phone_secret).status_code == 200
    assert api_get(client, phone_secret).status_code == 401
    assert phone_get(client, api_secret).status_code == 401


def test_a_deactivated_users_tokens_stop_at_once(client, personas):
    _api, api_secret = issue(personas, personas.facilitator, "api")
    _phone, phone_secret = issue(personas, personas.facilitator, "phone")
    personas.facilitator.is_active = False
    personas.facilitator.save(update_fields=["is_active"])
    assert api_get(client, api_secret).status_code == 401
    assert phone_get(client, phone_secret).status_code == 401


def test_a_user_moved_to_a_case_role_loses_her_tokens(client, personas):
    _api, api_secret = issue(personas, personas.me_officer, "api")
    personas.me_officer.role = Role.CASE_WORKER
    personas.me_officer.save(update_fields=["role"])
    assert api_get(client, api_secret).status_code == 401


def test_case_roles_get_no_token_at_all(personas):
    personas.viewer.role = Role.CASE_SUPERVISOR
    personas.viewer.save(update_fields=["role"])
    for kind in ("api", "phone"):
        with pytest.raises(ValidationError):
            issue(personas, personas.viewer, kind)
        with pytest.raises(ValidationError):
            issue(personas, personas.viewer, kind, by=personas.viewer)
    assert Token.objects.count() == 0


def test_a_phone_acts_only_as_someone_who_writes(personas):
    with pytest.raises(ValidationError):
        issue(personas, personas.viewer, "phone")
    token, _secret = issue(personas, personas.viewer, "api")
    assert token.kind == "api"


def test_only_her_administrator_issues_for_someone_else(personas):
    with pytest.raises(PermissionDenied):
        issue(personas, personas.me_officer, "api", by=personas.facilitator)
    with pytest.raises(PermissionDenied):
        issue(personas, personas.facilitator, "phone", by=personas.outsider)
    mine, _secret = issue(personas, personas.facilitator, "phone", by=personas.facilitator)
    assert mine.user == personas.facilitator
    with pytest.raises(PermissionDenied):
        token_revoke(token=mine, by=personas.me_officer)
    assert token_revoke(token=mine, by=personas.facilitator) is True


def test_issue_and_revoke_are_audited_once_with_the_actor(personas):
    token, _secret = issue(personas, personas.facilitator, "phone")
    assert token_revoke(token=token, by=personas.admin) is True
    assert token_revoke(token=token, by=personas.admin) is False  # already revoked: no row
    rows = AuditEvent.objects.filter(object_type="api.token", object_id=str(token.pk))
    assert sorted(rows.values_list("action", "actor")) == [
        ("token.issue", personas.admin.pk),
        ("token.revoke", personas.admin.pk),
    ]


def test_the_command_issues_a_phone_token_as_the_system(personas):
    out = io.StringIO()
    call_command("api_token", "facilitator", "Sokha's phone", "--kind", "phone", stdout=out)
    token = token_authenticate(out.getvalue().strip(), kind="phone")
    assert token is not None
    assert token.user == personas.facilitator
    row = AuditEvent.objects.get(action="token.issue")
    assert (row.actor, row.system_actor) == (None, "system")


@pytest.mark.django_db(transaction=True)
def test_migration_moves_both_old_tables_and_their_secrets_keep_working(personas):
    old = [("api", "0001_api_tokens"), ("openrosa", "0001_phone_forms_devices_submissions")]
    executor = MigrationExecutor(connection)
    executor.migrate(old)
    apps = executor.loader.project_state(old).apps

    def sha(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    common = {"organisation_id": personas.home.pk, "user_id": personas.facilitator.pk}
    apps.get_model("api", "ApiToken").objects.create(
        name="sync", secret_sha256=sha("api-secret"), **common
    )
    device = apps.get_model("openrosa", "DeviceToken").objects.create(
        name="Sokha's phone", secret_sha256=sha("phone-secret"), **common
    )
    xform = apps.get_model("openrosa", "XForm").objects.create(
        organisation_id=personas.home.pk, form_id="f", title="F", purpose="keep", xml="<x/>", md5=""
    )
    apps.get_model("openrosa", "Submission").objects.create(
        organisation_id=personas.home.pk,
        xform=xform,
        instance_id="uuid:1",
        xml="<x/>",
        xml_sha256="",
        device=device,
        status="kept",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from samaki.openrosa.models import Submission

    phone = token_authenticate("phone-secret", kind="phone")
    script = token_authenticate("api-secret", kind="api")
    assert phone is not None and script is not None
    assert (phone.name, phone.user, script.name) == ("Sokha's phone", personas.facilitator, "sync")
    assert Submission.objects.get().device == phone
    assert token_authenticate("phone-secret", kind="api") is None
