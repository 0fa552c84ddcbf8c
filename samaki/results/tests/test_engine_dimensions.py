"""ID Poor, sensitive self-identifications and custom attributes as dimensions and filters.

Each split keeps the cell-sum rule (cells add up to the total), a self-identification is read
only under consent, and every figure is still one query (SQLite and PostgreSQL alike).
"""

import datetime

import pytest

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.people.models import (
    Consent,
    ConsentPurpose,
    IdPoor,
    PersonAttribute,
    PersonAttributeValue,
    SelfIdentification,
)
from samaki.people.services import AttributeNames, consent_withdraw, person_attribute_declare
from samaki.projects.models import Project
from samaki.results.engine import (
    NOT_RECORDED,
    AttributeDimension,
    Dimension,
    Filters,
    IndicatorDefinition,
    IndicatorError,
    Measure,
    Period,
    dimension_choices,
    format_dimensions,
    indicator_compute,
    indicator_records,
    parse_dimensions,
)

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2024Q1")
DAY = datetime.date(2024, 2, 10)


@pytest.fixture
def session(personas):
    kind = ActivityKind.objects.get(organisation=None, code="training")
    return Activity.objects.create(
        organisation=personas.home,
        kind=kind,
        date=DAY,
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )


def attend(session, *people):
    for person in people:
        Attendance.objects.create(
            organisation=session.organisation, activity=session, person=person
        )


def self_identify(person, *, consent_on=DAY, withdrawn_on=None, **answers):
    SelfIdentification.objects.create(
        organisation=person.organisation, person=person, consented_on=DAY, **answers
    )
    if consent_on is not None:
        Consent.objects.create(
            organisation=person.organisation,
            person=person,
            purpose=ConsentPurpose.SENSITIVE,
            given_on=consent_on,
            withdrawn_on=withdrawn_on,
        )


def reach(personas, dimensions=(), period=Q1, **filters):
    definition = IndicatorDefinition(
        measure=Measure.DISTINCT_PEOPLE, filters=Filters(**filters), dimensions=dimensions
    )
    return indicator_compute(definition, organisations=[personas.home.pk], period=period)


# --- stored codes -----------------------------------------------------------------------------


def test_stored_codes_parse_to_dimensions_and_back():
    text = "sex, id_poor,self_identification:lgbtqi,attribute:single_mother"
    dimensions = parse_dimensions(text)
    assert dimensions == (
        Dimension.SEX,
        Dimension.ID_POOR,
        Dimension.LGBTQI,
        AttributeDimension("single_mother"),
    )
    assert (
        format_dimensions(dimensions)
        == "sex,id_poor,self_identification:lgbtqi,attribute:single_mother"
    )
    assert parse_dimensions("") == ()


@pytest.mark.parametrize(
    "text",
    [
        "caste",
        "self_identification",
        "self_identification:religion",
        "attribute:",
        "attribute:Bad Code",
        "attribute:a__b",
    ],
)
def test_an_unknown_code_is_refused_with_a_message(text):
    with pytest.raises(IndicatorError, match=r"Unknown disaggregation|not an attribute code"):
        parse_dimensions(text)


@pytest.mark.parametrize(
    "dimension", [Dimension.ID_POOR, Dimension.INDIGENOUS, AttributeDimension("migrant")]
)
def test_sessions_and_headcounts_cannot_be_split_by_a_person_only_dimension(dimension):
    for measure in (Measure.SESSIONS, Measure.HEADCOUNT):
        with pytest.raises(IndicatorError, match="cannot be split"):
            IndicatorDefinition(measure=measure, dimensions=(dimension,))
    with pytest.raises(IndicatorError, match="cannot be filtered"):
        IndicatorDefinition(measure=Measure.SESSIONS, filters=Filters(id_poor=("poor_1",)))


def test_the_form_offers_the_projects_attributes_and_the_organisations(personas):
    project, other_project = (
        Project.objects.create(
            organisation=personas.home,
            code=code,
            name_en=code,
            starts_on=datetime.date(2024, 1, 1),
            ends_on=datetime.date(2025, 1, 1),
        )
        for code in ("p1", "p2")
    )
    declare = lambda code, **kw: person_attribute_declare(  # noqa: E731
        by=personas.admin,
        organisation=kw.pop("organisation", personas.home),
        code=code,
        names=AttributeNames(name_en=code.title(), name_km="ខ" if code == "migrant" else ""),
        **kw,
    )
    declare("migrant")
    declare("single_mother", project=project)
    declare("fisher", project=other_project)
    declare("old_one")
    PersonAttribute.objects.filter(code="old_one").update(retired=True)
    person_attribute_declare(
        by=personas.outsider,
        organisation=personas.other,
        code="elsewhere",
        names=AttributeNames(name_en="E"),
    )
    codes = [
        code
        for code, _label in dimension_choices(
            organisation_id=personas.home.pk, project_id=project.pk
        )
    ]
    assert codes == [
        "sex", "age_band", "disability", "province", "district", "commune", "organisation",
        "id_poor", "self_identification:indigenous", "self_identification:lgbtqi",
        "self_identification:living_with_hiv", "attribute:migrant", "attribute:single_mother",
    ]  # fmt: skip
    assert (
        dict(dimension_choices(organisation_id=personas.home.pk, project_id=None))[
            "attribute:migrant"
        ]
        == "Migrant"
    )
    kept = dimension_choices(
        organisation_id=personas.home.pk, project_id=None, keep=["attribute:old_one"]
    )
    assert [code for code, _label in kept][-2:] == ["attribute:migrant", "attribute:old_one"]


