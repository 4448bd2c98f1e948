"""json-stat2 decoding keeps status symbols and matches pyjstat."""

import json

import pandas as pd
import pytest

from digiindicators.errors import MalformedResponse
from digiindicators.sources.jsonstat import check_jsonstat2, parse_jsonstat2
from tests.shared_files import SAMPLES

SAMPLE = SAMPLES / "pxweb/statfin_11rc_jsonstat2_sv__pxwebpy.json"


def _dataset(values, status=None):
    obj = {
        "version": "2.0",
        "class": "dataset",
        "label": "x",
        "source": "Tilastokeskus",
        "updated": "2026-07-01T05:00:00Z",
        "id": ["alue", "vuosi", "contentscode"],
        "size": [2, 3, 1],
        "role": {"time": ["vuosi"], "metric": ["contentscode"]},
        "dimension": {
            "alue": {"label": "Alue", "category": {"index": {"KU483": 0, "KU564": 1}}},
            "vuosi": {"label": "Vuosi", "category": {"index": {"2011": 0, "2012": 1, "2013": 2}}},
            "contentscode": {
                "label": "Tiedot",
                "category": {
                    "index": {"kaste5T8osuus": 0},
                    "unit": {"kaste5T8osuus": {"base": "%", "decimals": 1}},
                },
            },
        },
        "extension": {"px": {"tableid": "12bs", "decimals": 1}},
        "value": values,
    }
    if status is not None:
        obj["status"] = status
    return json.dumps(obj).encode()


def test_status_symbols_attached_to_the_right_cells():
    body = _dataset([10.5, None, 11.0, 30.1, 30.2, None], {"1": "..", "5": "..."})
    data = parse_jsonstat2(body)
    frame = data.frame.set_index(["alue", "vuosi"])
    assert frame.loc[("KU483", "2012"), "status"] == ".."
    assert pd.isna(frame.loc[("KU483", "2012"), "value"])
    assert frame.loc[("KU564", "2013"), "status"] == "..."
    assert frame.loc[("KU564", "2011"), "value"] == 30.1
    assert frame.loc[("KU564", "2011"), "status"] == ""
    assert data.table_id == "12bs" and data.updated.startswith("2026-07-01")
    assert data.units == {"kaste5T8osuus": {"base": "%", "decimals": 1}}


@pytest.mark.parametrize("body", [_dataset([1, 2, 3, 4, 5, 6]), SAMPLE.read_bytes()])
def test_numpy_engine_equals_pyjstat(body):
    fast = parse_jsonstat2(body).frame
    reference = parse_jsonstat2(body, engine="pyjstat").frame
    pd.testing.assert_frame_equal(fast, reference)


def test_real_statfin_sample_decodes():
    data = parse_jsonstat2(SAMPLE.read_bytes())
    assert len(data.frame) == 90
    first = data.frame.iloc[0]
    assert (first["Vuosi"], first["Sukupuoli"], first["Ikä"], first["value"]) == (
        "2020",
        "SSS",
        "20-24",
        308410,
    )


@pytest.mark.parametrize(
    "body,message",
    [
        (b"<html>Service unavailable</html>", "not JSON"),
        (_dataset([1, 2, 3, 4, 5, 6])[:-40], "not JSON"),
        (b'{"error": "x"}', "not a json-stat2 dataset"),
        (_dataset([1, 2, 3]), "3 values but its size says 6"),
    ],
)
def test_broken_bodies_raise_malformed_response(body, message):
    with pytest.raises(MalformedResponse, match=message):
        check_jsonstat2(body)
