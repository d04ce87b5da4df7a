"""Places and distances: an offline gazetteer, great-circle distances and a travel-time rule.

The gazetteer is data/gazetteer/cities15000.tsv, built by scripts/build_gazetteer.py from
GeoNames (every city over 15,000 people; "Contains data from GeoNames (geonames.org), CC BY 4.0").
It answers by name or by any alternate in Latin, Cyrillic, Georgian, Armenian, Hebrew or Arabic
script (Persian too), so "Москва", "Moskva" and "moscow" are the same city, and so are "بيروت"
and "Beirut", "Şanlıurfa" and "Sanliurfa". A place with its district ("Hamra, Beirut") is
found by its town. Online geocoding (OpenStreetMap Nominatim via geopy) is opt-in only:
`geocode_online` is never called unless the user asks.
"""

from __future__ import annotations

import bisect
import difflib
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np

from planner import precomputed
from planner.errors import DataError, InputError
from planner.messages import t
from planner.models import Place
from planner.paths import DATA_DIR

__all__ = [
    "ROAD_FACTOR",
    "ROAD_SPEED_KMH",
    "USER_AGENT",
    "distance_km",
    "distances_km",
    "geodesic_km",
    "Match",
    "find_place",
    "geocode_online",
    "locate",
    "normalise",
    "suggest_places",
    "travel_hours",
]

F = TypeVar("F", float, np.ndarray)

GAZETTEER = DATA_DIR / "gazetteer" / "cities15000.tsv"
GAZETTEER_SOURCE_URL = "https://www.geonames.org/"
ATTRIBUTION = "Contains data from GeoNames (geonames.org), CC BY 4.0"

MAX_SUGGESTED_PARTS = 3  # of "a, b, c, ...", the parts close names are looked for
ROAD_FACTOR = 1.3
ROAD_SPEED_KMH = 60.0
USER_AGENT = "departure-planner/0.1 (offline-first trip planner; opt-in geocoding)"

# WGS 84 ellipsoid, for the vectorised distance (Lambert's formula, within ~0.01% of geodesic).
_WGS84_A_KM = 6378.137
_WGS84_F = 1 / 298.257223563

# ---------------------------------------------------------------- normalising names

_SPACE = re.compile(r"\s+")
# "Tbilisi, GE" or "Moscow (RU)": a name with an ISO country code after it.
_WITH_COUNTRY = re.compile(r"^(?P<name>.+?)\s*(?:,\s*(?P<c1>[A-Za-z]{2})|\((?P<c2>[A-Za-z]{2})\))$")
# "Hamra, Beirut" or "الحمرا، بيروت": the comma and the Arabic comma separate a district.
_COMMAS = re.compile("[,\u060c]")


# Letters people write for one another, which Unicode does not decompose. Latin: Turkish
# dotless ı ("Sanlıurfa"), ł, ø, đ, ħ. Arabic script: alef wasla as alef, teh marbuta as heh
# (ة/ه at a word's end), alef maksura and Persian yeh as yeh, Persian kaf and heh doachashmee
# as Arabic kaf and heh; the tatweel (a stretching stroke) and the zero-width non-joiner
# (inside Persian words) go. Hamza forms (أ إ آ ؤ ئ) and harakat need nothing here: NFKD
# splits off the hamza and madda, and they and the vowel marks are combining marks.
_FOLD = (
    ("ı", "i"),
    ("ł", "l"),
    ("ø", "o"),
    ("đ", "d"),
    ("ħ", "h"),
    ("\u0671", "\u0627"),  # ٱ -> ا
    ("\u0629", "\u0647"),  # ة -> ه
    ("\u0649", "\u064a"),  # ى -> ي
    ("\u06cc", "\u064a"),  # ی -> ي
    ("\u06a9", "\u0643"),  # ک -> ك
    ("\u06be", "\u0647"),  # ھ -> ه
    ("\u0640", ""),  # tatweel
    ("\u200c", ""),  # zero-width non-joiner
)