# --- ID Poor ----------------------------------------------------------------------------------


def test_id_poor_splits_and_filters(personas, session):
    people = [
        personas.person(name="A", id_poor=IdPoor.LEVEL_1),
        personas.person(name="B", id_poor=IdPoor.LEVEL_1),
        personas.person(name="C", id_poor=IdPoor.LEVEL_2),
        personas.person(name="D"),
    ]
    attend(session, *people)
    value = reach(personas, (Dimension.ID_POOR,))
    assert value.cells == {("poor_1",): 2, ("poor_2",): 1, ("unknown",): 1}
    assert value.total == 4
    assert reach(personas, id_poor=("poor_1", "poor_2")).total == 3
    by_age = reach(personas, (Dimension.AGE_BAND, Dimension.ID_POOR))
    assert sum(by_age.cells.values()) == by_age.total == 4


# --- custom attributes ------------------------------------------------------------------------


def test_an_attribute_splits_yes_and_no_and_filters(personas, session):
    migrant = person_attribute_declare(
        by=personas.admin,
        organisation=personas.home,
        code="migrant",
        names=AttributeNames(name_en="Migrant"),
    )
    mother = person_attribute_declare(
        by=personas.admin,
        organisation=personas.home,
        code="single_mother",
        names=AttributeNames(name_en="Single mother"),
    )
    a, b, c = (personas.person(name=name) for name in "ABC")
    attend(session, a, b, c)
    Attendance.objects.create(
        organisation=personas.home,
        activity=Activity.objects.create(
            organisation=personas.home,
            kind=session.kind,
            date=DAY + datetime.timedelta(days=1),
            area=session.area,
        ),
        person=a,
    )
    for person, attribute, value in [
        (a, migrant, True),
        (a, mother, True),
        (b, migrant, False),
        (c, mother, True),
    ]:
        PersonAttributeValue.objects.create(
            organisation=personas.home, person=person, attribute=attribute, value=value
        )
    value = reach(personas, (AttributeDimension("migrant"), AttributeDimension("single_mother")))
    # A attended twice and has both attributes: one person, one cell.
    assert value.cells == {("yes", "yes"): 1, ("no", "no"): 1, ("no", "yes"): 1}
    assert value.total == 3
    assert reach(personas, attributes=("migrant",)).total == 1
    assert reach(personas, attributes=("migrant", "single_mother")).total == 2  # any of them
    visits = indicator_compute(
        IndicatorDefinition(
            measure=Measure.ATTENDANCES, dimensions=(AttributeDimension("migrant"),)
        ),
        organisations=[personas.home.pk],
        period=Q1,
    )
    assert visits.cells == {("yes",): 2, ("no",): 2}
    records = indicator_records(
        IndicatorDefinition(
            measure=Measure.DISTINCT_PEOPLE, dimensions=(AttributeDimension("migrant"),)
        ),
        organisations=[personas.home.pk],
        period=Q1,
        cell=("yes",),
    )
    assert [r.person_id for r in records] == [a.pk]


# --- self-identification under consent ----------------------------------------------------------


def test_a_self_identification_counts_only_under_consent(personas, session):
    consented = personas.person(name="Consented")
    no_consent = personas.person(name="No consent")
    consented_later = personas.person(name="Later")
    withdrew = personas.person(name="Withdrew")
    not_asked = personas.person(name="Not asked")
    said_no = personas.person(name="Said no")
    self_identify(consented, lgbtqi=True, indigenous_group="Bunong")
    self_identify(no_consent, consent_on=None, lgbtqi=True, indigenous_group="Kuy")
    self_identify(consented_later, consent_on=datetime.date(2024, 5, 1), lgbtqi=True)
    self_identify(withdrew, withdrawn_on=datetime.date(2024, 6, 1), lgbtqi=True)
    self_identify(said_no, lgbtqi=False, living_with_hiv=False)
    attend(session, consented, no_consent, consented_later, withdrew, not_asked, said_no)

    value = reach(personas, (Dimension.LGBTQI,))
    assert value.cells == {("yes",): 1, ("no",): 1, (NOT_RECORDED,): 4}
    assert value.total == 6  # everyone is counted, only not always in a sensitive cell
    indigenous = reach(personas, (Dimension.INDIGENOUS,))
    assert indigenous.cells == {("yes",): 1, ("no",): 1, (NOT_RECORDED,): 4}
    hiv = reach(personas, (Dimension.LIVING_WITH_HIV, Dimension.SEX))
    assert hiv.cells == {("no", "female"): 1, (NOT_RECORDED, "female"): 5}
    by_age = reach(personas, (Dimension.LGBTQI, Dimension.AGE_BAND))  # the first-record path
    assert by_age.cells == {
        ("yes", "unknown"): 1,
        ("no", "unknown"): 1,
        (NOT_RECORDED, "unknown"): 4,
    }
    # Her consent given in May covers the year, not the first quarter.
    assert reach(personas, (Dimension.LGBTQI,), period=Period.parse("2024")).by(
        Dimension.LGBTQI
    ) == {
        "yes": 2,
        "no": 1,
        NOT_RECORDED: 3,
    }


