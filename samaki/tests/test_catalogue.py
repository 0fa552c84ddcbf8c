"""The Khmer catalogues: every string translated, none fuzzy, placeholders kept, .mo up to date.

polib is not a dependency of Samaki, so the .po files are read with the small parser below
(enough for what makemessages writes), and the compiled .mo with Python's own gettext.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "km" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
# printf-style placeholders as Python and Django's JavaScript catalogue use them; "%%" is a
# literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGcoa%]")
FORMAT_FLAGS = {"python-format", "javascript-format"}


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        where = f"line {self.line}: "
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"{where}{context}{self.msgid!r}"


def _string(text: str, line: int) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"line {line}: expected a quoted string, got {text!r}")
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete "#~" entries are left out), header included."""
    entries: list[Entry] = []
    entry = Entry()
    seen_keyword = False
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, seen_keyword, target
        if seen_keyword:
            entries.append(entry)
        entry, seen_keyword, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if seen_keyword:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            if seen_keyword:
                finish()
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path.name} line {number}: string outside an entry")
            value = _string(line, number)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index or 0] += value
            else:
                setattr(entry, name, (getattr(entry, name) or "") + value)
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(.*)$", line)
        if not match:
            raise ValueError(f"{path.name} line {number}: cannot read {line!r}")
        keyword, index, rest = match.group(1), match.group(2), match.group(3)
        if keyword in ("msgctxt", "msgid") and entry.msgstr:
            finish()  # a new entry without a blank line between
        if not seen_keyword:
            entry.line = number
        seen_keyword = True
        value = _string(rest, number)
        if keyword == "msgstr":
            position = int(index) if index is not None else 0
            entry.msgstr[position] = value
            target = ("msgstr", position)
        else:
            setattr(entry, keyword, value)
            target = (keyword, None)
    finish()
    return entries


def messages(domain: str) -> list[Entry]:
    return [entry for entry in parse_po(LOCALE / f"{domain}.po") if entry.msgid != ""]


def placeholders(text: str) -> set[str]:
    return {found for found in PLACEHOLDER.findall(text) if found != "%%"}


def _report(problem: str, labels: list[str]) -> str:
    return f"{len(labels)} {problem}:\n  " + "\n  ".join(labels)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogue_parses_and_is_not_empty(domain):
    assert len(messages(domain)) > 10


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_is_translated(domain):
    untranslated = [
        entry.label
        for entry in messages(domain)
        if not entry.msgstr or any(not text for text in entry.msgstr.values())
    ]
    assert not untranslated, _report(f"untranslated entries in {domain}.po", untranslated)


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_string_is_fuzzy(domain):
    fuzzy = [entry.label for entry in messages(domain) if "fuzzy" in entry.flags]
    assert not fuzzy, _report(f"fuzzy entries in {domain}.po", fuzzy)


@pytest.mark.parametrize("domain", DOMAINS)
def test_khmer_has_one_plural_form(domain):
    plural = [entry for entry in messages(domain) if entry.msgid_plural is not None]
    wrong = [entry.label for entry in plural if set(entry.msgstr) != {0}]
    assert not wrong, _report(f"plural entries in {domain}.po without exactly msgstr[0]", wrong)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_placeholder_is_kept(domain):
    lost = []
    for entry in messages(domain):
        if not entry.flags & FORMAT_FLAGS:
            continue  # a "%" there is a literal character, not a placeholder
        wanted = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for index, text in entry.msgstr.items():
            if not text:
                continue  # reported as untranslated
            missing = wanted - placeholders(text)
            extra = placeholders(text) - wanted
            if missing or extra:
                lost.append(
                    f"{entry.label} msgstr[{index}]: "
                    f"missing {sorted(missing)}, unexpected {sorted(extra)}"
                )
    assert not lost, _report(f"entries in {domain}.po with wrong placeholders", lost)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_is_up_to_date(domain):
    with (LOCALE / f"{domain}.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in messages(domain):
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            found = catalog.get(key)
            if found != entry.msgstr.get(0):
                stale.append(entry.label)
        elif catalog.get((key, 0)) != entry.msgstr.get(0):
            stale.append(entry.label)
    assert not stale, _report(
        f"entries of {domain}.po missing or different in {domain}.mo (run compilemessages)", stale
    )
