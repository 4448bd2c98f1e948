"""URL state: every view's state is in its URL, parsed defensively and written canonically."""

from __future__ import annotations

import pytest

from dashboards import state
from dashboards.views import overview
from tests.panel_factory import make_app


@pytest.fixture(scope="module")
def ctx():
    return make_app().digi_ctx


@pytest.mark.parametrize(
    ("path", "search", "view", "lang", "arg"),
    [
        ("/", "", "overview", "fi", ""),
        ("", "?kieli=sv", "overview", "sv", ""),
        ("/kunta/KU564", "?kieli=en", "profile", "en", "KU564"),
        ("/kunta/ku564/", "", "profile", "fi", "KU564"),
        ("/kunta", "?kunta=KU072", "profile", "fi", "KU072"),
        ("/kunta/x<script>", "", "profile", "fi", ""),
        ("/indeksi", "?kieli=xx", "index", "fi", ""),  # unknown language → default
        ("/kysely", "", "survey", "fi", ""),
        ("/tiedot", "", "data", "fi", ""),
        ("/menetelma", "", "method", "fi", ""),
        ("/saavutettavuusseloste", "?kieli=sv", "statement", "sv", ""),
        ("/nope", "", "not_found", "fi", ""),
        ("/kunta/KU564/extra", "", "not_found", "fi", ""),
    ],
)
def test_route(path, search, view, lang, arg):
    assert state.route(path, search) == state.Route(view, lang, arg)


def test_search_round_trip_keeps_order_and_drops_empty_values():
    text = state.build_search({"kieli": "sv", "teema": "", "indikaattori": "share_75plus",
                               "vuosi": 2024, "vertailu": None})
    assert text == "?kieli=sv&indikaattori=share_75plus&vuosi=2024"
    assert state.parse_search(text) == {"kieli": "sv", "indikaattori": "share_75plus",
                                        "vuosi": "2024"}
    assert state.build_search({}) == ""
    assert state.parse_search("?" + "a=1&" * 2000) == {}  # absurdly long: ignored


def test_language_switch_keeps_every_other_parameter():
    search = "?indikaattori=share_75plus&vuosi=2021&kieli=en"
    assert state.switch_lang(search, "sv") == "?indikaattori=share_75plus&vuosi=2021&kieli=sv"
    assert state.switch_lang(search, "fi") == "?indikaattori=share_75plus&vuosi=2021"
    assert state.href("/indeksi", "fi") == "/indeksi"
    assert state.href("/indeksi", "en", painot="a:1") == "/indeksi?kieli=en&painot=a:1"


def test_weights_parse_and_format():
    assert state.parse_weights(None) is None
    assert state.parse_weights("share_75plus:1,poverty_rate:2.5,bad,x:-1,y:1e9") == {
        "share_75plus": 1.0, "poverty_rate": 2.5}
    assert state.format_weights({"a": 1.0, "b": 0.0, "c": 2.5}) == "a:1,c:2.5"


def test_overview_state_from_a_full_url(ctx):
    st = overview.resolve(ctx, state.parse_search(
        "?kieli=sv&teema=vaesto&indikaattori=share_75plus&vuosi=2021&vertailu=1"))
    assert st == overview.OverviewState("vaesto", "share_75plus", 2021, "1", overview.MAP_GRID)
    assert state.build_search(st.query()) == (
        "?teema=vaesto&indikaattori=share_75plus&vuosi=2021&vertailu=1&kartta=ruudukko")


@pytest.mark.parametrize(
    "search",
    ["?indikaattori=nonsense&vuosi=1900&vertailu=9&teema=zzz&kartta=rajat",
     "?indikaattori=survey_digituki_2023_tarjoaa", "?vuosi=abc", ""],
)
def test_overview_state_falls_back_to_defaults(ctx, search):
    st = overview.resolve(ctx, state.parse_search(search))
    # The first indicator with a risk direction, its latest year; no highlight; tile grid
    # (this app has no boundaries, so "rajat" cannot be honoured).
    assert st == overview.OverviewState(overview.ALL, "share_75plus", 2024, "",
                                        overview.MAP_GRID)


def test_overview_indicator_wins_over_a_mismatched_theme(ctx):
    st = overview.resolve(ctx, {"teema": "tyo", "indikaattori": "share_75plus"})
    assert (st.theme, st.indicator) == ("vaesto", "share_75plus")
    st = overview.resolve(ctx, {"teema": "tyo"})
    assert st.indicator == "unemployment_rate" and st.year == 2025