def normalise(text: str) -> str:
    """The matching key of a name: no accents, case or extra spaces; ё is е (Russian usage),
    ı is i, and Arabic-script variants fold to one letter (see _FOLD)."""
    text = _SPACE.sub(" ", text).strip().casefold()
    if text.isascii():
        return text
    return _fold(text)


def _fold(text: str) -> str:
    """NFKD, marks dropped, then _FOLD: for one name or the whole file at once."""
    text = _strip_marks(unicodedata.normalize("NFKD", text))
    # A dozen str.replace calls run in C: over the whole file, a seventh of str.translate's time.
    for letter, folded in _FOLD:
        text = text.replace(letter, folded)
    return text


def _strip_marks(text: str) -> str:
    # NFKD splits "é" into "e" + accent and "ё" into "е" + diaeresis, so dropping the marks also
    # gives the usual Russian ё = е (and й = и, harmless for matching). Casefold comes first
    # because it can add marks: "İ".casefold() is "i" + a combining dot.
    marks = [ch for ch in set(text) if unicodedata.combining(ch)]
    if not marks:
        return text
    return re.sub("[" + "".join(marks) + "]", "", text)


# ---------------------------------------------------------------- the index


@dataclass(frozen=True)
class _Index:
    ids: list[int]
    names: list[str]
    countries: list[str]
    lats: np.ndarray
    lons: np.ndarray
    populations: list[int]
    alternates: Sequence[str]  # "|"-joined, split only for the rows a query returns
    keys: Sequence[str]  # every normalised name and alternate, sorted
    key_rows: list[int]  # the row each of `keys` belongs to

    def rows_for(self, key: str) -> list[int]:
        """Rows with a name or alternate that normalises to `key`, without repeats."""
        start = bisect.bisect_left(self.keys, key)
        end = bisect.bisect_right(self.keys, key, lo=start)
        return list(dict.fromkeys(self.key_rows[start:end]))

    def rows_starting(self, prefix: str) -> set[int]:
        start = bisect.bisect_left(self.keys, prefix)
        # "\U0010ffff" sorts after any character a name can hold.
        end = bisect.bisect_left(self.keys, prefix + "\U0010ffff", lo=start)
        return set(self.key_rows[start:end])


_lock = threading.Lock()
_index: _Index | None = None


def _load(path: Path = GAZETTEER) -> _Index:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(
            f"{path.name}: cannot read the gazetteer ({exc.strerror}); "
            "run scripts/build_gazetteer.py"
        ) from None
    # Normalising the whole file in one go runs in C and keeps the load well under a second;
    # it cannot move tabs, newlines or "|" (the build script checks that), so rows line up.
    keys_text = _fold(text.casefold())
    lines = text.split("\n")[1:]
    key_lines = keys_text.split("\n")[1:]
    if len(lines) != len(key_lines):
        raise DataError(f"{path.name}: a name changes its line breaks when normalised")
    ids: list[int] = []
    names: list[str] = []
    countries: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    pops: list[int] = []
    alternates: list[str] = []
    keys: list[str] = []
    key_rows: list[int] = []
    for lineno, (line, key_line) in enumerate(zip(lines, key_lines, strict=True), start=2):
        if not line:
            continue
        try:
            gid, name, country, lat, lon, pop, alts = line.split("\t")
            _, key_name, _, _, _, _, key_alts = key_line.split("\t")
            ids.append(int(gid))
            lats.append(float(lat))
            lons.append(float(lon))
            pops.append(int(pop))
        except ValueError:
            raise DataError(
                f"{path.name}: line {lineno}: expected 7 tab-separated fields"
            ) from None
        row = len(names)
        names.append(name)
        countries.append(country)
        alternates.append(alts)
        # The build script keeps names stripped and single-spaced, as normalise() makes them.
        row_keys = (key_name, *key_alts.split("|")) if key_alts else (key_name,)
        keys.extend(row_keys)
        key_rows.extend([row] * len(row_keys))
    # One sorted list answers both exact (bisect) and prefix (a run) lookups; a dict of lists
    # would cost more to build than the whole sort.
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return _Index(
        ids=ids,
        names=names,
        countries=countries,
        lats=np.array(lats),
        lons=np.array(lons),
        populations=pops,
        alternates=alternates,
        keys=[keys[i] for i in order],
        key_rows=[key_rows[i] for i in order],
    )