def test_a_withdrawal_moves_her_to_not_recorded_and_keeps_her_reach(personas, session, today):
    she = personas.person(name="She")
    other = personas.person(name="Other")
    self_identify(she, consent_on=DAY, living_with_hiv=True)
    attend(session, she, other)
    period = Period(Q1.start, today)
    before = reach(personas, (Dimension.LIVING_WITH_HIV,), period=period)
    assert before.cells == {("yes",): 1, (NOT_RECORDED,): 1}

    consent = Consent.objects.get(person=she, purpose=ConsentPurpose.SENSITIVE)
    consent_withdraw(by=personas.facilitator, consent=consent, on=today)

    after = reach(personas, (Dimension.LIVING_WITH_HIV,), period=period)
    assert after.cells == {(NOT_RECORDED,): 2}
    assert reach(personas, period=period).total == before.total == 2  # her reach is unchanged
    # And the past: a first-quarter figure computed now no longer shows her either.
    assert reach(personas, (Dimension.LIVING_WITH_HIV,)).cells == {(NOT_RECORDED,): 2}
    assert not SelfIdentification.objects.filter(person=she).exists()  # erased


def test_every_new_split_and_filter_is_one_query(personas, session, django_assert_num_queries):
    person_attribute_declare(
        by=personas.admin,
        organisation=personas.home,
        code="migrant",
        names=AttributeNames(name_en="Migrant"),
    )
    people = [personas.person(name=f"P{i}", id_poor=IdPoor.LEVEL_1) for i in range(3)]
    for person in people:
        self_identify(person, lgbtqi=True)
    attend(session, *people)
    dimensions = (
        Dimension.ID_POOR,
        Dimension.LGBTQI,
        Dimension.INDIGENOUS,
        AttributeDimension("migrant"),
    )
    for extra in ((), (Dimension.AGE_BAND,)):
        with django_assert_num_queries(1):
            value = reach(personas, dimensions + extra, id_poor=("poor_1",))
        assert value.total == 3
    with django_assert_num_queries(1):
        assert reach(personas, attributes=("migrant",)).total == 0


# --- reports: exact inside, suppressed outside ----------------------------------------------------


def test_reports_suppress_the_new_splits_for_outside_readers(personas, session, today):
    from samaki.reports.queries import project_scope, report_build
    from samaki.results.models import ResultLevel
    from samaki.results.services import framework_create, indicator_add, result_add
    from samaki.results.suppression import Audience

    project = Project.objects.create(
        organisation=personas.home,
        code="p",
        name_en="P",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    session.project = project
    session.save()
    person_attribute_declare(
        by=personas.admin,
        organisation=personas.home,
        code="migrant",
        names=AttributeNames(name_en="Migrant"),
        project=project,
    )
    people = [personas.person(name=f"P{i}") for i in range(9)]
    for person in people[:2]:
        self_identify(person, lgbtqi=True)
    attend(session, *people)
    framework = framework_create(project=project, by=personas.admin)
    goal = result_add(
        framework=framework, by=personas.admin, level=ResultLevel.GOAL, code="G", statement_en="G"
    )
    indicator_add(
        result=goal,
        by=personas.admin,
        code="1",
        name_en="Reached",
        measure="distinct_people",
        dimensions="self_identification:lgbtqi,attribute:migrant",
    )

    def cells(audience):
        data = report_build(
            scope=project_scope(project, audience=audience), period=Q1, language="en", today=today
        )
        (figure,) = data.indicators
        return figure.cells, figure.cross_cells

    inside, inside_cross = cells(Audience.INTERNAL)
    assert inside["LGBTQI+ (with consent)"] == {"Yes": 2, "Not recorded": 7}
    assert inside["Migrant"] == {"No": 9}
    assert inside_cross  # the organisation reads the cross-tabulation
    outside, outside_cross = cells(Audience.EXTERNAL)
    # 2 is below five; 7 would give it back (9 - 7), so it is hidden too.
    assert outside["LGBTQI+ (with consent)"] == {"Yes": "<5", "Not recorded": "<5"}
    assert outside["Migrant"] == {"No": 9}
    assert outside_cross == []
