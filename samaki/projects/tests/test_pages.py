"""Projects set up in the app: created, edited and closed by the organisation's managers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.services import ActivityFields, activity_create
from samaki.audit.models import AuditEvent
from samaki.conftest import ANGKOR_THUM, VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.organisations.services import consortium_create, organisation_create
from samaki.projects.models import Project
from samaki.projects.services import project_close, project_create, project_update

pytestmark = pytest.mark.django_db
START, END = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)


@pytest.fixture
def consortium(personas):
    """Home leads a consortium whose member is a partner organisation."""
    partner = organisation_create(by=SYSTEM, slug="partner", name_en="Partner NGO", acronym="PNGO")
    return consortium_create(
        by=SYSTEM, slug="c", name_en="Consortium", lead=personas.home, members=[partner]
    )


@pytest.fixture
def project(personas):
    return project_create(
        organisation=personas.home,
        by=SYSTEM,
        code="p",
        name_en="Project",
        starts_on=START,
        ends_on=END,
        target_area_codes=[ANGKOR_THUM],
    )


def _activity(personas, project, day):
    return activity_create(
        organisation=personas.home,
        by=SYSTEM,
        fields=ActivityFields(
            kind_code="training", date=day, area_code=VILLAGE_IN_ANGKOR_THUM, project=project
        ),
    )


def _form(**changes):
    data = {
        "code": "wee-2025",
        "name_en": "Women's economic empowerment",
        "name_km": "ការលើកកម្ពស់សេដ្ឋកិច្ចស្ត្រី",
        "donor": "",
        "consortium": "",
        "starts_on": "2024-01-01",
        "ends_on": "2025-12-31",
    }
    data.update(changes)
    return data


def test_an_me_officer_creates_a_project_with_partners_donor_and_areas(
    client, personas, consortium
):
    partner = consortium.members.get()
    client.force_login(personas.me_officer)
    assert client.get(reverse("projects:create")).status_code == 200
    response = client.post(
        reverse("projects:create"),
        _form(
            donor=personas.donor.pk,
            consortium=consortium.pk,
            partners=[partner.pk],
            target_areas=[VILLAGE_IN_BANTEAY_SREI],
            target_province="17",
            target_district=ANGKOR_THUM,
        ),
    )
    project = Project.objects.get(code="wee-2025")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert (project.organisation, project.donor, project.consortium) == (
        personas.home,
        personas.donor,
        consortium,
    )
    assert project.name_km == "ការលើកកម្ពស់សេដ្ឋកិច្ចស្ត្រី"
    assert list(project.partners.all()) == [partner]
    # The ticked area and the one still in the picker (the district) are both added.
    assert sorted(project.target_areas.values_list("code", flat=True)) == [
        ANGKOR_THUM,
        VILLAGE_IN_BANTEAY_SREI,
    ]
    event = AuditEvent.objects.get(action="project.create")
    assert event.actor == personas.me_officer
    assert event.after["partners"] == [partner.pk]


def test_add_this_area_adds_the_picked_area_without_saving(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("projects:create"),
        _form(target_areas=[VILLAGE_IN_BANTEAY_SREI], target_province="17", _add="1")
        | {"target_district": ANGKOR_THUM},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert [code for code, _label in form.fields["target_areas"].choices] == [
        ANGKOR_THUM,
        VILLAGE_IN_BANTEAY_SREI,
    ]
    assert form["target_district"].value() == ""
    assert not Project.objects.exists()


def test_bad_input_shows_field_errors_and_saves_nothing(client, personas):
    client.force_login(personas.admin)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("projects:create"),
        _form(name_en="", code="not a code", ends_on="2023-12-31"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name_en", "code", "ends_on"}
    assert errors["ends_on"] == ["The project ends before it starts."]
    assert not Project.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_duplicate_code_and_a_consortium_she_is_not_in_are_refused_next_to_their_fields(
    client, personas, project
):
    foreign = consortium_create(
        by=SYSTEM, slug="f", name_en="Foreign", lead=personas.other, members=[]
    )
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        project_create(
            organisation=personas.home,
            by=personas.admin,
            code="p",
            name_en="Again",
            starts_on=START,
            ends_on=END,
            consortium=foreign,
            partners=[personas.home],
            target_area_codes=["99999999"],
        )
    assert set(error.value.message_dict) == {"code", "consortium", "partners", "target_areas"}
    assert Project.objects.count() == 1
    assert AuditEvent.objects.count() == before


def test_who_may_create(client, personas):
    for user, status in [
        (personas.viewer, 403),
        (personas.facilitator, 403),
        (personas.donor_viewer, 403),
        (personas.superuser, 404),  # she has no organisation: the admin is hers
    ]:
        client.force_login(user)
        assert client.get(reverse("projects:create")).status_code == status, user
        assert client.post(reverse("projects:create"), _form()).status_code == status, user
    assert not Project.objects.exists()
    with pytest.raises(PermissionDenied):
        project_create(
            organisation=personas.home,
            by=personas.facilitator,
            code="x",
            name_en="x",
            starts_on=START,
            ends_on=END,
        )


def test_the_list_offers_new_project_to_managers_only(client, personas, project):
    client.force_login(personas.me_officer)
    assert reverse("projects:create") in client.get(reverse("projects:list")).content.decode()
    client.force_login(personas.viewer)
    page = client.get(reverse("projects:list")).content.decode()
    assert reverse("projects:create") not in page
    assert "Project" in page


def test_editing_changes_the_project_and_writes_one_audit_row(client, personas, project):
    client.force_login(personas.admin)
    edit = reverse("projects:edit", args=[project.pk])
    page = client.get(edit)
    assert page.status_code == 200
    assert page.context["form"]["target_areas"].value() == [ANGKOR_THUM]
    response = client.post(
        edit,
        _form(code="p", name_en="Renamed", starts_on="2024-01-01", ends_on="2024-06-30"),
    )  # no area ticked: Angkor Thum is removed
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name_en, project.ends_on) == ("Renamed", datetime.date(2024, 6, 30))
    assert not project.target_areas.exists()
    event = AuditEvent.objects.get(action="project.update")
    assert event.before["name_en"] == "Project"
    assert event.after["target_areas"] == []
    # Saving the same again changes nothing and writes nothing.
    assert not project_update(
        project=project,
        by=personas.admin,
        code="p",
        name_en="Renamed",
        name_km="ការលើកកម្ពស់សេដ្ឋកិច្ចស្ត្រី",
        starts_on=START,
        ends_on=datetime.date(2024, 6, 30),
    )
    assert AuditEvent.objects.filter(action="project.update").count() == 1


def test_the_period_cannot_shrink_around_recorded_activities(client, personas, project):
    _activity(personas, project, datetime.date(2024, 3, 8))
    _activity(personas, project, datetime.date(2024, 11, 8))
    client.force_login(personas.me_officer)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        _form(code="p", name_en="Project", starts_on="2024-04-01", ends_on="2024-10-31"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["starts_on"] == [
        "1 activity, outcome or budget line of this project would fall outside "
        "2024-04-01 – 2024-10-31: keep the period around the records."
    ]
    assert "would fall outside" in errors["ends_on"][0]
    project.refresh_from_db()
    assert (project.starts_on, project.ends_on) == (START, END)
    assert AuditEvent.objects.count() == before


def test_access_to_edit_and_close(client, personas, project):
    for name in ("projects:edit", "projects:close"):
        url = reverse(name, args=[project.pk])
        for user, status in [
            (personas.outsider, 404),
            (personas.viewer, 403),
            (personas.facilitator, 403),
            (personas.me_officer, 200),
        ]:
            client.force_login(user)
            assert client.get(url).status_code == status, (name, user)
    client.force_login(personas.viewer)
    client.post(reverse("projects:close", args=[project.pk]), {"closed_on": "2024-06-30"})
    project.refresh_from_db()
    assert project.closed_on is None


def test_a_closed_project_refuses_records_dated_after_it_closed(client, personas, project):
    client.force_login(personas.me_officer)
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("projects:close", args=[project.pk]) in detail
    response = client.post(
        reverse("projects:close", args=[project.pk]), {"closed_on": "2024-06-30"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.closed_on == datetime.date(2024, 6, 30)
    assert AuditEvent.objects.get(action="project.close").after == {"closed_on": "2024-06-30"}
    with pytest.raises(ValidationError) as error:
        _activity(personas, project, datetime.date(2024, 7, 1))
    assert error.value.message_dict["date"] == [
        "The project closed on 2024-06-30: nothing dated after it is recorded."
    ]
    assert _activity(personas, project, datetime.date(2024, 6, 30)).project == project
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Closed on 30/06/2024" in page
    assert reverse("projects:close", args=[project.pk]) not in page


def test_closing_bad_input_shows_the_error_and_changes_nothing(client, personas, project, today):
    _activity(personas, project, datetime.date(2024, 5, 1))
    client.force_login(personas.admin)
    before = AuditEvent.objects.count()
    for closed_on, message in [
        ("", "This field is required."),
        ("2023-12-31", "The project closes before it starts."),
        (str(today + datetime.timedelta(days=1)), "A project is closed on a day that has come"),
        ("2024-04-30", "1 activity or outcome of this project is dated after this day."),
    ]:
        response = client.post(
            reverse("projects:close", args=[project.pk]), {"closed_on": closed_on}
        )
        assert response.status_code == 200
        assert message in response.context["form"].errors["closed_on"][0]
    project.refresh_from_db()
    assert project.closed_on is None
    assert AuditEvent.objects.count() == before
    project_close(project=project, by=personas.admin, closed_on=datetime.date(2024, 6, 30))
    with pytest.raises(ValidationError):
        project_close(project=project, by=personas.admin, closed_on=datetime.date(2024, 7, 30))


def _projects(personas, consortium, n):
    partner = consortium.members.get()
    for i in range(n):
        project_create(
            organisation=personas.home,
            by=SYSTEM,
            code=f"q{i}",
            name_en=f"Q {i}",
            starts_on=START,
            ends_on=END,
            donor=personas.donor,
            consortium=consortium,
            partners=[partner],
            target_area_codes=[ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI][: 1 + i % 2],
        )


@pytest.mark.parametrize("rows", [1, 4])
def test_the_list_makes_the_same_number_of_queries_for_more_rows(
    client, personas, consortium, rows, django_assert_num_queries
):
    _projects(personas, consortium, rows)
    client.force_login(personas.me_officer)
    # session, user, her organisation (the header), projects (with organisation and donor)
    with django_assert_num_queries(4):
        response = client.get(reverse("projects:list"))
    assert len(response.context["projects"]) == rows


@pytest.mark.parametrize("rows", [1, 4])
def test_the_detail_makes_the_same_number_of_queries_for_more_partners_and_areas(
    client, personas, consortium, rows, django_assert_num_queries
):
    _projects(personas, consortium, 1)
    project = Project.objects.get()
    others = [organisation_create(by=SYSTEM, slug=f"o{i}", name_en=f"O {i}") for i in range(rows)]
    project.partners.add(*others)
    client.force_login(personas.me_officer)
    # session, user, her organisation (the header), project (with organisation, donor and
    # consortium), whether she reads its budget, partners, areas, reporting periods
    with django_assert_num_queries(8):
        response = client.get(reverse("projects:detail", args=[project.pk]))
    assert len(response.context["partners"]) == rows + 1
