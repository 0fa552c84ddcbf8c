"""Replaying real ODK Collect submissions (kobocat's 2011 transportation survey) against Samaki.

The XML files and JPEGs in artifacts/kobocat are exactly what ODK Collect wrote; the phone is
played by Django's test client sending the same multipart POSTs Collect sends.
"""

import base64
import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
import xlrd
from defusedxml import ElementTree

from samaki.api.services import token_issue, token_revoke
from samaki.openrosa.models import Attachment, Submission, SubmissionStatus
from samaki.openrosa.services import form_publish

ARTIFACTS = Path(__file__).parent / "artifacts" / "kobocat" / "transportation"
INSTANCES = ARTIFACTS / "instances"
HEADERS = {"HTTP_X_OPENROSA_VERSION": "1.0"}
NS = {"or": "http://openrosa.org/http/response"}


def with_attachment_form() -> bytes:
    """transportation.xls as the form behind the attachment instances: its own id, a photo."""
    book = xlrd.open_workbook(ARTIFACTS / "transportation.xls")
    out = openpyxl.Workbook()
    out.remove(out.active)
    for sheet in book.sheets():
        target = out.create_sheet(sheet.name)
        for row in range(sheet.nrows):
            target.append(sheet.row_values(row))
    out["survey"].append(["image", "Point_and_shoot", "Take a photo"])
    out["settings"]["A2"] = "transportation_with_attachment"
    data = io.BytesIO()
    out.save(data)
    return data.getvalue()


