"""Shared test set-up: the gazetteer in every test database, and the personas.

Each persona has a one-line comment on what she may see; tests name them instead of building
users by hand.
"""

import dataclasses
import datetime

import pytest

from samaki.accounts.models import Role, User
from samaki.accounts.services import user_create
from samaki.areas.services import gazetteer_load
from samaki.organisations.models import Donor, Organisation
from samaki.organisations.services import donor_create, organisation_create
from samaki.people.models import Person
from samaki.people.services import PersonFields, person_register

PASSWORD = "correct horse battery staple 7"  # noqa: S105 - test only

# Two villages of Angkor Thum district (1702) and one of Banteay Srei district (1703), Siem Reap.
ANGKOR_THUM = "1702"
VILLAGE_IN_ANGKOR_THUM = "17020101"
VILLAGE_IN_BANTEAY_SREI = "17030101"


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        gazetteer_load()


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English messages unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


@dataclasses.dataclass
class Personas:
    home: Organisation  # the organisation under test
    other: Organisation  # another tenant
    donor: Donor
    admin: User  # home's administrator: reads and writes everything of home's
    me_officer: User  # home's M&E officer (a colleague): reads and writes everything of home's
    facilitator: User  # home's field facilitator: only Angkor Thum district
    viewer: User  # home's viewer: reads home's data, writes nothing
    donor_viewer: User  # follows home's donor: aggregates only, never a person
    outsider: User  # the other organisation's administrator: nothing of home's exists for her
    superuser: User  # runs the platform

    def person(self, *, village: str = VILLAGE_IN_ANGKOR_THUM, name: str = "Sok Dara", **extra):
        fields = PersonFields(
            name_latin=name, sex=extra.pop("sex", "female"), village_code=village, **extra
        )
        return person_register(organisation=self.home, by=self.admin, fields=fields)


@pytest.fixture
def personas(db) -> Personas:
    home = organisation_create(by=None, slug="home", name_en="Home Organisation", acronym="HOME")
    other = organisation_create(by=None, slug="other", name_en="Other Organisation", acronym="OTH")
    donor = donor_create(by=None, slug="donor", name_en="A Donor")

    def make(username: str, role: str, organisation: Organisation = home, **extra) -> User:
        return user_create(
            by=None,
            organisation=organisation,
            username=username,
            password=PASSWORD,
            role=role,
            **extra,
        )

    return Personas(
        home=home,
        other=other,
        donor=donor,
        admin=make("admin", Role.ADMIN),
        me_officer=make("me", Role.ME_OFFICER),
        facilitator=make("facilitator", Role.FACILITATOR, area_codes=[ANGKOR_THUM]),
        viewer=make("viewer", Role.VIEWER),
        donor_viewer=make("donor", Role.DONOR_VIEWER, donor=donor),
        outsider=make("outsider", Role.ADMIN, organisation=other),
        superuser=User.objects.create_superuser("root", password=PASSWORD),
    )


@pytest.fixture
def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


__all__ = ["PASSWORD", "Person", "Personas"]
