"""The safe house's people, added to the shared personas.

- worker: the case worker the case is assigned to: opens it
- supervisor: the organisation's case supervisor: opens every case of home's, reads the log
- other_worker: another case worker of home's: none of the worker's cases exist for her
- outsider_worker: a case worker of the other organisation: nothing of home's exists for her
"""

import dataclasses
import datetime

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role, User
from samaki.cases.models import Case, ServiceProvider
from samaki.cases.services import CaseFields, Consent, SurvivorFields, case_open, provider_add
from samaki.cases.staff import case_staff_create
from samaki.conftest import PASSWORD, Personas

SURVIVOR = "Srey Neang Phalla"
NARRATIVE = "He came back drunk after the wedding and broke the door"
INTAKE = datetime.date(2024, 3, 4)


@dataclasses.dataclass
class SafeHouse:
    personas: Personas
    worker: User
    supervisor: User
    other_worker: User
    outsider_worker: User
    hospital: ServiceProvider
    lawyers: ServiceProvider
    case: Case

    def open_case(
        self,
        *,
        worker: User | None = None,
        survivor: SurvivorFields | None = None,
        **changes,
    ) -> Case:
        fields = {
            "intake_date": INTAKE,
            "referred_by": "police",
            "incident_type": "physical_assault",
            "risk_level": "high",
            "case_worker": worker or self.worker,
            "supervisor": self.supervisor,
            "consent": Consent(services=True, reporting=True, share_with=(self.hospital,)),
            **changes,
        }
        return case_open(
            organisation=self.personas.home,
            by=SYSTEM,
            survivor=survivor
            or SurvivorFields(name_latin=SURVIVOR, sex="female", village_code="17100101"),
            fields=CaseFields(**fields),
        )


@pytest.fixture
def safe_house(personas) -> SafeHouse:
    def make(username: str, role: str, organisation=personas.home) -> User:
        return case_staff_create(
            by=SYSTEM, organisation=organisation, username=username, password=PASSWORD, role=role
        )

    worker = make("worker", Role.CASE_WORKER)
    supervisor = make("supervisor", Role.CASE_SUPERVISOR)
    other_worker = make("other_worker", Role.CASE_WORKER)
    outsider_worker = make("outsider_worker", Role.CASE_WORKER, organisation=personas.other)
    hospital = provider_add(
        organisation=personas.home,
        by=SYSTEM,
        name="Siem Reap Provincial Hospital",
        service_type="health",
        area_code="1710",
    )
    lawyers = provider_add(
        organisation=personas.home,
        by=SYSTEM,
        name="Legal Aid of Cambodia",
        service_type="legal",
        area_code="1710",
    )
    house = SafeHouse(
        personas,
        worker,
        supervisor,
        other_worker,
        outsider_worker,
        hospital,
        lawyers,
        None,  # type: ignore[arg-type]
    )
    house.case = house.open_case(incident_description=NARRATIVE, safety_plan="Stay with aunt")
    return house


def verified_login(client, user: User) -> TOTPDevice:
    """Signed in with the second step done, as after /cases/verify/."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
