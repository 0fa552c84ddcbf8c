"""Synthetic Cambodian names for the demo: Khmer script with a Latin transliteration.

Cambodian names are written family name first ("Sok Sreymom"). The same Khmer name is often
spelt several ways in Latin script, so a few entries repeat a Khmer name with another spelling
(សុខជា as Sokcha and Sokchea): search must find both.

No demo person may carry the name of a real person quoted in the published reports the demo is
built from; `REAL_PEOPLE` lists them and `full_name` never returns one.
"""

import random

FAMILY_NAMES: list[tuple[str, str]] = [
    ("សុខ", "Sok"),
    ("ចាន់", "Chan"),
    ("កែវ", "Keo"),
    ("ស៊ុន", "Sun"),
    ("លី", "Ly"),
    ("ហេង", "Heng"),
    ("ម៉ៅ", "Mao"),
    ("ជា", "Chea"),
    ("ឈឹម", "Chhim"),
    ("ខៀវ", "Khiev"),
    ("គឹម", "Kim"),
    ("ពេជ្រ", "Pech"),
    ("ព្រំ", "Prum"),
    ("សេង", "Seng"),
    ("ទេព", "Tep"),
    ("អ៊ុក", "Ouk"),
    ("ស៊ឹម", "Sim"),
    ("ពៅ", "Pov"),
    ("ឡុង", "Long"),
    ("មាស", "Meas"),
    ("នួន", "Nuon"),
    ("ផាន", "Phan"),
    ("រស់", "Ros"),
    ("សួន", "Suon"),
    ("ទូច", "Touch"),
    ("វង្ស", "Vong"),
    ("អ៊ឹម", "Im"),
    ("ឯក", "Ek"),
    ("ហោ", "Hor"),
    ("ឃឹម", "Khim"),
    ("ចេង", "Cheng"),
    ("ប៊ុន", "Bun"),
    ("ឆាយ", "Chhay"),
    ("ឌី", "Dy"),
    ("ផល", "Phal"),
    ("ពិន", "Pin"),
    ("សំ", "Sam"),
    ("សាន", "San"),
    ("តាំង", "Taing"),
    ("យឹម", "Yim"),
    ("ហួត", "Huot"),
    ("នៅ", "Nov"),
]

FEMALE_GIVEN_NAMES: list[tuple[str, str]] = [
    ("ស្រីមុំ", "Sreymom"),
    ("ស្រីមុំ", "Srey Mom"),
    ("សុភា", "Sophea"),
    ("សុភាព", "Sopheap"),
    ("ចន្ធូ", "Chanthou"),
    ("ចន្ថា", "Chantha"),
    ("ដារ៉ា", "Dara"),
    ("ស្រីនាង", "Sreyneang"),
    ("ស្រីពៅ", "Sreypov"),
    ("ស្រីល័ក្ខ", "Sreyleak"),
    ("ស្រីរ័ត្ន", "Sreyrath"),
    ("ស្រីនិច", "Sreynich"),
    ("សុខា", "Sokha"),
    ("សុខជា", "Sokcha"),
    ("សុខជា", "Sokchea"),
    ("ធីតា", "Thida"),
    ("ចាន់ធី", "Chanthy"),
    ("ស្រីណា", "Sreyna"),
    ("រស្មី", "Reaksmey"),
    ("រស្មី", "Raksmey"),
    ("បុប្ផា", "Bopha"),
    ("ផល្លា", "Phalla"),
    ("សុធារី", "Sotheary"),
    ("សុវណ្ណារី", "Sovannary"),
    ("ម៉ាលី", "Maly"),
    ("ស្រីម៉ៅ", "Sreymao"),
    ("នារី", "Neary"),
    ("លក្ខិណា", "Leakhena"),
    ("ចិន្តា", "Chenda"),
    ("ពិសី", "Pisey"),
    ("សុគន្ធា", "Sokunthea"),
    ("គន្ធា", "Kunthea"),
    ("វណ្ណា", "Vanna"),
    ("កញ្ញា", "Kanha"),
    ("ស្រីលីន", "Sreylin"),
    ("ស្រីពេជ្រ", "Sreypich"),
    ("ចរិយា", "Chariya"),
    ("សុម៉ាលី", "Somaly"),
    ("ស្រីរស់", "Sreyros"),
    ("ចាន់ណា", "Channa"),
    ("រតនា", "Rathana"),
    ("ធារី", "Theary"),
    ("សុខលី", "Sokly"),
    ("ពុទ្ធី", "Puthy"),
    ("លីដា", "Lida"),
    ("វិចិត្រា", "Vichetra"),
]

