"""Whole-data checks over data/: every fact sourced and dated, codes real, ids unique."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pycountry
import pytest
from pydantic import BaseModel

from planner.catalog import DATA_DIR, load_catalog
from planner.errors import DataError
from planner.models import Fact, Place


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _walk(obj, path=""):
    """Yield (path, model) for every pydantic model nested in obj."""
    if isinstance(obj, BaseModel):
        yield path, obj
        for name in type(obj).model_fields:
            yield from _walk(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from _walk(item, f"{path}[{i}]")


def _everything(catalog):
    for code, country in catalog.countries.items():
        yield from _walk(country, f"countries/{code}")
    for routes in catalog.routes.values():
        for route in routes:
            yield from _walk(route, f"routes/{route.id}")
    yield from _walk(list(catalog.embassies), "embassies")
    yield from _walk(list(catalog.checklist), "checklist")
    yield from _walk(list(catalog.overrides), "overrides")


def test_data_has_russia(catalog):
    assert "RU" in catalog.countries
    assert len(catalog.routes_from("RU")) >= 30


def test_every_fact_has_source_and_date(catalog):
    offenders = []
    for path, model in _everything(catalog):
        if isinstance(model, Fact):
            dated = any(isinstance(getattr(model, f, None), dt.date) for f in ("as_of", "date"))
            if not model.source_url.startswith(("http://", "https://")) or not dated:
                offenders.append(path)
    assert offenders == []


def test_checklist_items_have_source_and_date(catalog):
    offenders = [r.id for r in catalog.checklist if not r.source_url or not r.as_of]
    assert offenders == []


def test_coordinates_in_range_and_codes_exist(catalog):
    offenders = []
    for path, model in _everything(catalog):
        if isinstance(model, Place):
            if model.lat is not None and not (-90 <= model.lat <= 90 and -180 <= model.lon <= 180):
                offenders.append(path)
            if model.country and pycountry.countries.get(alpha_2=model.country) is None:
                offenders.append(path)
    for routes in catalog.routes.values():
        offenders += [r.id for r in routes if pycountry.countries.get(alpha_2=r.to_country) is None]
    assert offenders == []


def test_ids_unique_across_all_countries(catalog):
    ids = [r.id for routes in catalog.routes.values() for r in routes]
    assert len(ids) == len(set(ids))
    for group in (catalog.checklist, catalog.overrides, catalog.embassies):
        keyed = [getattr(x, "id", None) for x in group]
        keyed = [k for k in keyed if k]
        assert len(keyed) == len(set(keyed))
    rule_ids = [r.id for c in catalog.countries.values() for r in (*c.risks, *c.exit_rules)]
    assert len(rule_ids) == len(set(rule_ids))


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("gazetteer", "fonts"))
    return target


def test_broken_route_names_file_entry_and_field(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "countries" / "RU" / "routes.yaml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("source_url:", "sauce_url:", 1)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_catalog(data)
    message = str(err.value)
    assert "routes.yaml" in message
    assert "ru-fi-vaalimaa" in message
    assert "source_url" in message


def test_duplicate_route_id_is_an_error(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "countries" / "RU" / "routes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: ru-fi-nuijamaa", "id: ru-fi-vaalimaa", 1), encoding="utf-8")
    with pytest.raises(DataError, match="duplicate id"):
        load_catalog(data)


def test_invalid_yaml_names_the_file(tmp_path):
    data = _copy_data(tmp_path)
    (data / "checklist.yaml").write_text("items: [unclosed", encoding="utf-8")
    with pytest.raises(DataError, match="checklist.yaml"):
        load_catalog(data)
