"""Every language has every string, with the same ``{fields}``, and the long texts too."""

from __future__ import annotations

import re

import pytest

from dashboards import prose
from dashboards.i18n import LANGS, TEXTS, format_date, texts

FIELD = re.compile(r"\{(\w+)\}")


def flatten(value, prefix=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from flatten(v, f"{prefix}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from flatten(v, f"{prefix}[{i}]")
    else:
        yield prefix, value


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_same_keys_and_fields_as_finnish(lang):
    fi = dict(flatten(TEXTS["fi"]))
    other = dict(flatten(TEXTS[lang]))
    assert set(fi) == set(other), set(fi) ^ set(other)
    for key, text in fi.items():
        if isinstance(text, str):
            assert set(FIELD.findall(text)) == set(FIELD.findall(other[key])), key
            assert bool(other[key].strip()) == bool(text.strip()), key


@pytest.mark.parametrize("blocks", [prose.METHOD, prose.STATEMENT])
def test_long_texts_have_the_same_structure_in_every_language(blocks):
    shapes = {lang: [kind for kind, _ in blocks[lang]] for lang in LANGS}
    assert shapes["fi"] == shapes["sv"] == shapes["en"]
    for lang in LANGS:
        for kind, content in blocks[lang]:
            if kind == "p":
                assert set(FIELD.findall(content)) <= {"email", "supervisor", "date", "refresh"}


@pytest.mark.parametrize("lang", LANGS)
def test_statement_has_the_parts_the_law_asks_for(lang):
    text = " ".join(c if isinstance(c, str) else " ".join(c) for _, c in prose.STATEMENT[lang])
    assert "306/2019" in text and "WCAG 2.1" in text
    assert "{email}" in text and "14" in text  # feedback channel, 14-day answer
    assert "Traficom" in text and "{supervisor}" in text  # enforcement route
    assert "{date}" in text  # date of the assessment
    assert len(re.findall(r"WCAG \d\.\d\.\d+", text)) >= 4  # known gaps by criterion
    assert format_date(prose.STATEMENT_DATE, lang)


def test_the_home_region_keeps_its_inflected_title_and_counts_its_municipalities():
    from dashboards.sitetext import site_texts
    from digiindicators.areas import areas

    table = areas()
    for lang in ("fi", "sv", "en"):
        site = site_texts(table, lang)
        assert site["app_title"] == site["h1"] == texts(lang)["app_title"]
        assert site["region_name"] == texts(lang)["region_name"]
        assert " 30 " in site["lead"] and "{n}" not in site["lead"]
    assert site_texts(table, "fi")["h1"] == "Digitaalinen osallisuus Pohjois-Pohjanmaalla"
