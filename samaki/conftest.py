"""Shared test set-up: the gazetteer in every test database, and the personas.

Each persona has a one-line comment on what she may see; tests name them instead of building
users by hand.
"""

import dataclasses
import datetime
import itertools
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils.text import slugify

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role, User
from samaki.accounts.services import user_create
from samaki.areas.models import Area
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
    home = organisation_create(by=SYSTEM, slug="home", name_en="Home Organisation", acronym="HOME")
    other = organisation_create(
        by=SYSTEM, slug="other", name_en="Other Organisation", acronym="OTH"
    )
    donor = donor_create(by=SYSTEM, slug="donor", name_en="A Donor")

    def make(username: str, role: str, organisation: Organisation = home, **extra) -> User:
        return user_create(
            by=SYSTEM,
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


# --- Live server and browser tests -----------------------------------------------------------
# Real Chromium (Debian's package, never a build downloaded by `playwright install`) drives the
# live server through pytest-playwright's fixtures (`page`, `context`, `new_context`), adapted
# here. See docs/development.md, "Browser tests".

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Live-server tests last: they flush every table when they end. (pytest-django orders by the
    fixtures a test names; a browser test that also names `personas` would otherwise run among
    the transaction-wrapped tests.)"""
    items.sort(key=lambda item: "live_server" in getattr(item, "fixturenames", ()))


def _reference_data_load() -> None:
    """What a flush removed and every test expects: the rows Samaki's data migrations wrote (the
    shared vocabularies) and the gazetteer."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    graph = MigrationLoader(connection).graph
    plan = dict.fromkeys(key for leaf in graph.leaf_nodes() for key in graph.forwards_plan(leaf))
    for key in plan:  # every migration, in an order they could be applied in
        if not apps.get_app_config(key[0]).name.startswith("samaki."):
            continue
        for operation in graph.nodes[key].operations:
            if isinstance(operation, RunPython):
                forwards: Any = operation.code  # the live registry stands in for the historical one
                forwards(apps, None)
    gazetteer_load()


@pytest.fixture(autouse=True)
def _reference_data_present(request):
    """A live-server or transactional test empties every table when it ends, the gazetteer and
    the data migrations' rows included: put them back, committed, before the next test that uses
    the database, whatever order the tests run in (one EXISTS query when nothing is missing)."""
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        if not Area.objects.exists():
            _reference_data_load()


@pytest.fixture(scope="session")
def playwright(playwright):
    # Playwright's synchronous API keeps an event loop running in this thread, and Django refuses
    # ORM calls from a thread with a running loop; the tests' ORM calls are ordinary blocking ones.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless and quiet. Missing, it fails the run under CI, else skips."""
    if not CHROMIUM.exists():
        message = f"browser tests need {CHROMIUM}: apt-get install chromium (scripts/bootstrap does it as root)"
        if os.environ.get("CI", "") in {"true", "1"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    args = CHROMIUM_ARGS
    if browser_type_launch_args.get("headless") is False:  # pytest --headed
        args = [arg for arg in args if arg != "--headless"]
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages open relative to the live server: `page.goto("/people/")`."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Asia/Phnom_Penh"}


@pytest.fixture
def offsite_requests():
    """What pages asked of any host but the live server: blocked, and failing the test."""
    requests: list[str] = []
    yield requests
    assert not requests, f"the page reached outside Samaki (a CDN?): {requests}"


@pytest.fixture
def new_context(new_context, live_server, offsite_requests):
    """Every browser context may reach the live server only."""
    origin = live_server.url

    def confined(**kwargs):
        context = new_context(**kwargs)

        def route(route):
            url = route.request.url
            if url == origin or url.startswith(origin + "/"):
                route.continue_()
            else:
                offsite_requests.append(url)
                route.abort("blockedbyclient")

        context.route("**/*", route)
        return context

    return confined


@pytest.fixture
def phone(new_context):
    """A page on a 360 × 740 phone screen, the field facilitator's."""
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


@pytest.fixture
def screenshot(request, settings) -> Callable:
    """`screenshot(page, "step")` saves the whole page to var/screenshots/<test>/<nn>-<step>.png."""
    folder = Path(settings.VAR_DIR) / "screenshots" / slugify(request.node.name.replace("[", "-"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    numbers = itertools.count(1)

    def take(page, step: str) -> Path:
        path = folder / f"{next(numbers):02d}-{slugify(step)}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
