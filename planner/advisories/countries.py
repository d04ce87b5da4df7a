"""Country codes: ISO 3166-1 alpha-2 out, whatever a feed uses in.

The US State Department tags items with FIPS 10-4 style codes, which collide with ISO codes
(`GB` is Gabon, `UK` the United Kingdom), so the US adapter uses `FIPS_TO_ISO` only, never a
guess through pycountry. Feeds that give names only (Smartraveller) go through `code_for_name`:
an explicit table first, then pycountry's exact-name lookup.
"""

from __future__ import annotations

import re
import unicodedata

import pycountry

from planner.errors import InputError

# Kosovo's user-assigned code; pycountry lacks it, every feed uses it (models.py agrees).
KOSOVO = "XK"

# Every FIPS-style tag seen in the recorded US feeds (2019, 2025), checked by hand against the
# item titles. A value is a tuple because one US item can cover several ISO countries.
FIPS_TO_ISO: dict[str, tuple[str, ...]] = {
    "A1": ("BQ",),  # Bonaire, Sint Eustatius and Saba (one item in 2019, three in 2025)
    "A2": ("GF",),  # French Guiana
    "A3": ("GP", "MQ", "BL", "MF"),  # French West Indies
    "AA": ("AW",), "AC": ("AG",), "AE": ("AE",), "AF": ("AF",), "AG": ("DZ",), "AJ": ("AZ",),
    "AL": ("AL",), "AM": ("AM",), "AN": ("AD",), "AO": ("AO",), "AR": ("AR",), "AS": ("AU",),
    "AU": ("AT",), "AV": ("AI",), "AY": ("AQ",), "BA": ("BH",), "BB": ("BB",), "BC": ("BW",),
    "BD": ("BM",), "BE": ("BE",), "BF": ("BS",), "BG": ("BD",), "BH": ("BZ",), "BK": ("BA",),
    "BL": ("BO",), "BM": ("MM",), "BN": ("BJ",), "BO": ("BY",), "BP": ("SB",), "BR": ("BR",),
    "BT": ("BT",), "BU": ("BG",), "BX": ("BN",), "BY": ("BI",), "CA": ("CA",), "CB": ("KH",),
    "CD": ("TD",), "CE": ("LK",), "CF": ("CG",), "CG": ("CD",), "CH": ("CN",), "CI": ("CL",),
    "CJ": ("KY",), "CM": ("CM",), "CN": ("KM",), "CO": ("CO",), "CS": ("CR",), "CT": ("CF",),
    "CU": ("CU",), "CV": ("CV",), "CY": ("CY",), "DA": ("DK",), "DJ": ("DJ",), "DO": ("DM",),
    "DR": ("DO",), "EC": ("EC",), "EG": ("EG",), "EI": ("IE",), "EK": ("GQ",), "EN": ("EE",),
    "ER": ("ER",), "ES": ("SV",), "ET": ("ET",), "EZ": ("CZ",), "FI": ("FI",), "FJ": ("FJ",),
    "FM": ("FM",), "FP": ("PF",), "FR": ("FR",), "GA": ("GM",), "GB": ("GA",), "GG": ("GE",),
    "GH": ("GH",), "GJ": ("GD",), "GL": ("GL",), "GM": ("DE",), "GR": ("GR",), "GT": ("GT",),
    "GV": ("GN",), "GW": ("GW",), "GY": ("GY",), "HA": ("HT",), "HK": ("HK",), "HO": ("HN",),
    "HR": ("HR",), "HU": ("HU",), "IC": ("IS",), "ID": ("ID",), "IN": ("IN",), "IR": ("IR",),
    "IS": ("IL", "PS"),  # Israel, The West Bank and Gaza
    "IT": ("IT",), "IV": ("CI",), "IZ": ("IQ",), "JA": ("JP",), "JM": ("JM",), "JO": ("JO",),
    "KE": ("KE",), "KG": ("KG",), "KN": ("KP",), "KR": ("KI",), "KS": ("KR",), "KU": ("KW",),
    "KV": (KOSOVO,), "KZ": ("KZ",), "LA": ("LA",), "LE": ("LB",), "LG": ("LV",), "LH": ("LT",),
    "LI": ("LR",), "LO": ("SK",), "LS": ("LI",), "LT": ("LS",), "LU": ("LU",), "LY": ("LY",),
    "MA": ("MG",), "MC": ("MO",), "MD": ("MD",), "MG": ("MN",), "MH": ("MS",), "MI": ("MW",),
    "MJ": ("ME",), "MK": ("MK",), "ML": ("ML",), "MO": ("MA",), "MP": ("MU",), "MR": ("MR",),
    "MT": ("MT",), "MU": ("OM",), "MV": ("MV",), "MX": ("MX",), "MY": ("MY",), "MZ": ("MZ",),
    "NC": ("NC",), "NG": ("NE",), "NH": ("VU",), "NI": ("NG",), "NL": ("NL",), "NN": ("SX",),
    "NO": ("NO",), "NP": ("NP",), "NR": ("NR",), "NS": ("SR",), "NU": ("NI",), "NZ": ("NZ",),
    "OD": ("SS",), "PA": ("PY",), "PE": ("PE",), "PK": ("PK",), "PL": ("PL",), "PM": ("PA",),
    "PO": ("PT",), "PP": ("PG",), "PS": ("PW",), "QA": ("QA",), "RI": ("RS",), "RM": ("MH",),
    "RO": ("RO",), "RP": ("PH",), "RS": ("RU",), "RW": ("RW",), "SA": ("SA",), "SC": ("KN",),
    "SE": ("SC",), "SF": ("ZA",), "SG": ("SN",), "SI": ("SI",), "SL": ("SL",), "SN": ("SG",),
    "SO": ("SO",), "SP": ("ES",), "SR": ("CH",), "ST": ("LC",), "SU": ("SD",), "SW": ("SE",),
    "SY": ("SY",), "TD": ("TT",), "TH": ("TH",), "TI": ("TJ",), "TK": ("TC",), "TN": ("TO",),
    "TO": ("TG",), "TP": ("ST",), "TS": ("TN",), "TT": ("TL",), "TU": ("TR",), "TV": ("TV",),
    "TW": ("TW",), "TX": ("TM",), "TZ": ("TZ",), "UC": ("CW",), "UG": ("UG",), "UK": ("GB",),
    "UP": ("UA",), "UV": ("BF",), "UY": ("UY",), "UZ": ("UZ",), "VC": ("VC",), "VE": ("VE",),
    "VI": ("VG",), "VM": ("VN",), "WA": ("NA",), "WS": ("WS",), "WZ": ("SZ",), "YM": ("YE",),
    "ZA": ("ZM",), "ZI": ("ZW",),
}  # fmt: skip

