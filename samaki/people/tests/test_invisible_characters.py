"""Names and IDs lose the characters that make them display as something they are not.

A bidi override (U+202E) shows "\u202eanirA" as "Arina"; a control character is invisible and
breaks exports. Both are dropped wherever a person is written; Khmer's zero-width joiner and
non-joiner stay, they are part of how a name is spelt.
"""

import pytest

from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.feedback.services import clean_text
from samaki.imports.models import JobStatus
from samaki.imports.services import import_job_create, import_run
from samaki.people.models import Person
from samaki.people.services import PersonFields, person_register, person_update
from samaki.text import strip_invisible

BIDI_AND_CONTROLS = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f",
]  # fmt: skip


def register(personas, **fields) -> Person:
    values = {"name_latin": "Sok Dara", "sex": "female", "village_code": VILLAGE_IN_ANGKOR_THUM}
    person = person_register(
        organisation=personas.home, by=personas.admin, fields=PersonFields(**{**values, **fields})
    )
    return Person.objects.get(pk=person.pk)


@pytest.mark.parametrize("char", BIDI_AND_CONTROLS)
def test_every_bidi_control_and_control_character_is_dropped(char):
    assert strip_invisible(f"a{char}b") == "ab"


def test_khmer_joiners_and_the_zero_width_space_stay():
    assert strip_invisible("ស\u200bុ\u200cខ\u200d") == "ស\u200bុ\u200cខ\u200d"


def test_a_name_registered_with_a_bidi_override_is_stored_without_it(personas):
    person = register(personas, name_latin="\u202eabc", name_km="\u2067សុខ\u2069")
    assert (person.name_latin, person.name_km) == ("abc", "សុខ")


def test_an_external_id_is_stored_without_them(personas):
    assert register(personas, external_id="BS-\u202e0001\x00").external_id == "BS-0001"


def test_an_edit_drops_them_too(personas):
    person = register(personas)
    fields = PersonFields(
        name_latin="Sok\u200f Dara\x1b", sex="female", village_code=VILLAGE_IN_ANGKOR_THUM
    )
    person_update(person=person, by=personas.admin, fields=fields)
    person.refresh_from_db()
    assert person.name_latin == "Sok Dara"


def test_an_import_goes_through_the_same_rule(personas):
    content = (
        "External ID,Name in Latin script,Sex,Village code\n"
        f"P1,\u202eabc,female,{VILLAGE_IN_ANGKOR_THUM}\n"
    ).encode()
    job = import_job_create(
        organisation=personas.home,
        by=personas.admin,
        kind="people",
        file_name="people.csv",
        content=content,
    )
    assert import_run(job_id=job.pk).status == JobStatus.DONE
    assert Person.objects.get(external_id="P1").name_latin == "abc"


def test_feedback_uses_the_same_rule():
    assert clean_text("\u202eabc\x07", max_length=20, field="message") == "abc"