MALE_GIVEN_NAMES: list[tuple[str, str]] = [
    ("ដារ៉ា", "Dara"),
    ("វិចិត្រ", "Vichet"),
    ("សុផល", "Sophal"),
    ("រិទ្ធី", "Rithy"),
    ("វុទ្ធី", "Vuthy"),
    ("សម្បត្តិ", "Sambath"),
    ("សុភ័ក្ត្រ", "Sopheak"),
    ("វណ្ណៈ", "Vannak"),
    ("ពិសិដ្ឋ", "Piseth"),
    ("បូរ៉ា", "Bora"),
    ("វាសនា", "Veasna"),
    ("សុខា", "Sokha"),
    ("ធារិទ្ធ", "Thearith"),
    ("សំណាង", "Samnang"),
    ("រតនៈ", "Rathanak"),
    ("វិបុល", "Vibol"),
    ("ប៊ុនធឿន", "Bunthoeun"),
    ("សុខុម", "Sokhom"),
    ("ពិសាល", "Pisal"),
    ("សុវណ្ណ", "Sovann"),
    ("កុសល", "Kosal"),
    ("ណារិទ្ធ", "Narith"),
    ("ចំរើន", "Chamroeun"),
    ("ចំរើន", "Chamreun"),
    ("សុខហេង", "Sokheng"),
    ("មករា", "Makara"),
    ("វិសាល", "Visal"),
    ("សិរីវុធ", "Sereyvuth"),
    ("ពន្លឺ", "Ponleu"),
    ("ឧត្តម", "Oudom"),
    ("ឧត្តម", "Udom"),
    ("ពុទ្ធា", "Puthea"),
    ("ដាវីត", "Davit"),
    ("គីមហុង", "Kimhong"),
    ("សុធា", "Sothea"),
    ("សីហា", "Seyha"),
    ("រដ្ឋា", "Rotha"),
    ("សុផន", "Sophorn"),
    ("ភិរុណ", "Phirun"),
    ("សុធី", "Sothy"),
]

# Real people named in the seed reports. A demo person never bears one of these names.
REAL_PEOPLE: list[str] = [
    "Mom Sokcha",
    "Sdeung Phearong",
    "Srey Sotheavy",
    "Chhuon Thavrith",
    "Virak Bunnarath",
    "Kong Yara",
    "Nak Thaileak",
]


def name_key(name: str) -> frozenset[str]:
    """The words of a Latin name, case-folded, in any order ("Sokcha Mom" is "Mom Sokcha")."""
    return frozenset(name.casefold().split())


REAL_NAME_KEYS = frozenset(name_key(name) for name in REAL_PEOPLE)


def full_name(rng: random.Random, sex: str) -> tuple[str, str]:
    """A (Khmer, Latin) full name, family name first."""
    given_names = FEMALE_GIVEN_NAMES if sex == "female" else MALE_GIVEN_NAMES
    while True:
        family_km, family_latin = rng.choice(FAMILY_NAMES)
        given_km, given_latin = rng.choice(given_names)
        latin = f"{family_latin} {given_latin}"
        if name_key(latin) not in REAL_NAME_KEYS:
            return f"{family_km} {given_km}", latin
