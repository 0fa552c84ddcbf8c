"""What a browser downloads: our own fonts, cut from the installed packages, and light pages."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from fontTools.ttLib import TTFont

from samaki.fonts import KHMER, LATIN, WEB_FONTS, font_file

PAGE_BUDGET = 150 * 1024  # HTML, CSS and JavaScript of one page, fonts aside: patchy 3G


@pytest.mark.parametrize("family", [KHMER, LATIN])
def test_installed_font_files_are_there_for_pdf_and_charts(family):
    assert TTFont(font_file(family))["name"].getBestFamilyName() == family


@pytest.mark.parametrize("font", WEB_FONTS, ids=lambda font: font.name)
def test_web_fonts_are_cut_from_the_installed_fonts(font):
    """Fails after a fontpkg upgrade until `python -m samaki.fonts` rebuilds them."""
    source = TTFont(font_file(font.family))
    web = TTFont(font.path)
    assert web.flavor == "woff2"
    assert web["head"].fontRevision == source["head"].fontRevision
    assert set(web.getBestCmap()) == set(source.getBestCmap()) & font.code_points
    assert [axis.axisTag for axis in web["fvar"].axes] == ["wght"]  # every weight, one width


def test_base_css_declares_every_web_font_with_its_unicode_range():
    css = Path(finders.find("samaki/base.css")).read_text()
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)
    declared = {
        (
            re.search(r'font-family:\s*"([^"]+)"', face)[1],
            re.search(r'url\("fonts/([^"]+)"\)', face)[1],
            re.search(r"unicode-range:\s*([^;]+);", face)[1].strip(),
        )
        for face in faces
        if "font-display: swap" in face
    }
    assert declared == {(font.family, font.name, font.unicode_range) for font in WEB_FONTS}


def page_weight(html: str) -> int:
    """The bytes of a page, its stylesheets and its scripts (our static files only)."""
    urls = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert "samaki/base.css" in urls
    files = [Path(finders.find(url)) for url in urls]
    return len(html.encode()) + sum(file.stat().st_size for file in files)


def test_login_and_people_pages_stay_under_the_page_budget(client, personas):
    assert page_weight(client.get(reverse("login")).content.decode()) < PAGE_BUDGET
    client.force_login(personas.facilitator)
    assert page_weight(client.get(reverse("people:list")).content.decode()) < PAGE_BUDGET