# Longer than any country name (pycountry's longest is 52 characters, the table's 48).
MAX_NAME = 200

# Names pycountry's exact lookup misses (short or older forms used by the feeds).
NAME_TO_ISO: dict[str, tuple[str, ...]] = {
    "russia": ("RU",),
    "kosovo": (KOSOVO,),
    "macau": ("MO",),
    "hong kong": ("HK",),
    "palestine": ("PS",),
    "the bahamas": ("BS",),
    "the gambia": ("GM",),
    "democratic republic of the congo": ("CD",),
    "republic of the congo": ("CG",),
    "cote divoire": ("CI",),
    "cote divoire ivory coast": ("CI",),
    "north korea": ("KP",),
    "north korea democratic peoples republic of korea": ("KP",),
    "south korea": ("KR",),
    "south korea republic of korea": ("KR",),
    "laos": ("LA",),
    "vietnam": ("VN",),
    "turkey": ("TR",),
    "burma myanmar": ("MM",),
    "czech republic": ("CZ",),
    "east timor": ("TL",),
    "swaziland": ("SZ",),
    "micronesia": ("FM",),
}


def _key(name: str) -> str:
    """Lowercase ASCII words: 'Côte d'Ivoire (Ivory Coast)' -> 'cote divoire ivory coast'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"['\u2019]", "", ascii_name.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_name).split())


def is_iso(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 code (or Kosovo's XK)."""
    return code == KOSOVO or pycountry.countries.get(alpha_2=code) is not None


def code_for_name(name: str) -> tuple[str, ...]:
    """ISO codes for a country name, or () when the name is not known: never a fuzzy guess."""
    if len(name) > MAX_NAME:  # a feed's megabyte "name" is not worth normalising
        return ()
    key = _key(name)
    if key in NAME_TO_ISO:
        return NAME_TO_ISO[key]
    try:
        country = pycountry.countries.lookup(name.strip())
    except LookupError:
        return ()
    return (country.alpha_2,)


def name_for_code(code: str) -> str:
    """A readable English name for an ISO alpha-2 code, or the code itself."""
    if code == KOSOVO:
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def normalize_country(value: str) -> str:
    """A user's country (code or name) as an ISO alpha-2 code; InputError if unknown."""
    text = value.strip()
    if len(text) == 2 and is_iso(text.upper()):
        return text.upper()
    codes = code_for_name(text)
    if len(codes) == 1:
        return codes[0]
    raise InputError(f"unknown country {value!r}: give an ISO 3166-1 alpha-2 code such as RU")