def _packed() -> tuple:
    """The index as a few long strings and arrays: quicker to store and load than 200,000
    small objects. No field holds a newline (the file is split on them)."""
    index = _load()
    return (
        "\n".join(index.names),
        "\n".join(index.countries),
        _joined(index.alternates),
        _joined(index.keys),
        np.array(index.ids, dtype=np.int64),
        np.array(index.populations, dtype=np.int64),
        np.array(index.key_rows, dtype=np.int32),
        index.lats,
        index.lons,
    )


def _joined(items: Sequence[str]) -> tuple[str, np.ndarray]:
    starts = np.zeros(len(items) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in items], out=starts[1:])
    return "".join(items), starts


class _Strings(Sequence[str]):
    """A read-only list of strings kept as one string and offsets: loads in a blink, and
    bisect or a row lookup reads only the few items it touches."""

    def __init__(self, text: str, starts: np.ndarray) -> None:
        self._text = text
        self._starts = starts.tolist()

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._text[self._starts[i] : self._starts[i + 1]]


def _unpack(packed: tuple) -> _Index:
    names, countries, alternates, keys, ids, populations, key_rows, lats, lons = packed
    return _Index(
        ids=ids.tolist(),
        names=names.split("\n"),
        countries=countries.split("\n"),
        lats=lats,
        lons=lons,
        populations=populations.tolist(),
        alternates=_Strings(*alternates),
        keys=_Strings(*keys),
        key_rows=key_rows.tolist(),
    )


