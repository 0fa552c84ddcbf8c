import pytest
from samaki.conftest import PASSWORD

QS = ["after__has_key=x", "before__contains=", "after__contains=x", "after__has_keys=x", "after__x__y=1", "after__foo=1", "before__isnull=maybe", "at__gte=notadate", "object_id__in=a,b", "actor__id=99999999999999999999999", "actor=abc", "id=99999999999999999999999"]

@pytest.mark.parametrize("qs", QS)
def test_probe(client, personas, qs):
    client.force_login(personas.superuser)
    personas.person()
    r = client.get("/admin/audit/auditevent/?" + qs)
    print(qs, r.status_code, r.get("Location"))
