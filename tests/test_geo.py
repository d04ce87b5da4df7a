"""planner/geo.py against the real gazetteer (data/gazetteer/cities15000.tsv)."""

from __future__ import annotations

import numpy as np
import pytest
from geopy.exc import GeocoderTimedOut

from planner import geo
from planner.errors import InputError

MOSCOW = (55.75204, 37.61781)
VERKHNY_LARS = (42.74278, 44.63028)  # the Russia-Georgia road crossing
VAALIMAA = (60.5939, 27.8430)  # the Russia-Finland road crossing
TBILISI = (41.69143, 44.83412)
ULAANBAATAR = (47.90771, 106.88324)
LOS_ANGELES = (34.05223, -118.24368)


@pytest.mark.parametrize("query", ["Москва", "Moskva", "Moscow", "moscow", "  MOSCOW ", "Moskau"])
def test_moscow_in_any_spelling(query):
    place = geo.find_place(query)
    assert (place.name, place.country, place.local_name) == ("Moscow", "RU", "Москва")
    assert (place.lat, place.lon) == MOSCOW
    assert place.precision == "city"


@pytest.mark.parametrize("query", ["Тбилиси", "თბილისი", "Tbilisi", "Tbilisi, GE", "tbilisi (ge)"])
def test_tbilisi_in_any_script(query):
    place = geo.find_place(query)
    assert (place.name, place.country, place.local_name) == ("Tbilisi", "GE", "თბილისი")


@pytest.mark.parametrize(
    ("query", "name", "country", "local"),
    [
        ("Санкт-Петербург", "Saint Petersburg", "RU", "Санкт-Петербург"),
        ("Владикавказ", "Vladikavkaz", "RU", "Владикавказ"),
        ("Ереван", "Yerevan", "AM", "Երևան"),
        ("Київ", "Kyiv", "UA", "Київ"),
        ("Helsinki", "Helsinki", "FI", ""),  # Latin-script country: the name is local already
    ],
)
def test_local_names(query, name, country, local):
    place = geo.find_place(query)
    assert (place.name, place.country, place.local_name) == (name, country, local)


def test_yo_is_ye():
    assert geo.normalise("Щёлково") == geo.normalise("ЩЕЛКОВО") == "щелково"
    assert geo.find_place("Щелково").name == geo.find_place("Щёлково").name


def test_country_hint_and_filter():
    assert geo.find_place("Moscow").country == "RU"  # the larger one
    assert geo.find_place("Moscow", country="US").country == "US"
    assert geo.find_place("Moscow, US").country == "US"
    with pytest.raises(InputError, match="Moscow \\(RU\\)"):
        geo.find_place("Moscow, FR")  # a country in the query is a filter, not a hint


def test_unknown_place_suggests_the_closest():
    with pytest.raises(InputError) as err:
        geo.find_place("Mosow")
    message = str(err.value)
    assert message.startswith("unknown place 'Mosow': did you mean Moscow (RU), Moscow (US)")
    assert message.endswith("?") and message.count(".") == 0


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_place_is_an_input_error(query):
    with pytest.raises(InputError, match="empty place name"):
        geo.find_place(query)


def test_suggest_places_largest_first():
    assert [p.name for p in geo.suggest_places("тбил")] == ["Tbilisi", "Tbilisskaya"]
    found = geo.suggest_places("Mos", limit=3)
    assert len(found) == 3 and found[0].name == "Moscow"
    assert geo.suggest_places("") == [] and geo.suggest_places("Mos", limit=0) == []


def test_every_name_finds_its_own_row():
    index = geo._get_index()
    offenders = [
        (index.ids[row], alt)
        for row in range(0, len(index.ids), 97)  # a sample keeps the test fast
        for alt in [index.names[row], *filter(None, index.alternates[row].split("|"))]
        if row not in index.rows_for(geo.normalise(alt))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (MOSCOW, VERKHNY_LARS),
        (MOSCOW, VAALIMAA),
        (TBILISI, VERKHNY_LARS),
        (MOSCOW, ULAANBAATAR),
        (MOSCOW, LOS_ANGELES),
    ],
)
def test_vectorised_distance_agrees_with_geodesic(a, b):
    exact = geo.distance_km(*a, *b)
    fast = geo.distances_km(*a, np.array([b[0]]), np.array([b[1]]))[0]
    assert fast == pytest.approx(exact, rel=0.005)
    assert fast == pytest.approx(exact, rel=0.0002)  # Lambert's formula does much better