def _get_index() -> _Index:
    """The gazetteer, read once per process on first use (thread-safe)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                # Building the index takes most of a second; a stored copy, a tenth of that.
                _index = _unpack(precomputed.load("gazetteer", [GAZETTEER], _packed))
    return _index


# ---------------------------------------------------------------- local names

# Country -> its main script, when that is not Latin and the gazetteer keeps it.
_COUNTRY_SCRIPT = dict.fromkeys(
    ("RU", "BY", "UA", "BG", "RS", "MK", "MN", "KZ", "KG", "TJ"), "CYRILLIC"
) | {
    "GE": "GEORGIAN",
    "AM": "ARMENIAN",
    "IL": "HEBREW",
}
# Letters of each Cyrillic alphabet: rules out Belarusian "Масква" for Moscow, say.
_RU_LETTERS = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_ALPHABET = {
    "RU": _RU_LETTERS,
    "UA": set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'’"),
    "BY": set("абвгдеёжзійклмнопрстуўфхцчшыьэюя'’"),
    "BG": _RU_LETTERS - set("ёыэ"),
    "RS": set("абвгдђежзијклљмнњопрстћуфхцчџш"),
    "MK": set("абвгдѓежзѕијклљмнњопрстќуфхцчџш"),
    "KZ": _RU_LETTERS | set("әғқңөұүһі"),
    "KG": _RU_LETTERS | set("ңөү"),
}
# English exonyms that read nothing like the local name; the romanising guess gets these wrong.
_LOCAL_NAME_FIXES = {
    524901: "Москва",  # Moscow
    792680: "Београд",  # Belgrade
    281184: "ירושלים",  # Jerusalem
    294801: "חיפה",  # Haifa
    616052: "Երևան",  # Yerevan
    558418: "Грозный",  # Grozny
}


def _pairs(letters: str, romans: str) -> dict[str, str]:
    return dict(zip(letters, romans.split(" "), strict=True))


# Rough romanisation, only to pick the local spelling that reads most like the English name.
_ROMAN = (
    _pairs(
        "абвгґдеєёжзиіїйклмнопрстуўфхцчшщъыьэюяђјљњћџѓѕќ",
        "a b v g g d e ye yo zh z i i yi y k l m n o p r s t u w f kh ts ch sh shch  y  e yu ya "
        "dj j lj nj c dz gj dz kj",
    )
    | _pairs(
        "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
        "a b g d e v z t i k l m n o p zh r s t u p k gh q sh ch ts dz ts ch kh j h",
    )
    | _pairs(
        "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆև",
        "a b g d e z e y t zh i l kh ts k h dz gh ch m y n sh o ch p j r s v t r ts w p k o f ev",
    )
    | _pairs(
        "אבגדהוזחטיכךלמםנןסעפףצץקרשת", " b g d h v z kh t y k kh l m m n n s  p f ts ts k r sh t"
    )
)
_ROMAN_UA = _ROMAN | _pairs("игіє", "y h i ye")


def _romanise(text: str, country: str) -> str:
    table = _ROMAN_UA if country == "UA" else _ROMAN
    text = text.lower().replace("-", " ").replace("ый", "y").replace("ий", "y")
    return "".join(table.get(ch, ch) for ch in text)


def _script_of(name: str) -> str | None:
    ch = next((ch for ch in name if ch.isalpha()), "")
    return unicodedata.name(ch, "").split(" ", 1)[0] or None


def _local_name(geonameid: int, name: str, country: str, alternates: str) -> str:
    """The alternate in the country's main script that reads most like `name`.

    "" when the country's script is Latin (the name already is local) or none is kept.
    A heuristic: checked on some 40 capitals and border towns, with fixes for exonyms.
    """
    if geonameid in _LOCAL_NAME_FIXES:
        return _LOCAL_NAME_FIXES[geonameid]
    script = _COUNTRY_SCRIPT.get(country)
    if script is None or not alternates:
        return ""
    candidates = [a for a in alternates.split("|") if _script_of(a) == script]
    alphabet = _ALPHABET.get(country)
    if alphabet:
        native = [a for a in candidates if set(a.lower()) - set(" -") <= alphabet]
        candidates = native or candidates
    if not candidates:
        return ""
    target = normalise(name).replace("-", " ")

    def closeness(alt: str) -> tuple[float, bool, bool, bool, int, str]:
        ratio = difflib.SequenceMatcher(None, target, _romanise(alt, country)).ratio()
        # Ties: a hyphen over a space (Санкт-Петербург), no suffix ("Тбилиси ош"), a final soft
        # sign (Казань, Пермь), then the shorter form, without inner ones (Мурманск not
        # Мурманськ); last, the higher letters, which puts Грозный before Грозний.
        return ratio, "-" in alt, " " not in alt, alt.endswith("ь"), -len(alt), alt

    return max(candidates, key=closeness)


def _place(index: _Index, row: int) -> Place:
    name = index.names[row]
    country = index.countries[row]
    return Place(
        name=name,
        local_name=_local_name(index.ids[row], name, country, index.alternates[row]),
        lat=float(index.lats[row]),
        lon=float(index.lons[row]),
        country=country,
        precision="city",
    )


# ---------------------------------------------------------------- lookups


def _split_country(query: str) -> tuple[str, str | None]:
    match = _WITH_COUNTRY.match(query.strip())
    if match is None:
        return query, None
    return match["name"], (match["c1"] or match["c2"]).upper()


def _label(index: _Index, row: int) -> str:
    return f"{index.names[row]} ({index.countries[row]})"


def _did_you_mean(
    index: _Index, keys: Sequence[str], country: str | None, limit: int = 5
) -> list[str]:
    """Labels of the places whose names are closest to unknown keys (a query and its parts):
    those in `country` (the departure country, where the user most likely is) first, then
    the rest, each group in order of the keys and of closeness."""
    rows: list[int] = []
    for key in keys:
        # Only keys of about the same length: difflib over all 200,000 would take seconds.
        pool = list(dict.fromkeys(k for k in index.keys if abs(len(k) - len(key)) <= 3))
        for close in difflib.get_close_matches(key, pool, n=limit * 4, cutoff=0.7):
            rows += sorted(index.rows_for(close), key=lambda r: -index.populations[r])
    rows.sort(key=lambda r: index.countries[r] != country)  # stable: the order above stays
    return list(dict.fromkeys(_label(index, row) for row in rows))[:limit]


@dataclass(frozen=True)
class Match:
    """The place found for what the user typed, and which part of it named the place."""

    place: Place
    query: str
    part: str = ""  # the comma-separated part used when the whole is no known place

    def note(self) -> str:
        """What to tell the user when only a part was used ("" otherwise): the rest, most
        often a district or street, is not in the offline list of towns."""
        if not self.part:
            return ""
        return t(
            "place.from_part",
            query=self.query.strip(),
            part=self.part,
            place=self.place.name,
            country=self.place.country or "",
        )


def find_place(query: str, country: str | None = None) -> Place:
    """The city a user means by `query` (see `locate`)."""
    return locate(query, country).place


def locate(query: str, country: str | None = None) -> Match:
    """The city a user means by `query`: a name or alternate, optionally "Name, CC", or a
    place with its district ("Hamra, Beirut"), whose town part is then used.

    Places in `country` (a hint, e.g. the departure country, where the user most likely is)
    come first, then exact spellings before case- or accent-insensitive ones, then larger
    places. A country written in the query ("Tbilisi, GE") is a filter, not a hint. When
    the whole is unknown, each comma-separated part is tried, the first found in `country`
    first. Raises InputError with suggestions when no part is known.
    """
    if not query or not query.strip():
        raise InputError("empty place name: type a city or town, e.g. 'Tbilisi' or 'Москва'")
    index = _get_index()
    hint = country.strip().upper() if country else None
    name, only, part = query, None, ""
    rows = index.rows_for(normalise(query))
    if not rows:  # then perhaps "Name, CC"
        name, only = _split_country(query)
        rows = [r for r in index.rows_for(normalise(name)) if index.countries[r] == only]
    if not rows:  # then perhaps "District, Town"
        part, rows = _part_found(index, name, only, only or hint)
    if not rows:
        shown = query.strip()
        # Names close to each comma-separated part ("Hamra, Beirutt" suggests Beirut): only
        # three of 34,000 names hold a comma. difflib takes most of a second per key, so at
        # most MAX_SUGGESTED_PARTS of them, none of one letter (it is close to no name).
        keys = dict.fromkeys(k for k in map(normalise, _COMMAS.split(name)) if len(k) > 1)
        suggestions = _did_you_mean(index, list(keys)[:MAX_SUGGESTED_PARTS], only or hint)
        if suggestions:
            raise InputError(f"unknown place {shown!r}: did you mean {', '.join(suggestions)}?")
        raise InputError(
            f"unknown place {shown!r}: try the nearest town of over 15,000 people, "
            "or the name in English"
        )
    written = _SPACE.sub(" ", part or name).strip()

    def rank(row: int) -> tuple[bool, bool, int]:
        exact = index.names[row] == written or written in index.alternates[row].split("|")
        return (index.countries[row] != hint, not exact, -index.populations[row])

    return Match(place=_place(index, min(rows, key=rank)), query=query, part=part)


def _part_found(
    index: _Index, name: str, only: str | None, hint: str | None
) -> tuple[str, list[int]]:
    """The first comma-separated part of `name` that is a known place in `hint` (else
    anywhere; only in `only` if given), with its rows; ("", []) when none is."""
    parts = [p.strip() for p in _COMMAS.split(name)]
    found = []
    for part in parts if len(parts) > 1 else ():
        rows = index.rows_for(normalise(part)) if part else []
        if only is not None:
            rows = [r for r in rows if index.countries[r] == only]
        if rows:
            found.append((part, rows))
    in_hint = [(p, rows) for p, rows in found if any(index.countries[r] == hint for r in rows)]
    return next(iter(in_hint or found), ("", []))


def town_in(name: str, country: str) -> Place | None:
    """The place called exactly `name` (any script, case and accents aside) in `country`,
    the largest if several; None if there is none. No suggestions are worked out: for
    looking names up from data, where a miss is expected and costs nothing."""
    index = _get_index()
    rows = [r for r in index.rows_for(normalise(name)) if index.countries[r] == country]
    if not rows:
        return None
    return _place(index, min(rows, key=lambda r: -index.populations[r]))


def suggest_places(prefix: str, limit: int = 10) -> list[Place]:
    """Places whose name or an alternate starts with `prefix`, largest first (a search box)."""
    if limit <= 0:
        return []
    index = _get_index()
    name, only = _split_country(prefix)
    key = normalise(name)
    if not key:
        return []
    rows = index.rows_starting(key)
    if only is not None:
        rows = {r for r in rows if index.countries[r] == only}
    best = sorted(rows, key=lambda r: (-index.populations[r], index.ids[r]))[:limit]
    return [_place(index, r) for r in best]


# ---------------------------------------------------------------- distances and time


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Geodesic (WGS 84 ellipsoid) distance between two points, in km."""
    from geopy.distance import geodesic  # geopy imports all its geocoders: only when used

    return float(geodesic((a_lat, a_lon), (b_lat, b_lon)).km)


