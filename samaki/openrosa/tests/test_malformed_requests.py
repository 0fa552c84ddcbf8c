"""A phone's malformed request is a 400 (or the usual answer), never a 500, and records nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samaki.openrosa.models import Submission
from samaki.openrosa.tests.test_submission_records import phone, registration  # noqa: F401
from samaki.people.models import Person


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "١٢"])
def test_a_submission_with_a_content_length_that_is_not_a_length_is_400(phone, length):  # noqa: F811
    upload = SimpleUploadedFile("instance.xml", registration("uuid:bad-length"), "text/xml")
    response = phone.post(
        "/openrosa/submission",
        {"xml_submission_file": upload},
        secure=True,
        headers={"Content-Length": length},
    )
    assert response.status_code == 400
    assert b"Content-Length" in response.content
    assert Submission.objects.count() == 0
    assert Person.objects.count() == 0


@pytest.mark.parametrize("length", ["abc", "-5"])
def test_a_head_with_a_bad_content_length_still_gets_its_204(phone, length):  # noqa: F811
    response = phone.head("/openrosa/submission", secure=True, headers={"Content-Length": length})
    assert response.status_code == 204