def test_real_distances():
    assert geo.distance_km(*MOSCOW, *VERKHNY_LARS) == pytest.approx(1532, abs=5)
    assert geo.distance_km(*MOSCOW, *VAALIMAA) == pytest.approx(787, abs=5)


def test_distances_edge_cases():
    lats = np.array([MOSCOW[0], -MOSCOW[0], 0.0])
    lons = np.array([MOSCOW[1], MOSCOW[1] - 180, 0.0])
    d = geo.distances_km(*MOSCOW, lats, lons)
    assert d[0] == 0.0
    assert np.isfinite(d).all()
    assert d[1] == pytest.approx(20_000, rel=0.01)  # antipode: the sphere fallback


def test_travel_hours():
    assert geo.ROAD_FACTOR == 1.3 and geo.ROAD_SPEED_KMH == 60.0
    assert geo.travel_hours(0) == 0
    assert geo.travel_hours(100) == pytest.approx(100 * 1.3 / 60)
    assert "1.3" in geo.travel_hours.__doc__ and "60 km/h" in geo.travel_hours.__doc__
    with pytest.raises(ValueError):
        geo.travel_hours(-1)


class _Location:
    def __init__(self, raw):
        self.raw = raw
        self.latitude = float(raw["lat"])
        self.longitude = float(raw["lon"])
        self.address = raw["display_name"]


class _FakeGeocoder:
    def __init__(self, result=None, error=None):
        self.result, self.error, self.calls = result, error, []

    def geocode(self, query, **kwargs):
        self.calls.append((query, kwargs))
        if self.error:
            raise self.error
        return self.result


def test_geocode_online_parses_nominatim():
    fake = _FakeGeocoder(
        _Location(
            {
                "lat": "42.7422",
                "lon": "44.6264",
                "name": "Верхний Ларс",
                "display_name": "Верхний Ларс, Северная Осетия, Россия",
                "addresstype": "village",
                "address": {"country_code": "ru"},
            }
        )
    )
    place = geo.geocode_online(" Verkhny Lars ", geocoder=fake, timeout=3)
    assert place.name == "Верхний Ларс" and place.country == "RU"
    assert (place.lat, place.lon, place.precision) == (42.7422, 44.6264, "settlement")
    assert fake.calls == [
        ("Verkhny Lars", {"exactly_one": True, "addressdetails": True, "timeout": 3})
    ]


def test_geocode_online_failures_are_input_errors():
    with pytest.raises(InputError, match="found no place"):
        geo.geocode_online("Nowhere", geocoder=_FakeGeocoder(None))
    with pytest.raises(InputError, match="failed"):
        geo.geocode_online("Tbilisi", geocoder=_FakeGeocoder(error=GeocoderTimedOut("slow")))


def test_default_geocoder_names_the_app():
    assert geo.USER_AGENT.startswith("departure-planner/")


# ---------------------------------------------------------------- Arabic, Persian, Turkish (#16)


