"""Compressed callback answers are kept per request body and algorithm, and only those.

dashboards/compressed.py lets flask-compress keep the compressed bytes of a callback
answer, keyed by the request body. These tests check that a kept answer decompresses to
exactly what the demo_app answers uncompressed, that it is kept per algorithm, that different
requests never share an answer, that pages and downloads (whose bytes are not a function
of the request body) are never kept, and that the store is bounded.
"""

from __future__ import annotations

import gzip
import json

from backports import zstd

from dashboards.compressed import NOT_KEPT, CompressedAnswers
from tests.panel_factory import dash_payload

UPDATE = "/_dash-update-component"
OVERVIEW = {"theme-select.value": "all", "indicator-select.value": "share_75plus",
            "year-select.value": "2022", "peer-select.value": "2", "map-select.value": "ruudut",
            "url.pathname": "/", "url.search": ""}


def overview_body(app, year: str) -> dict:
    return dash_payload(app, "..theme-select.value", {**OVERVIEW, "year-select.value": year},
                        "year-select.value")


def post(client, body: dict, encoding: str):
    response = client.post(UPDATE, json=body, headers={"Accept-Encoding": encoding})
    assert response.status_code == 200
    return response


def decoded(response) -> bytes:
    data = response.get_data()
    coding = response.headers.get("Content-Encoding")
    if coding == "gzip":
        return gzip.decompress(data)
    if coding == "zstd":
        return zstd.decompress(data)
    assert coding is None, coding
    return data


def test_a_repeated_answer_is_the_kept_bytes_and_the_same_json(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    body = overview_body(demo_app, "2022")
    plain = post(client, body, "identity")
    assert "Content-Encoding" not in plain.headers
    first = post(client, body, "zstd")
    assert first.headers["Content-Encoding"] == "zstd"
    stats = fresh_ctx.answers.lru.stats()
    again = post(client, body, "zstd")
    assert fresh_ctx.answers.lru.stats()["hits"] == stats["hits"] + 1
    assert again.get_data() == first.get_data()
    assert decoded(again) == decoded(first) == plain.get_data()


def test_each_algorithm_keeps_its_own_answer(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    body = overview_body(demo_app, "2022")
    zstd_answer = post(client, body, "zstd")
    gzip_answer = post(client, body, "gzip")
    assert gzip_answer.headers["Content-Encoding"] == "gzip"
    assert post(client, body, "gzip").headers["Content-Encoding"] == "gzip"
    assert decoded(gzip_answer) == decoded(zstd_answer)
    assert fresh_ctx.answers.lru.stats()["entries"] == 2


def test_different_requests_never_share_an_answer(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    answers = {year: json.loads(decoded(post(client, overview_body(demo_app, year), "gzip")))
               for year in ("2022", "2023")}
    again = {year: json.loads(decoded(post(client, overview_body(demo_app, year), "gzip")))
             for year in ("2022", "2023")}
    assert again == answers
    shown = {year: a["response"]["year-select"]["value"] for year, a in answers.items()}
    assert shown == {"2022": "2022", "2023": "2023"}
    assert answers["2022"] != answers["2023"]


def test_pages_are_compressed_but_never_kept(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    for _ in range(2):
        page = client.get("/kunta/KU564?kieli=sv", headers={"Accept-Encoding": "gzip"})
        assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
        assert b'lang="sv"' in decoded(page)
    assert fresh_ctx.answers.lru.stats()["entries"] == 0


def test_a_download_is_made_afresh_every_time(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    body = dash_payload(demo_app, "download.data", {"download-csv.n_clicks": 1,
                                               "dataset-select.value": "",
                                               "url.search": ""}, "download-csv.n_clicks")
    body["outputs"] = body["outputs"][0]  # a single output is sent as itself
    hits = fresh_ctx.answers.lru.stats()["hits"]
    for _ in range(2):
        answer = post(client, body, "gzip")
        assert answer.headers["Content-Encoding"] == "gzip"
        assert json.loads(decoded(answer))["response"]["download"]["data"]["filename"]
    stats = fresh_ctx.answers.lru.stats()
    assert (stats["entries"], stats["bytes"], stats["hits"]) == (0, 0, hits)


def test_the_store_is_bounded_and_ignores_the_not_kept_key():
    answers = CompressedAnswers(max_entries=10, max_bytes=100)
    answers.set("gzip;" + NOT_KEPT, b"x" * 10)
    assert answers.get("gzip;" + NOT_KEPT) is None and answers.lru.stats()["entries"] == 0
    answers.set("gzip;a", b"a" * 60)
    answers.set("zstd;a", b"b" * 30)
    assert answers.get("gzip;a") == b"a" * 60 and answers.get("zstd;a") == b"b" * 30
    answers.set("gzip;b", b"c" * 50)  # over 100 bytes: the least recently used goes
    assert answers.get("gzip;a") is None
    assert answers.lru.stats()["bytes"] == 80
    answers.clear()
    assert answers.get("gzip;b") is None
