from pathlib import Path

from samaki.api.models import Token
from samaki.api.services import token_issue
from samaki.openrosa.models import XForm

ARTIFACTS = Path(__file__).parent / "artifacts"


def test_admin_uploads_a_failing_xlsform_and_sees_its_rows(client, personas):
    client.force_login(personas.admin)
    path = ARTIFACTS / "xlsforms" / "02_unicef_liberia_coverage_mothers_ifa_iycf_counselling.xlsx"
    with open(path, "rb") as file:
        response = client.post("/openrosa/admin/forms/", {"xlsform": file, "purpose": "keep"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>126</td>" in page
    assert "Choice names must be unique" in page
    assert XForm.objects.count() == 0


def test_admin_serves_a_shipped_form_and_issues_a_token(client, personas):
    client.force_login(personas.admin)
    response = client.post("/openrosa/admin/forms/", {"shipped": "samaki_person_registration"})
    assert response.status_code == 302
    assert XForm.objects.get().form_id == "samaki_person_registration"
    response = client.post(
        "/openrosa/admin/devices/", {"name": "Sokha's phone", "user": personas.facilitator.pk}
    )
    assert "shown only once" in response.content.decode()
    token = Token.objects.get(kind="phone")
    assert token.user == personas.facilitator
    client.post(f"/openrosa/admin/devices/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_shipped_xlsform_downloads(client, personas):
    client.force_login(personas.viewer)
    response = client.get("/openrosa/admin/forms/samaki_session_attendance.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_only_administrators_open_the_form_and_device_pages(client, personas):
    for user in (personas.me_officer, personas.facilitator, personas.outsider):
        client.force_login(user)
        assert client.get("/openrosa/admin/devices/").status_code in {404, 200}
    client.force_login(personas.facilitator)
    assert client.get("/openrosa/admin/devices/").status_code == 404
    assert client.get("/openrosa/admin/forms/").status_code == 404


def test_outsider_cannot_revoke_home_devices(client, personas):
    token, _secret = token_issue(
        kind="phone",
        organisation=personas.home,
        by=personas.admin,
        user=personas.facilitator,
        name="x",
    )
    client.force_login(personas.outsider)
    assert client.post(f"/openrosa/admin/devices/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
