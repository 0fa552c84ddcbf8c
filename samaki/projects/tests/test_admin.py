"""Projects and sites are added in the admin through their services."""

from django.urls import reverse

from samaki.areas.models import Area
from samaki.audit.models import AuditEvent
from samaki.conftest import ANGKOR_THUM, VILLAGE_IN_ANGKOR_THUM
from samaki.organisations.models import Site
from samaki.projects.models import Project


def project_data(**changes) -> dict:
    data = {
        "code": "fia",
        "name_en": "Feminists in Action",
        "name_km": "",
        "donor": "",
        "consortium": "",
        "partners": [],
        "starts_on": "2023-01-01",
        "ends_on": "2026-12-31",
        "target_areas": [str(Area.objects.get(code=ANGKOR_THUM).pk)],
    }
    data.update(changes)
    return data


def test_a_project_is_added_with_its_target_areas_and_an_audit_row(client, personas):
    client.force_login(personas.admin)

    response = client.post(reverse("admin:projects_project_add"), project_data())

    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.organisation, [area.code for area in project.target_areas.all()]) == (
        personas.home,
        [ANGKOR_THUM],
    )
    assert AuditEvent.objects.get(action="project.create").actor == personas.admin


def test_a_project_ending_before_it_starts_is_refused(client, personas):
    client.force_login(personas.admin)

    response = client.post(
        reverse("admin:projects_project_add"), project_data(ends_on="2022-12-31")
    )

    assert response.context["adminform"].form.errors == {
        "ends_on": ["The project ends before it starts."]
    }
    assert not Project.objects.exists()


def test_a_site_is_added_for_her_organisation(client, personas):
    client.force_login(personas.me_officer)

    response = client.post(
        reverse("admin:organisations_site_add"),
        {
            "name_en": "Siem Reap office",
            "name_km": "",
            "kind": "office",
            "area": str(Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM).pk),
            "established_on": "",
        },
    )

    assert response.status_code == 302
    site = Site.objects.get()
    assert (site.organisation, site.area.code) == (personas.home, VILLAGE_IN_ANGKOR_THUM)
    assert AuditEvent.objects.get(action="site.create").object_id == str(site.pk)
