import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samaki.activities.models import Activity, ActivityKind, Attendance, Headcount
from samaki.activities.services import (
    ActivityFields,
    HeadcountCell,
    activity_create,
    attendance_set,
    headcount_set,
)
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.people.services import PersonFields, person_register
from samaki.projects.services import project_create

DAY = datetime.date(2024, 8, 1)


def session(personas, **extra):
    values = {
        "kind_code": "training",
        "date": DAY,
        "area_code": VILLAGE_IN_ANGKOR_THUM,
        "topic_codes": ("health",),
    }
    values.update(extra)
    return activity_create(
        organisation=personas.home, by=personas.admin, fields=ActivityFields(**values)
    )


def test_attendance_is_a_set_sending_it_again_changes_nothing(personas):
    activity = session(personas)
    a, b = personas.person(name="A"), personas.person(name="B")
    attendance_set(activity=activity, by=personas.admin, people=[a, b])
    events = AuditEvent.objects.count()
    attendance_set(activity=activity, by=personas.admin, people=[b, a])
    assert Attendance.objects.filter(activity=activity).count() == 2
    assert AuditEvent.objects.count() == events
    attendance_set(activity=activity, by=personas.admin, people=[a])
    assert list(activity.attendances.values_list("person_id", flat=True)) == [a.pk]


def test_the_same_person_twice_in_one_list_is_refused_and_nothing_is_written(personas):
    activity = session(personas)
    a, b = personas.person(name="Sokha"), personas.person(name="B")
    with pytest.raises(ValidationError) as refused:
        attendance_set(activity=activity, by=personas.admin, people=[a, b, a])
    assert "Sokha" in refused.value.message_dict["people"][0]
    assert not Attendance.objects.exists()


def test_another_organisations_person_cannot_attend(personas):
    activity = session(personas)
    stranger = person_register(
        organisation=personas.other,
        by=personas.outsider,
        fields=PersonFields(
            name_latin="Stranger", sex="female", village_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    with pytest.raises(ValidationError):
        attendance_set(activity=activity, by=personas.admin, people=[stranger])
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"kind_code": "party"}, "kind_code"),
        ({"area_code": "00000000"}, "area_code"),
        ({"topic_codes": ("health", "health")}, "topic_codes"),
        ({"topic_codes": ("astrology",)}, "topic_codes"),
        ({"date": datetime.date(2999, 1, 1)}, "date"),
    ],
)
def test_bad_activities_are_refused_with_the_field_named(personas, bad, field):
    with pytest.raises(ValidationError) as refused:
        session(personas, **bad)
    assert field in refused.value.message_dict
    assert not Activity.objects.exists()


def test_an_activity_outside_its_projects_period_is_refused(personas):
    project = project_create(
        organisation=personas.home,
        by=personas.admin,
        code="p",
        name_en="P",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 6, 30),
    )
    with pytest.raises(ValidationError) as refused:
        session(personas, project=project)
    assert "date" in refused.value.message_dict


def test_an_organisations_own_kind_is_used_and_others_do_not_see_it(personas):
    ActivityKind.objects.create(
        organisation=personas.home, code="radio_show", name_en="Radio show", name_km="កម្មវិធីវិទ្យុ"
    )
    assert session(personas, kind_code="radio_show").kind.organisation == personas.home
    with pytest.raises(ValidationError):
        activity_create(
            organisation=personas.other,
            by=personas.outsider,
            fields=ActivityFields(
                kind_code="radio_show", date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM
            ),
        )


def test_headcount_replaces_its_cells_and_refuses_a_band_counted_twice(personas):
    activity = session(personas, kind_code="campaign", topic_codes=())
    headcount_set(
        activity=activity,
        by=personas.admin,
        cells=[
            HeadcountCell(sex="female", age_min=0, age_max=17, count=300),
            HeadcountCell(sex="female", age_min=18, count=1000),
        ],
    )
    with pytest.raises(ValidationError):
        headcount_set(
            activity=activity,
            by=personas.admin,
            cells=[
                HeadcountCell(sex="male", age_min=18, count=1),
                HeadcountCell(sex="male", age_min=18, count=2),
            ],
        )
    assert sorted(Headcount.objects.values_list("count", flat=True)) == [300, 1000]


def test_facilitator_cannot_record_outside_her_district(personas):
    with pytest.raises(PermissionDenied):
        activity_create(
            organisation=personas.home,
            by=personas.facilitator,
            fields=ActivityFields(
                kind_code="training", date=DAY, area_code=VILLAGE_IN_BANTEAY_SREI
            ),
        )
