from django.db.models import Count

from samaki.areas.models import Area
from samaki.areas.services import gazetteer_load


def test_the_whole_gazetteer_is_loaded(db):
    counts = dict(Area.objects.values_list("level").annotate(n=Count("id")))
    assert counts == {"province": 25, "district": 210, "commune": 1652, "village": 14578}


def test_loading_again_changes_nothing(db):
    result = gazetteer_load()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 16465)


def test_codes_keep_their_leading_zeros_and_ancestors_are_linked(db):
    village = Area.objects.select_related("province", "district", "commune").get(code="01020316")
    assert village.path == "01/0102/010203/01020316/"
    assert (village.province.code, village.district.code, village.commune.code) == (
        "01",
        "0102",
        "010203",
    )
    assert village.name_en == "Ta Bun"  # the cleaned spelling, not "Ta  Bun"
    province = Area.objects.get(code="17")
    assert (province.province_id, province.name_km, province.name_en) == (
        province.pk,
        "សៀមរាប",
        "Siem Reap",
    )


def test_a_changed_name_is_updated_in_place(db, tmp_path):
    source = tmp_path / "one.csv"
    source.write_text(
        "code,parent_code,level,unit_km,unit_latin,unit_en,name_km,name_en,name_ungegn\n"
        "17,,province,ខេត្ត,Khaet,Province,សៀមរាប,Siem Reap City,\n",
        encoding="utf-8",
    )
    result = gazetteer_load(path=source)
    assert (result.created, result.updated) == (0, 1)
    assert Area.objects.get(code="17").name_en == "Siem Reap City"
    assert Area.objects.filter(district__code="1702").count() > 1  # children still linked
