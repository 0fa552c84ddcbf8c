"""`posted_id`: the one rule for a row id taken from a form."""

import pytest
from django.core.exceptions import BadRequest

from samaki.http import MAX_ID, posted_id


@pytest.mark.parametrize("text", ["1", "42", str(MAX_ID)])
def test_a_possible_id_is_read(text):
    assert posted_id(text) == int(text)


@pytest.mark.parametrize("text", ["", "0", "-1", " 1", "1.0", str(MAX_ID + 1), "9" * 20, "٣", "²"])
def test_anything_else_is_a_bad_request(text):
    with pytest.raises(BadRequest):
        posted_id(text)
