"""Survey answers on the dashboard: n is shown, suppressed cells are marked and never revealed."""

from __future__ import annotations

import json

import pytest

from dashboards import surveydata
from dashboards.views import survey as survey_view
from digiindicators.survey import default_spec_path, example_file_path, read_survey
from tests.panel_factory import (
    SURVEY_SUPPRESSED,
    make_app,
    make_panel,
    survey_hidden_values,
)

SUPPRESSED_ID = next(iter(SURVEY_SUPPRESSED))


@pytest.fixture(scope="module")
def ctx():
    return make_app().digi_ctx


def test_panel_rows_get_the_spec_titles_and_rules(ctx):
    data = ctx.survey
    assert data is not None and data.example and data.year == 2023
    assert data.kind == "organisation" and data.rules["publish_municipal"] is True
    titles = [m.title["fi"] for m in data.measures]
    assert titles[0] == "Kunta tarjoaa digitukea"
    assert "Digituen muodot: Lähituki" in titles
    assert all(not m.indicator.endswith(("__n", "__kunnat")) for m in data.measures)
    sv = data.measure("survey_digituki_2023_muodot_lahituki").title["sv"]
    assert sv == "Former av digitalt stöd: Närstöd"
    assert data.measure("survey_digituki_2023_tarjoaa").question == "tarjoaa"
    assert data.measure("survey_digituki_2023_vastaa_tarpeisiin").question == "vastaa_tarpeisiin"


def test_cells_show_n_and_hide_suppressed_values(ctx):
    cells = surveydata.cells(ctx.survey, SUPPRESSED_ID)
    for code in SURVEY_SUPPRESSED[SUPPRESSED_ID]:
        assert cells[code].suppressed and cells[code].value is None
        assert cells[code].n == 2  # n is shown: it reveals no answer
    assert cells["KU072"].n == 0 and not cells["KU072"].answered  # Hailuoto did not answer
    assert not cells["KU072"].suppressed
    assert cells["KU009"].value == 1.0 and cells["KU009"].n == 1
    assert cells["MK17"].n == sum(c.n for k, c in cells.items() if k.startswith("KU"))
    assert surveydata.answered_municipalities(ctx.survey, SUPPRESSED_ID) == 23


def test_suppressed_values_never_reach_the_page(ctx):
    hidden = survey_hidden_values()
    layout = survey_view.layout(ctx, "fi", None, f"?kysymys={SUPPRESSED_ID}")
    page = json.dumps(layout, default=lambda o: o.to_plotly_json())
    names = {"KU244": "Kempele", "KU305": "Kuusamo"}
    fig = next(o for o in _walk_json(json.loads(page)) if o.get("id") == "survey-graph")
    bars = {y: x for tr in fig["props"]["figure"]["data"] if tr.get("type") == "bar"
            for y, x in zip(tr["y"], tr["x"], strict=True)}
    measure = ctx.survey.measure(SUPPRESSED_ID)
    rows = survey_view.survey_table(ctx, "fi", measure)["props"]["rows"]
    for (_indicator, code), value in hidden.items():
        # No bar in the chart, and the table row holds ".." and n — never the value.
        assert names[code] not in bars
        row = json.dumps(next(r for r in rows if r[0] == names[code]), ensure_ascii=False)
        assert '".."' in row and "(salattu)" in row
        shown = f"{value:.2f}".replace(".", ",")
        assert shown not in row
    text = json.dumps(layout, default=lambda o: o.to_plotly_json())
    assert "Salattu: Kempele, Kuusamo." in text
    assert "Ei vastannut: Hailuoto" in text


def _walk_json(node):
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, list):
            stack.extend(n)
        elif isinstance(n, dict):
            if "props" in n:
                yield {"id": n["props"].get("id"), **n}
            stack.extend(n.values())


def test_example_survey_is_used_when_the_panel_has_none():
    panel = make_panel(extras=False)
    data = surveydata.load_survey(panel)
    assert data is not None and data.example
    assert data.title["fi"].startswith("ESIMERKKI")


def test_survey_from_a_result_and_a_foreign_spec():
    result = read_survey(example_file_path(), default_spec_path())
    data = surveydata.from_result(result)
    assert len(data.measures) == 21
    # Rows of another survey than the spec describes: ids as titles, no rules invented.
    rows = result.to_panel()
    rows["indicator"] = rows["indicator"].str.replace("digituki_2023", "toinen_2024")
    other = surveydata.from_rows(rows, result.spec)
    assert other.kind == "" and other.rules == {}
    assert other.measures[0].title["fi"] == "survey_toinen_2024_tarjoaa"


def test_suppression_is_explained_by_the_rules(ctx):
    text = survey_view.suppression_text(ctx.survey, "fi")
    assert "vähintään 3 vastannutta kuntaa" in text
    person = surveydata.SurveyData(ctx.survey.rows, [], {}, 2023, False, "person",
                                   {"min_n_shown": 5, "min_n_percent": 30})
    assert survey_view.suppression_text(person, "en").startswith(
        "suppressed: fewer than 5 respondents")
    unpublished = surveydata.SurveyData(ctx.survey.rows, [], {}, 2023, False, "organisation",
                                        {"publish_municipal": False, "min_units_region": 3})
    assert "ei kerrottu" in survey_view.suppression_text(unpublished, "fi")


def test_app_without_survey():
    ctx = make_app(survey=None).digi_ctx
    assert ctx.survey is None
    layout = survey_view.layout(ctx, "fi", None, "")
    assert "Kyselyaineistoa ei ole" in json.dumps(layout, default=lambda o: o.to_plotly_json())