@pytest.mark.parametrize(
    ("query", "country", "name", "found_in"),
    [
        ("بيروت", None, "Beirut", "LB"),
        ("بَيْرُوت", None, "Beirut", "LB"),  # with harakat
        ("بیروت", None, "Beirut", "LB"),  # Persian yeh
        ("طرابلس", "LB", "Tripoli", "LB"),  # not Libya's, the larger one
        ("طرابلس", "LY", "Tripoli", "LY"),
        ("تهران", None, "Tehran", "IR"),  # Persian
        ("طهران", None, "Tehran", "IR"),  # Arabic
        ("Şanlıurfa", None, "Şanlıurfa", "TR"),
        ("Sanliurfa", None, "Şanlıurfa", "TR"),
        ("Sanlıurfa", "TR", "Şanlıurfa", "TR"),  # dotless ı without the cedilla
        ("Bagcilar", None, "Bağcılar", "TR"),  # no dotless-free spelling in the data
        ("ŞANLIURFA", None, "Şanlıurfa", "TR"),
    ],
)
def test_arabic_persian_and_turkish_names(query, country, name, found_in):
    place = geo.find_place(query, country=country)
    assert (place.name, place.country) == (name, found_in)


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        (["أربيل", "إربيل", "اربيل", "ٱربيل"], "اربيل"),  # alef forms
        (["مدينة", "مدينه"], "مدينه"),  # teh marbuta, heh
        (["مصطفى", "مصطفي", "مصطفی"], "مصطفي"),  # alef maksura, yeh, Persian yeh
        (["كرج", "کرج"], "كرج"),  # Arabic kaf, Persian kaf
        (["القـاهرة", "القاهرة", "الْقَاهِرَة"], "القاهره"),  # tatweel, harakat
        (["اسلام\u200cشهر", "اسلامشهر"], "اسلامشهر"),  # zero-width non-joiner
        (["Şanlıurfa", "sanliurfa", "SANLIURFA"], "sanliurfa"),
    ],
)
def test_variants_fold_to_one_key(variants, key):
    assert {geo.normalise(v) for v in variants} == {key}


def test_departure_country_beats_an_exact_spelling_elsewhere():
    # "Trípólí" is spelt so only for Libya's Tripoli; from Lebanon it is Lebanon's.
    assert geo.find_place("Trípólí").country == "LY"
    assert geo.find_place("Trípólí", country="LB").country == "LB"


@pytest.mark.parametrize(
    ("query", "first"), [("eirut", "Beirut (LB)"), ("zale", "Zahlé (LB)"), ("aarsa", "Aarsâl (LB)")]
)
def test_suggestions_in_the_departure_country_come_first(query, first):
    with pytest.raises(InputError) as err:
        geo.find_place(query, country="LB")
    assert str(err.value).startswith(f"unknown place {query!r}: did you mean {first}, ")


@pytest.mark.parametrize(
    ("query", "country", "part", "name", "found_in"),
    [
        ("Hamra, Beirut", "LB", "Beirut", "Beirut", "LB"),
        ("Achrafieh, Beirut", "LB", "Beirut", "Beirut", "LB"),
        ("الحمرا، بيروت", "LB", "بيروت", "Beirut", "LB"),  # the Arabic comma
        ("Moscow, Khamovniki", "RU", "Moscow", "Moscow", "RU"),
        ("Hamra, Beirut, LB", None, "Beirut", "Beirut", "LB"),
        # Alexandria is found first, but in Egypt: the part in the departure country wins.
        ("Alexandria, Tripoli", "LB", "Tripoli", "Tripoli", "LB"),
        ("Misato, Saitama", None, "", "Misato, Saitama", "JP"),  # the whole is a name
    ],
)
def test_a_district_with_its_town_resolves_to_the_town(query, country, part, name, found_in):
    match = geo.locate(query, country=country)
    assert (match.part, match.place.name, match.place.country) == (part, name, found_in)
    assert geo.find_place(query, country=country) == match.place


def test_the_part_used_is_told():
    match = geo.locate("Hamra, Beirut", country="LB")
    assert match.note() == (
        "“Hamra, Beirut” is not a town in the offline list (towns of over 15,000 people, not "
        "districts or streets); “Beirut” in it is, so distances are counted from Beirut (LB)."
    )
    assert geo.locate("Beirut", country="LB").note() == ""


def test_unknown_parts_suggest_for_each_part():
    with pytest.raises(InputError) as err:
        geo.find_place("Hamra, Beirutt", country="LB")
    assert str(err.value).startswith("unknown place 'Hamra, Beirutt': did you mean Beirut (LB), ")


def test_many_parts_cost_at_most_a_few_lookups(monkeypatch):
    seen: list[list[str]] = []
    real = geo._did_you_mean
    monkeypatch.setattr(
        geo, "_did_you_mean", lambda i, keys, c: seen.append(keys) or real(i, keys, c)
    )
    with pytest.raises(InputError):
        geo.find_place(", ".join(["x", "Hamra", "Hamra", "Beirutt", "Zzzz", "Qqqq"] * 30))
    assert seen == [["hamra", "beirutt", "zzzz"]]