def distances_km(lat: float, lon: float, lats: Any, lons: Any) -> np.ndarray:
    """Distances in km from one point to many, vectorised (Lambert's ellipsoidal formula).

    Within about 0.01% of geodesic below 10,000 km; antipodal points fall back to the sphere.
    """
    lat2 = np.radians(np.asarray(lats, dtype=float))
    lon2 = np.radians(np.asarray(lons, dtype=float))
    lat1 = np.radians(float(lat))
    lon1 = np.radians(float(lon))
    # Reduced latitudes put the ellipsoid's points on an auxiliary sphere.
    b1 = np.arctan((1 - _WGS84_F) * np.tan(lat1))
    b2 = np.arctan((1 - _WGS84_F) * np.tan(lat2))
    h = np.sin((b2 - b1) / 2) ** 2 + np.cos(b1) * np.cos(b2) * np.sin((lon2 - lon1) / 2) ** 2
    sigma = 2 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    p = (b1 + b2) / 2
    q = (b2 - b1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (sigma - np.sin(sigma)) * np.sin(p) ** 2 * np.cos(q) ** 2 / np.cos(sigma / 2) ** 2
        y = (sigma + np.sin(sigma)) * np.cos(p) ** 2 * np.sin(q) ** 2 / np.sin(sigma / 2) ** 2
        d = _WGS84_A_KM * (sigma - _WGS84_F / 2 * (x + y))
    sphere = 6371.0088 * sigma
    return np.where(np.isfinite(d) & (sigma > 1e-12), d, np.where(sigma > 1e-12, sphere, 0.0))


def geodesic_km(lat: float, lon: float, lats: Any, lons: Any) -> np.ndarray:
    """Geodesic distances in km from one point to many, as `distance_km` gives them, at once.

    Vincenty's inverse formula on the WGS 84 ellipsoid, iterated as arrays: within a
    millimetre of geopy's geodesic (Karney's algorithm), which answers the few
    nearly antipodal points where the iteration does not converge.
    """
    a, f = _WGS84_A_KM, _WGS84_F
    b = (1 - f) * a
    lat2 = np.radians(np.asarray(lats, dtype=float))
    lon2 = np.radians(np.asarray(lons, dtype=float))
    u1 = np.arctan((1 - f) * np.tan(np.radians(float(lat))))
    u2 = np.arctan((1 - f) * np.tan(lat2))
    big_l = np.angle(np.exp(1j * (lon2 - np.radians(float(lon)))))  # wrapped to [-pi, pi]
    sin_u1, cos_u1, sin_u2, cos_u2 = np.sin(u1), np.cos(u1), np.sin(u2), np.cos(u2)
    lam = big_l.copy()
    converged = np.zeros(lam.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(40):  # a few for most points; the rest go to geopy below
            sin_lam, cos_lam = np.sin(lam), np.cos(lam)
            sin_sigma = np.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
            cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
            sigma = np.arctan2(sin_sigma, cos_sigma)
            sin_alpha = np.where(sin_sigma == 0, 0.0, cos_u1 * cos_u2 * sin_lam / sin_sigma)
            cos2_alpha = 1 - sin_alpha**2
            cos_2sm = np.where(cos2_alpha == 0, 0.0, cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha)
            c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
            previous = lam
            lam = big_l + (1 - c) * f * sin_alpha * (
                sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
            )
            converged = np.abs(lam - previous) <= 1e-12
            if converged.all():
                break
        u_sq = cos2_alpha * (a**2 - b**2) / b**2
        big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
        big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
        delta = (
            big_b
            * sin_sigma
            * (
                cos_2sm
                + big_b
                / 4
                * (
                    cos_sigma * (-1 + 2 * cos_2sm**2)
                    - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
                )
            )
        )
        km = b * big_a * (sigma - delta)
    km = np.atleast_1d(np.asarray(km, dtype=float))
    flat_lats, flat_lons = np.atleast_1d(lats), np.atleast_1d(lons)
    for i in np.flatnonzero(~np.atleast_1d(converged) | ~np.isfinite(km)):
        km[i] = distance_km(lat, lon, float(flat_lats[i]), float(flat_lons[i]))
    return km


def travel_hours(distance_km: F) -> F:
    """Driving hours, assuming roads 1.3 times the straight-line distance, driven at 60 km/h
    (for one distance or an array of them)."""
    if np.any(np.asarray(distance_km) < 0):
        raise ValueError(f"distance must not be negative, got {distance_km}")
    return distance_km * ROAD_FACTOR / ROAD_SPEED_KMH


# ---------------------------------------------------------------- online (opt-in)

# Nominatim's result types -> how precise the point is.
_PRECISION = {
    "city": "city",
    "town": "city",
    "municipality": "city",
    "village": "settlement",
    "hamlet": "settlement",
    "suburb": "settlement",
    "neighbourhood": "settlement",
    "aerodrome": "airport",
    "border_control": "crossing",
}


def geocode_online(query: str, *, timeout: float = 5, geocoder: Any = None) -> Place:
    """Look `query` up on OpenStreetMap Nominatim; only on the user's explicit request.

    It sends the typed text to a third party, so the app must ask first. `geocoder` is any
    object with geopy's `geocode(query, ...)` method (tests pass a fake); the default is geopy's
    Nominatim with this app's user agent. Raises InputError if nothing is found or it fails.
    """
    from geopy.exc import GeopyError

    if not query or not query.strip():
        raise InputError("empty place name: type a place to look up online")
    if geocoder is None:
        from geopy.geocoders import Nominatim

        geocoder = Nominatim(user_agent=USER_AGENT, timeout=timeout)
    try:
        location = geocoder.geocode(
            query.strip(), exactly_one=True, addressdetails=True, timeout=timeout
        )
    except GeopyError as exc:
        raise InputError(
            f"online lookup of {query.strip()!r} failed ({exc}); try again later or "
            "pick a city from the offline list"
        ) from None
    if location is None:
        raise InputError(f"online lookup found no place called {query.strip()!r}")
    raw = getattr(location, "raw", None) or {}
    address = raw.get("address") or {}
    code = str(address.get("country_code") or "").upper() or None
    kind = raw.get("addresstype") or raw.get("type") or ""
    name = str(raw.get("name") or location.address.split(",")[0]).strip()
    try:
        return Place(
            name=name or query.strip(),
            lat=float(location.latitude),
            lon=float(location.longitude),
            country=code,
            precision=_PRECISION.get(kind, "settlement"),
        )
    except ValueError as exc:  # pydantic: a country code pycountry lacks, coordinates off range
        raise InputError(
            f"online lookup of {query.strip()!r} returned an unusable place: {exc}"
        ) from None
