"""Vocabularies per organisation: add, rename, retire and restore a term; never delete one.

Personas: home's administrator and M&E officer manage home's terms; the facilitator and the
viewer do not; the outsider (another organisation's administrator) manages her own only; the
platform operator changes shared terms in the admin.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from samaki.activities.models import Activity, ActivityKind, Topic
from samaki.activities.services import ActivityFields, activity_create, activity_update
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.models import GroupKind
from samaki.groups.services import group_create, group_update
from samaki.organisations.vocabularies import (
    derive_code,
    term_add,
    term_rename,
    term_restore,
    term_retire,
)
from samaki.outcomes.models import OutcomeKind
from samaki.outcomes.services import outcome_record

DAY = datetime.date(2024, 3, 8)
LIST = reverse("organisations:vocabularies")


def add_kind(personas, name_en="Savings meeting", name_km="កិច្ចប្រជុំសន្សំ", **extra):
    return term_add(
        by=personas.admin,
        model=ActivityKind,
        organisation=personas.home,
        name_en=name_en,
        name_km=name_km,
        **extra,
    )


def record_activity(personas, kind_code: str, topic_codes=()) -> Activity:
    return activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(
            kind_code=kind_code,
            date=DAY,
            area_code=VILLAGE_IN_ANGKOR_THUM,
            title="Session",
            topic_codes=tuple(topic_codes),
        ),
    )


# --- services ----------------------------------------------------------------------------------


def test_a_term_is_added_with_a_code_made_from_its_english_name(personas):
    term = add_kind(personas)

    assert (term.code, term.organisation, term.retired_on) == (
        "savings_meeting",
        personas.home,
        None,
    )
    event = AuditEvent.objects.get(action="vocabulary_term.add")
    assert (event.actor, event.organisation_id, event.object_id) == (
        personas.admin,
        personas.home.pk,
        str(term.pk),
    )
    assert event.after == {
        "code": "savings_meeting",
        "name_en": "Savings meeting",
        "name_km": "កិច្ចប្រជុំសន្សំ",
        "retired_on": None,
    }
    assert derive_code("Café & Co-op!") == "cafe_co_op"


def test_the_me_officer_adds_a_term_with_her_own_code(personas):
    term = term_add(
        by=personas.me_officer,
        model=OutcomeKind,
        organisation=personas.home,
        name_en="Opened a bank account",
        name_km="បើកគណនីធនាគារ",
        code="Bank-Account",
    )
    assert term.code == "bank-account"


@pytest.mark.parametrize("who", ["facilitator", "viewer", "outsider", "donor_viewer"])
def test_only_the_organisations_managers_add_its_terms(personas, who):
    with pytest.raises(PermissionDenied):
        term_add(
            by=getattr(personas, who),
            model=ActivityKind,
            organisation=personas.home,
            name_en="Savings meeting",
            name_km="ប្រជុំ",
        )
    assert not ActivityKind.objects.filter(code="savings_meeting").exists()
    assert not AuditEvent.objects.filter(action="vocabulary_term.add").exists()


def test_shared_terms_are_read_only_for_organisations(personas):
    shared = ActivityKind.objects.get(code="training", organisation=None)
    for write in [
        lambda: term_rename(term=shared, by=personas.admin, name_en="Course", name_km="វគ្គ"),
        lambda: term_retire(term=shared, by=personas.admin),
        lambda: term_add(
            by=personas.admin, model=ActivityKind, organisation=None, name_en="X", name_km="X"
        ),
    ]:
        with pytest.raises(PermissionDenied):
            write()
    shared.refresh_from_db()
    assert (shared.name_en, shared.retired_on) == ("Training", None)
    # The platform operator changes them.
    assert term_rename(term=shared, by=personas.superuser, name_en="Course", name_km="វគ្គ")


def test_bad_terms_are_refused_by_field_and_nothing_is_written(personas):
    with pytest.raises(ValidationError) as refused:
        add_kind(personas, name_en=" ", name_km="", code="Not a code!")
    assert refused.value.message_dict == {
        "name_en": ["Give the name in English."],
        "name_km": ["Give the name in Khmer."],
        "code": [
            "A code has only small letters, digits, “_” and “-”, and starts with a letter or digit."
        ],
    }
    with pytest.raises(ValidationError) as refused:
        add_kind(personas, name_en="Training session", code="training")  # a shared code
    assert refused.value.message_dict == {
        "code": ["The code “training” is taken: give another one."]
    }
    with pytest.raises(ValidationError) as refused:
        add_kind(personas, name_en="training")  # a shared English name, in other letters
    assert refused.value.message_dict == {
        "name_en": ["Another activity kind already has this English name."],
        "code": ["The code “training” is taken: give another one."],
    }
    with pytest.raises(ValidationError) as refused:
        add_kind(personas, name_en="!!!")
    assert refused.value.message_dict == {
        "code": ["Give a code: the English name has no letter or digit to make one from."]
    }
    assert not ActivityKind.objects.filter(organisation=personas.home).exists()
    assert not AuditEvent.objects.filter(action__startswith="vocabulary_term.").exists()


def test_another_organisation_may_use_the_same_code(personas):
    add_kind(personas)
    theirs = term_add(
        by=personas.outsider,
        model=ActivityKind,
        organisation=personas.other,
        name_en="Savings meeting",
        name_km="ប្រជុំ",
    )
    assert theirs.code == "savings_meeting"


def test_a_rename_keeps_the_code_and_says_whether_anything_changed(personas):
    term = add_kind(personas)

    assert term_rename(term=term, by=personas.me_officer, name_en="Savings day", name_km="ថ្ងៃសន្សំ")
    assert not term_rename(
        term=term, by=personas.me_officer, name_en="Savings day", name_km="ថ្ងៃសន្សំ"
    )

    term.refresh_from_db()
    assert (term.code, term.name_en, term.name_km) == ("savings_meeting", "Savings day", "ថ្ងៃសន្សំ")
    events = AuditEvent.objects.filter(action="vocabulary_term.rename")
    assert [(e.before["name_en"], e.after["name_en"]) for e in events] == [
        ("Savings meeting", "Savings day")
    ]


def test_a_term_in_use_is_retired_not_deleted_and_old_records_keep_it(personas, today):
    term = add_kind(personas)
    old = record_activity(personas, term.code)

    assert term_retire(term=term, by=personas.admin)
    assert not term_retire(term=term, by=personas.admin)  # once: one audit row

    term.refresh_from_db()
    assert term.retired_on == today
    assert AuditEvent.objects.filter(action="vocabulary_term.retire").count() == 1
    old.refresh_from_db()
    assert old.kind == term
    # A new record naming it is refused, with the reason.
    with pytest.raises(ValidationError) as refused:
        record_activity(personas, term.code)
    assert refused.value.message_dict == {
        "kind_code": [
            f"“Savings meeting” was retired on {today.isoformat()}: choose another activity kind."
        ]
    }
    # The old record is still edited with it.
    fields = ActivityFields(
        kind_code=term.code, date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM, title="Renamed session"
    )
    assert (
        activity_update(activity=old, by=personas.admin, fields=fields).title == "Renamed session"
    )
    # Restored, it is offered again.
    assert term_restore(term=term, by=personas.admin)
    assert record_activity(personas, term.code).kind == term
    assert ActivityKind.objects.filter(pk=term.pk).exists()  # nothing ever deleted it


def test_retired_topics_group_and_outcome_kinds_are_refused_on_new_records(personas):
    topic = term_add(
        by=personas.admin,
        model=Topic,
        organisation=personas.home,
        name_en="Cooking",
        name_km="ចម្អិនអាហារ",
    )
    group_kind = term_add(
        by=personas.admin,
        model=GroupKind,
        organisation=personas.home,
        name_en="Club",
        name_km="ក្លឹប",
    )
    outcome_kind = term_add(
        by=personas.admin,
        model=OutcomeKind,
        organisation=personas.home,
        name_en="Bought a cow",
        name_km="ទិញគោ",
    )
    old_activity = record_activity(personas, "training", [topic.code])
    group = group_create(
        organisation=personas.home,
        by=personas.admin,
        name_en="Club one",
        kind_code=group_kind.code,
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )
    for term in [topic, group_kind, outcome_kind]:
        term_retire(term=term, by=personas.admin)

    with pytest.raises(ValidationError) as refused:
        record_activity(personas, "training", [topic.code])
    assert list(refused.value.message_dict) == ["topic_codes"]
    with pytest.raises(ValidationError) as refused:
        group_create(
            organisation=personas.home,
            by=personas.admin,
            name_en="Club two",
            kind_code=group_kind.code,
            area_code=VILLAGE_IN_ANGKOR_THUM,
        )
    assert list(refused.value.message_dict) == ["kind_code"]
    with pytest.raises(ValidationError):
        outcome_record(
            person=personas.person(), by=personas.admin, kind_code=outcome_kind.code, date=DAY
        )
    # The records that have them keep them when edited.
    group = group_update(
        group=group,
        by=personas.admin,
        name_en="Club one renamed",
        name_km="",
        kind_code=group_kind.code,
        area_code=VILLAGE_IN_ANGKOR_THUM,
        founded_on=None,
        parent=None,
        project=None,
        external_id="",
    )
    assert group.kind == group_kind
    fields = ActivityFields(
        kind_code="training", date=DAY, area_code=VILLAGE_IN_ANGKOR_THUM, topic_codes=(topic.code,)
    )
    updated = activity_update(activity=old_activity, by=personas.admin, fields=fields)
    assert list(updated.topics.all()) == [topic]


# --- pages -------------------------------------------------------------------------------------


def test_the_page_lists_shared_and_own_terms_with_their_counts(client, personas):
    term = add_kind(personas)
    record_activity(personas, term.code)
    record_activity(personas, term.code)
    record_activity(personas, "training")
    theirs = term_add(
        by=personas.outsider,
        model=ActivityKind,
        organisation=personas.other,
        name_en="Their kind",
        name_km="របស់គេ",
    )
    client.force_login(personas.me_officer)

    page = client.get(LIST)

    assert page.status_code == 200
    sections = {spec.slug: terms for spec, terms in page.context["sections"]}
    assert list(sections) == [
        "activity-kinds",
        "topics",
        "outcome-kinds",
        "group-kinds",
        "feedback-categories",
        "request-topics",
    ]
    counts = {t.code: (t.organisation_id, t.in_use) for t in sections["activity-kinds"]}
    assert counts["savings_meeting"] == (personas.home.pk, 2)
    assert counts["training"] == (None, 1)
    assert theirs.pk not in {t.pk for t in sections["activity-kinds"]}
    body = page.content.decode()
    assert "Their kind" not in body
    assert reverse("organisations:term_edit", args=["activity-kinds", term.pk]) in body
    shared = ActivityKind.objects.get(code="training", organisation=None)
    assert reverse("organisations:term_edit", args=["activity-kinds", shared.pk]) not in body


def test_the_page_counts_in_one_query_per_vocabulary(client, personas, django_assert_num_queries):
    client.force_login(personas.admin)
    client.get(LIST)  # warm the session
    # 3 for the session, the user and her organisation (the page's frame), 6 for the six
    # vocabularies with their counts.
    with django_assert_num_queries(9):
        assert client.get(LIST).status_code == 200
    for index in range(4):
        term = add_kind(personas, name_en=f"Kind {index}", name_km=f"ប្រភេទ {index}")
        record_activity(personas, term.code)
        term_add(
            by=personas.admin,
            model=GroupKind,
            organisation=personas.home,
            name_en=f"Group kind {index}",
            name_km=f"ក្រុម {index}",
        )
    with django_assert_num_queries(9):
        assert client.get(LIST).status_code == 200


def test_the_add_form_adds_a_term_and_bad_input_saves_nothing(client, personas):
    client.force_login(personas.admin)
    url = reverse("organisations:term_add", args=["group-kinds"])

    response = client.post(url, {"name_en": "", "name_km": "", "code": "Bad code"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "name_en": ["This field is required."],
        "name_km": ["This field is required."],
    }
    response = client.post(url, {"name_en": "Women's club", "name_km": "ក្លឹប", "code": "Bad code"})
    assert response.context["form"].errors == {
        "code": [
            "A code has only small letters, digits, “_” and “-”, and starts with a letter or digit."
        ]
    }
    assert not GroupKind.objects.filter(organisation=personas.home).exists()
    assert not AuditEvent.objects.filter(action__startswith="vocabulary_term.").exists()

    response = client.post(url, {"name_en": "Women's club", "name_km": "ក្លឹបស្ត្រី", "code": ""})

    assert (response.status_code, response.url) == (302, LIST)
    term = GroupKind.objects.get(organisation=personas.home)
    assert (term.code, term.name_km) == ("womens_club", "ក្លឹបស្ត្រី")


def test_the_add_form_pins_its_queries(client, personas, django_assert_num_queries):
    client.force_login(personas.admin)
    url = reverse("organisations:term_add", args=["topics"])
    client.get(url)
    with django_assert_num_queries(3):  # the session, the user and her organisation
        assert client.get(url).status_code == 200


def test_a_rename_shows_on_khmer_pages_and_bad_input_saves_nothing(client, personas):
    term = add_kind(personas)
    client.force_login(personas.admin)
    url = reverse("organisations:term_edit", args=["activity-kinds", term.pk])

    bad = client.post(url, {"name_en": "Savings day", "name_km": ""})
    assert bad.status_code == 200
    assert bad.context["form"].errors == {"name_km": ["This field is required."]}
    taken = client.post(url, {"name_en": "Training", "name_km": "ថ្មី"})
    assert taken.context["form"].errors == {
        "name_en": ["Another activity kind already has this English name."]
    }
    term.refresh_from_db()
    assert (term.name_en, term.name_km) == ("Savings meeting", "កិច្ចប្រជុំសន្សំ")
    assert not AuditEvent.objects.filter(action="vocabulary_term.rename").exists()

    response = client.post(url, {"name_en": "Savings day", "name_km": "ថ្ងៃសន្សំប្រាក់"})
    assert (response.status_code, response.url) == (302, LIST)

    with translation.override("km"):
        client.cookies["django_language"] = "km"
        form_page = client.get(reverse("activities:create")).content.decode()
    assert "ថ្ងៃសន្សំប្រាក់" in form_page
    assert "កិច្ចប្រជុំសន្សំ" not in form_page


def test_the_rename_form_pins_its_queries(client, personas, django_assert_num_queries):
    term = add_kind(personas)
    client.force_login(personas.admin)
    url = reverse("organisations:term_edit", args=["activity-kinds", term.pk])
    client.get(url)
    with django_assert_num_queries(4):  # the session, the user, her organisation, the term
        assert client.get(url).status_code == 200


def test_retired_terms_are_not_offered_but_stay_on_old_records(client, personas):
    term = add_kind(personas)
    old = record_activity(personas, term.code)
    client.force_login(personas.admin)

    response = client.post(reverse("organisations:term_retire", args=["activity-kinds", term.pk]))

    assert (response.status_code, response.url) == (302, LIST)
    new_form = client.get(reverse("activities:create")).context["form"]
    assert term.code not in dict(new_form.fields["kind_code"].choices)
    edit_form = client.get(reverse("activities:edit", args=[old.pk])).context["form"]
    assert dict(edit_form.fields["kind_code"].choices)[term.code] == "Savings meeting"
    assert (
        "Savings meeting"
        in client.get(reverse("activities:detail", args=[old.pk])).content.decode()
    )
    listed = client.get(LIST)
    row = next(t for spec, terms in listed.context["sections"] for t in terms if t.pk == term.pk)
    assert (row.in_use, row.is_retired) == (1, True)
    assert reverse("organisations:term_restore", args=["activity-kinds", term.pk]) in (
        listed.content.decode()
    )

    client.post(reverse("organisations:term_restore", args=["activity-kinds", term.pk]))

    new_form = client.get(reverse("activities:create")).context["form"]
    assert term.code in dict(new_form.fields["kind_code"].choices)
    assert AuditEvent.objects.filter(action="vocabulary_term.restore").count() == 1


def test_another_organisations_term_answers_404(client, personas):
    theirs = term_add(
        by=personas.outsider,
        model=ActivityKind,
        organisation=personas.other,
        name_en="Their kind",
        name_km="របស់គេ",
    )
    shared = ActivityKind.objects.get(code="training", organisation=None)
    client.force_login(personas.admin)
    for pk in [theirs.pk, shared.pk]:
        for name in ["term_edit", "term_retire", "term_restore"]:
            url = reverse(f"organisations:{name}", args=["activity-kinds", pk])
            assert client.post(url, {"name_en": "Mine", "name_km": "ខ្ញុំ"}).status_code == 404
    # A term is looked for in the vocabulary the URL names only.
    assert (
        client.get(reverse("organisations:term_edit", args=["topics", theirs.pk])).status_code
        == 404
    )
    assert client.get(reverse("organisations:term_add", args=["no-such-list"])).status_code == 404
    theirs.refresh_from_db()
    shared.refresh_from_db()
    assert (theirs.name_en, theirs.retired_on, shared.retired_on) == ("Their kind", None, None)


@pytest.mark.parametrize("who", ["facilitator", "viewer", "donor_viewer", "superuser"])
def test_who_does_not_manage_gets_404(client, personas, who):
    term = add_kind(personas)
    client.force_login(getattr(personas, who))

    assert client.get(LIST).status_code == 404
    retire = reverse("organisations:term_retire", args=["activity-kinds", term.pk])
    assert client.post(retire).status_code == 404
    term.refresh_from_db()
    assert term.retired_on is None


def test_the_nav_links_the_page_for_managers_only(client, personas):
    client.force_login(personas.me_officer)
    assert LIST in client.get(reverse("people:list")).content.decode()
    client.force_login(personas.facilitator)
    assert LIST not in client.get(reverse("people:list")).content.decode()


# --- the admin ---------------------------------------------------------------------------------


def test_the_platform_operator_adds_and_renames_terms_in_the_admin(client, personas):
    client.force_login(personas.superuser)
    add = reverse("admin:activities_activitykind_add")

    response = client.post(
        add, {"organisation": "", "code": "radio_show", "name_en": "Radio show", "name_km": "វិទ្យុ"}
    )

    assert response.status_code == 302
    term = ActivityKind.objects.get(code="radio_show")
    assert term.organisation is None
    event = AuditEvent.objects.get(action="vocabulary_term.add")
    assert (event.actor, event.object_id) == (personas.superuser, str(term.pk))
    change = reverse("admin:activities_activitykind_change", args=[term.pk])
    response = client.post(change, {"name_en": "Radio programme", "name_km": "កម្មវិធីវិទ្យុ"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.code, term.name_en) == ("radio_show", "Radio programme")
    # A code already taken comes back on the form.
    taken = client.post(
        add, {"organisation": "", "code": "training", "name_en": "Trainings", "name_km": "វគ្គ"}
    )
    assert taken.status_code == 200
    assert "The code “training” is taken: give another one." in taken.content.decode()


def test_organisation_staff_only_read_terms_in_the_admin(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("admin:activities_activitykind_add")).status_code == 403


def test_retired_feedback_categories_and_request_topics_are_not_offered(personas):
    from samaki.advocacy.forms import RequestForm
    from samaki.advocacy.models import RequestTopic
    from samaki.advocacy.queries import request_topic_list
    from samaki.advocacy.services import RequestFields, request_record
    from samaki.feedback.models import FeedbackCategory
    from samaki.feedback.queries import feedback_category_list

    category = term_add(
        by=personas.admin,
        model=FeedbackCategory,
        organisation=personas.home,
        name_en="Water point",
        name_km="អណ្តូងទឹក",
    )
    topic = term_add(
        by=personas.admin,
        model=RequestTopic,
        organisation=personas.home,
        name_en="Road repair",
        name_km="ជួសជុលផ្លូវ",
    )
    assert category in feedback_category_list(organisation=personas.home)
    term_retire(term=category, by=personas.admin)
    term_retire(term=topic, by=personas.admin)

    assert category not in feedback_category_list(organisation=personas.home)
    form = RequestForm(topics=request_topic_list(user=personas.admin))
    assert topic.code not in dict(form.fields["topic_code"].choices)
    with pytest.raises(ValidationError):
        request_record(
            organisation=personas.home,
            by=personas.admin,
            fields=RequestFields(
                topic_code=topic.code,
                summary="Repair the road",
                raised_on=DAY,
                level="commune",
                area_code=VILLAGE_IN_ANGKOR_THUM,
            ),
        )


def test_an_import_naming_a_retired_term_is_refused(personas):
    from samaki.groups.models import Group
    from samaki.imports.tests.test_imports import run, xlsx

    kind = term_add(
        by=personas.admin,
        model=GroupKind,
        organisation=personas.home,
        name_en="Club",
        name_km="ក្លឹប",
    )
    term_retire(term=kind, by=personas.admin)
    groups = xlsx(
        [
            ["External ID", "Name (English)", "Kind code", "Area code"],
            ["C-1", "Club one", "club", VILLAGE_IN_ANGKOR_THUM],
        ]
    )

    job = run(personas, "groups", groups, "groups.xlsx")

    assert [error["message"] for error in job.result["errors"]] == [
        f"“Club” was retired on {kind.retired_on.isoformat()}: choose another group kind."
    ]
    assert not Group.objects.exists()
