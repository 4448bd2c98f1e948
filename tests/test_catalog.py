"""The catalog: complete entries, pinned Sotkanet ids, valid references."""

from __future__ import annotations

import pytest

from digiindicators.catalog import BOUNDARIES, LANGS, load_catalog, parse_catalog
from digiindicators.errors import CatalogError

#: Ids research/sotkanet.md §6 marks verified ([V]/[V3]) with a known Finnish title.
VERIFIED_SOTKANET = {
    127: "Väestö 31.12.",
    171: "75 vuotta täyttäneet, % väestöstä",
    180: "Koulutustasomittain",
    2433: "Ruotsinkielinen väestö 31.12.",
    5: "Toimeentulotukea saaneet 25 - 64-vuotiaat, % vastaavan ikäisestä väestöstä",
    5527: "Terveysliikuntasuosituksen mukaan liian vähän liikkuvien osuus (%)",
}


def test_every_indicator_is_complete():
    catalog = load_catalog()
    for ind in catalog.indicators:
        for lang in LANGS:
            assert ind.title[lang].strip() and ind.description[lang].strip(), ind.id
            assert ind.description[lang].rstrip().endswith("."), (ind.id, lang)
        assert ind.unit and ind.why and ind.theme in catalog.themes, ind.id


def test_sotkanet_ids_are_verified_and_pinned_with_their_title():
    sotkanet = [i for i in load_catalog().indicators if i.source.kind == "sotkanet"]
    assert sotkanet
    for ind in sotkanet:
        assert VERIFIED_SOTKANET.get(ind.source.indicator) == ind.source.title_fi, ind.id
        assert ind.source.indicator not in (990001, 990002)  # the fake's synthetic ids


def test_jobs_and_derived_inputs():
    catalog = load_catalog()
    jobs = catalog.jobs_for()
    assert BOUNDARIES in jobs and "sotkanet:180" in jobs
    assert "share_nonusers_16_89" in [i.id for i in jobs["pxweb:sutivi_internet"]]
    assert catalog.jobs_for(["median_income"]).keys() == {"pxweb:StatFin/tjt/14ww.px"}
    assert catalog["share_nonusers_16_89"].source.job is None
    frame = catalog.to_frame()
    assert frame.set_index("indicator").at["population_density", "table"] == (
        "pxweb:StatFin/vaerak/11ra.px, geo:boundaries"
    )


BASE = """
[themes.t]
fi = "t"
sv = "t"
en = "t"

[[indicator]]
id = "x"
theme = "t"
unit = "%"
direction = "neutral"
title = { fi = "a", sv = "a", en = "a" }
description = { fi = "a.", sv = "a.", en = "a." }
why = "test"
"""


@pytest.mark.parametrize(
    "source,message",
    [
        ('{ kind = "sotkanet", indicator = 180 }', "title_fi"),
        ('{ kind = "sotkanet", indicator = "180", title_fi = "K" }', "positive integer"),
        (
            '{ kind = "derived", method = "nonusers", output = "share", inputs = ["pxweb:nope"] }',
            "unknown input",
        ),
        (
            '{ kind = "derived", method = "guess", output = "share", inputs = ["geo:boundaries"] }',
            "method",
        ),
        (
            '{ kind = "pxweb", table = "a/b.px", measure = "pct_change", content = "v", '
            'aggregate = "sum" }',
            "lag",
        ),
        (
            '{ kind = "pxweb", table = "a/b.px", measure = "content", content = "text:(", '
            'aggregate = "none" }',
            "regular expression",
        ),
        ('{ kind = "statfin", table = "a/b.px" }', "kind"),
    ],
)
def test_bad_sources_are_refused_with_the_indicator_named(source, message):
    with pytest.raises(CatalogError, match=message) as info:
        parse_catalog(BASE + f"source = {source}\n")
    assert "'x'" in str(info.value) or "x" in str(info.value)


def test_a_discovered_table_needs_folder_and_title_words():
    text = BASE + (
        'source = { kind = "pxweb", table = "s", measure = "content", content = "c", '
        'aggregate = "none" }\n[tables.s]\nfolder = "StatFin/sutivi"\n'
    )
    with pytest.raises(CatalogError, match="title_contains"):
        parse_catalog(text)
