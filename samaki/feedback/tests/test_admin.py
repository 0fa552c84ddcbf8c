"""The admin lists the shared feedback categories and request topics, and not feedback itself."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_lists_the_vocabularies_but_no_feedback(client, personas):
    client.force_login(personas.admin)
    categories = client.get("/admin/feedback/feedbackcategory/")
    assert categories.status_code == 200
    assert "Health centre and health services" in categories.content.decode()
    assert client.get("/admin/advocacy/requesttopic/").status_code == 200
    assert client.get("/admin/feedback/feedback/").status_code == 404
