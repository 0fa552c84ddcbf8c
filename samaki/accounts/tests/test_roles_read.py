"""Roles read what they need: a donor viewer her donor's projects only; case roles no programme data.

Both failed before samaki.accounts.access: the donor viewer's donor was never applied, and case
roles opened projects and dashboards.
"""

import datetime

import pytest
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role
from samaki.cases.staff import case_staff_create
from samaki.conftest import PASSWORD
from samaki.organisations.services import donor_create
from samaki.projects.queries import project_list
from samaki.projects.services import project_create
from samaki.reports.models import ReportJob
from samaki.reports.queries import report_job_list

START, END = datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)


@pytest.fixture
def projects(personas):
    elsewhere = donor_create(by=SYSTEM, slug="elsewhere", name_en="Another Donor")
    funded = project_create(
        organisation=personas.home,
        by=SYSTEM,
        code="FUNDED",
        name_en="Funded by her donor",
        starts_on=START,
        ends_on=END,
        donor=personas.donor,
    )
    other = project_create(
        organisation=personas.home,
        by=SYSTEM,
        code="OTHERDONOR",
        name_en="Funded by another donor",
        starts_on=START,
        ends_on=END,
        donor=elsewhere,
    )
    return funded, other


def _job(personas, project) -> ReportJob:
    return ReportJob.objects.create(
        organisation=personas.home,
        by=personas.admin,
        scope_kind="project",
        project=project,
        period_start=START,
        period_end=END,
        format="html",
        language="en",
    )


def test_a_donor_viewer_follows_her_donors_projects_only(client, personas, projects):
    funded, other = projects
    assert list(project_list(user=personas.donor_viewer)) == [funded]
    client.force_login(personas.donor_viewer)
    listing = client.get(reverse("projects:list")).content.decode()
    assert funded.name_en in listing and other.name_en not in listing
    assert client.get(reverse("projects:detail", args=[funded.pk])).status_code == 200
    for name in ["projects:detail", "reports:dashboard_project", "reports:project"]:
        assert client.get(reverse(name, args=[other.pk])).status_code == 404, name
    # Her organisation's whole dashboard mixes every donor's projects: not for her.
    assert client.get(reverse("reports:dashboard")).status_code == 404


def test_a_donor_viewer_sees_report_jobs_of_her_donors_projects_only(personas, projects):
    funded, other = projects
    mine, theirs = _job(personas, funded), _job(personas, other)
    assert set(report_job_list(user=personas.donor_viewer)) == {mine}
    assert set(report_job_list(user=personas.admin)) == {mine, theirs}


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.CASE_SUPERVISOR])
def test_case_roles_read_no_programme_data(client, personas, projects, role):
    funded, _other = projects
    _job(personas, funded)
    worker = case_staff_create(
        by=SYSTEM, organisation=personas.home, username=f"case-{role}", password=PASSWORD, role=role
    )
    assert not project_list(user=worker).exists()
    assert not report_job_list(user=worker).exists()
    client.force_login(worker)
    for name, args in [
        ("projects:detail", [funded.pk]),
        ("reports:dashboard_project", [funded.pk]),
        ("reports:project", [funded.pk]),
        ("reports:dashboard", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert funded.name_en not in client.get(reverse("projects:list")).content.decode()