@pytest.fixture
def phone(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form_publish(
        organisation=personas.home,
        by=personas.admin,
        xlsform=(ARTIFACTS / "transportation.xls").read_bytes(),
        file_name="transportation.xls",
        purpose="keep",
    )
    form_publish(
        organisation=personas.home,
        by=personas.admin,
        xlsform=with_attachment_form(),
        file_name="transportation_with_attachment.xlsx",
        purpose="keep",
    )
    token, secret = token_issue(
        kind="phone",
        organisation=personas.home,
        by=personas.admin,
        user=personas.facilitator,
        name="Sokha",
    )
    auth = "Basic " + base64.b64encode(f"Sokha:{secret}".encode()).decode()
    client.defaults.update(HEADERS, HTTP_AUTHORIZATION=auth)
    client.token = token
    client.secret = secret
    return client


def post(client, xml_path: Path, *media: Path):
    data = {"xml_submission_file": open(xml_path, "rb")}  # noqa: SIM115
    for path in media:
        data[path.name] = open(path, "rb")  # noqa: SIM115
    return client.post("/openrosa/submission", data, secure=True)


def message(response) -> str:
    root = ElementTree.fromstring(response.content)
    return root.find("or:message", NS).text


def test_head_answers_204_with_the_openrosa_headers(phone):
    response = phone.head("/openrosa/submission", secure=True)
    assert response.status_code == 204
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["X-OpenRosa-Accept-Content-Length"] == "10000000"
    assert response["Date"].endswith(" GMT")


def test_no_token_gets_a_basic_challenge(client, personas):
    response = client.head("/openrosa/submission", secure=True, **HEADERS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Basic realm="Samaki"')
    assert response["X-OpenRosa-Version"] == "1.0"


def test_plain_http_is_refused_outside_debug(phone):
    assert phone.head("/openrosa/submission").status_code == 403


def test_form_list_serves_the_forms_with_their_md5(phone):
    response = phone.get("/openrosa/formList", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    ns = {"x": "http://openrosa.org/xforms/xformsList"}
    ids = [node.text for node in root.findall("x:xform/x:formID", ns)]
    assert sorted(ids) == ["transportation_2011_07_25", "transportation_with_attachment"]
    url = root.find("x:xform/x:downloadUrl", ns).text
    assert url.startswith("https://testserver/openrosa/forms/")
    form = phone.get(url, secure=True)
    assert form.status_code == 200
    md5 = hashlib.md5(form.content, usedforsecurity=False).hexdigest()
    assert root.find("x:xform/x:hash", ns).text == "md5:" + md5


def test_token_in_the_path_works_without_basic(client, phone):
    client.defaults.pop("HTTP_AUTHORIZATION")
    response = client.get(f"/openrosa/key/{phone.secret}/formList", secure=True)
    assert response.status_code == 200
    assert f"/openrosa/key/{phone.secret}/forms/" in response.content.decode()


def test_revoked_token_is_challenged(phone, personas):
    token_revoke(token=phone.token, by=personas.admin)
    assert phone.get("/openrosa/formList", secure=True).status_code == 401


def test_outsiders_phone_does_not_see_the_form(client, personas):
    _token, secret = token_issue(
        kind="phone",
        organisation=personas.other,
        by=personas.outsider,
        user=personas.outsider,
        name="x",
    )
    auth = "Basic " + base64.b64encode(f"x:{secret}".encode()).decode()
    response = client.get("/openrosa/formList", secure=True, HTTP_AUTHORIZATION=auth)
    assert b"transportation" not in response.content
    posted = client.post(
        "/openrosa/submission",
        {
            "xml_submission_file": open(  # noqa: SIM115 - closed by the client
                INSTANCES / "transport_2011-07-25_19-05-36/transport_2011-07-25_19-05-36.xml", "rb"
            )
        },
        secure=True,
        HTTP_AUTHORIZATION=auth,
        **HEADERS,
    )
    assert posted.status_code == 404
    assert Submission.objects.count() == 0


def test_replaying_every_real_instance_lands_each_once(phone):
    first = INSTANCES / "transport_2011-07-25_19-05-36/transport_2011-07-25_19-05-36.xml"
    response = post(phone, first)
    assert response.status_code == 201
    assert message(response) == "Full submission upload was successful!"
    assert response["X-OpenRosa-Accept-Content-Length"] == "10000000"

    again = post(phone, first)  # the duplicate: Collect did not see the first answer
    assert again.status_code == 202
    assert message(again) == "Duplicate submission: it was already received."

    assert (
        post(phone, INSTANCES / "transport_no_response/transport_no_response.xml").status_code
        == 201
    )
    folder = INSTANCES / "transport_2011-07-25_19-05-49"
    photos = [folder / "1335783522563.jpg", folder / "1335783522564.JPG"]
    assert post(phone, folder / "transport_2011-07-25_19-05-49.xml", *photos).status_code == 201

    submissions = Submission.objects.filter(xform__form_id="transportation_2011_07_25")
    assert submissions.count() == 3
    assert set(submissions.values_list("status", flat=True)) == {SubmissionStatus.KEPT}
    with_photos = submissions.get(instance_id="uuid:5b2cc313-fc09-437e-8149-fcd32f695d41")
    assert sorted(a.name for a in with_photos.attachments.all()) == [
        "1335783522563.jpg",
        "1335783522564.JPG",
    ]
    kept = with_photos.attachments.get(name="1335783522564.JPG")
    assert kept.size == 714104
    assert Path(kept.file.path).read_bytes() == photos[1].read_bytes()
    assert with_photos.xml.encode() == (folder / "transport_2011-07-25_19-05-49.xml").read_bytes()


def test_split_post_merges_the_attachments(phone):
    folder = INSTANCES / "transport_with_attachment"
    xml = folder / "transport_with_attachment.xml"
    assert post(phone, xml, folder / "1335783522563.jpg").status_code == 201
    # The second POST repeats the same XML with the other (3.2 MB) attachment.
    assert post(phone, xml, folder / "IMG_2235.JPG").status_code == 201
    assert post(phone, xml, folder / "IMG_2235.JPG").status_code == 202
    submission = Submission.objects.get(instance_id="uuid:5b2cc313-fc09-437e-8149-fcd32f695d41")
    assert sorted(submission.attachments.values_list("name", "size")) == [
        ("1335783522563.jpg", 714104),
        ("IMG_2235.JPG", 3197835),
    ]
    assert Attachment.objects.count() == 2


def test_different_xml_under_the_same_instance_id_is_a_conflict(phone, tmp_path):
    original = INSTANCES / "transport_2011-07-25_19-05-36/transport_2011-07-25_19-05-36.xml"
    assert post(phone, original).status_code == 201
    changed = tmp_path / "changed.xml"
    changed.write_bytes(original.read_bytes().replace(b">daily<", b">weekly<"))
    response = post(phone, changed)
    assert response.status_code == 409
    assert "different content" in message(response)
    assert Submission.objects.count() == 1


def test_an_edit_supersedes_the_original(phone):
    folder = ARTIFACTS / "instances_w_uuid"
    original = folder / "transport_2011-07-25_19-05-36/transport_2011-07-25_19-05-36.xml"
    edited = (
        folder / "transport_2011-07-25_19-05-36-edited/transport_2011-07-25_19-05-36-edited.xml"
    )
    assert post(phone, original).status_code == 201
    assert post(phone, edited).status_code == 201
    old = Submission.objects.get(instance_id="uuid:7a9ba167019a4152a31e46049587d672")
    new = Submission.objects.get(instance_id="uuid:6b15caf0eaed408b88b7037e78004f08")
    assert old.status == SubmissionStatus.SUPERSEDED
    assert new.deprecated_id == old.instance_id
    assert ">monthly<" in new.xml


def test_encrypted_envelope_is_kept_for_review(phone, personas):
    form_publish(
        organisation=personas.home,
        by=personas.admin,
        xlsform=(ARTIFACTS / "transportation_encrypted.xls").read_bytes(),
        file_name="transportation_encrypted.xls",
        purpose="keep",
    )
    folder = ARTIFACTS / "instances_encrypted"
    response = post(phone, folder / "submission.xml", folder / "submission.xml.enc")
    assert response.status_code == 201
    submission = Submission.objects.get(encrypted=True)
    assert submission.status == SubmissionStatus.REVIEW
    assert "Encrypted" in submission.reason
    assert submission.attachments.get().name == "submission.xml.enc"


def test_bad_requests_get_a_clear_4xx(phone, tmp_path):
    assert phone.post("/openrosa/submission", {}, secure=True).status_code == 400
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<transportation id='transportation_2011_07_25'><oops></transportation>")
    response = post(phone, broken)
    assert response.status_code == 400
    assert "not well-formed" in message(response)
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x id="transportation_2011_07_25">&a;</x>')
    assert post(phone, bomb).status_code == 400
    unknown = tmp_path / "unknown.xml"
    unknown.write_bytes(b"<x id='no_such_form'><meta><instanceID>uuid:1</instanceID></meta></x>")
    assert post(phone, unknown).status_code == 404
    no_version = phone.post("/openrosa/submission", {}, secure=True, HTTP_X_OPENROSA_VERSION="")
    assert no_version.status_code == 400
    assert Submission.objects.count() == 0
