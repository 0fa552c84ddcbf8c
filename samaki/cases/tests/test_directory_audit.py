"""The safe house's writes that are not about one case still leave an audit row, with the actor."""

from samaki.audit.models import AuditEvent
from samaki.cases.services import capacity_set, provider_add


def test_setting_the_beds_is_audited_with_the_supervisor(safe_house):
    home = safe_house.personas.home
    capacity_set(organisation=home, by=safe_house.supervisor, beds=12)
    capacity = capacity_set(organisation=home, by=safe_house.supervisor, beds=14)
    capacity_set(organisation=home, by=safe_house.supervisor, beds=14)  # unchanged: no row
    rows = AuditEvent.objects.filter(action="safe_house_capacity.set").order_by("id")
    assert [(row.actor, row.object_id, row.before, row.after) for row in rows] == [
        (safe_house.supervisor, str(capacity.pk), None, {"beds": 12}),
        (safe_house.supervisor, str(capacity.pk), {"beds": 12}, {"beds": 14}),
    ]


def test_adding_a_provider_is_audited_with_the_case_worker(safe_house):
    provider = provider_add(
        organisation=safe_house.personas.home,
        by=safe_house.worker,
        name="Angkor Hospital for Children",
        service_type="health",
        area_code="1710",
    )
    row = AuditEvent.objects.get(action="service_provider.add", object_id=str(provider.pk))
    assert (row.actor, row.organisation_id, row.after["name"]) == (
        safe_house.worker,
        safe_house.personas.home.pk,
        "Angkor Hospital for Children",
    )
    # The fixture's own two providers were added by the system, named as such.
    assert set(
        AuditEvent.objects.filter(action="service_provider.add", actor=None).values_list(
            "system_actor", flat=True
        )
    ) == {"system"}
