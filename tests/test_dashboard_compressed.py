"""Compressed callback answers are kept per request body and encoding, assets per path.

dashboards/compressed.py keeps the compressed bytes of a callback answer, keyed by the
request body, and of an asset, keyed by its path and query. These tests check that a kept
answer decompresses to exactly what the app answers uncompressed, that it is kept per
encoding and at the answers' fast level, that different requests never share an answer,
that pages and downloads (whose bytes are not a function of the request body) are never
kept, that assets are compressed once at the strong level, range requests and
revalidations left as they are, and that the store is bounded.
"""

from __future__ import annotations

import gzip
import json
import re

import brotli
import pytest

from dashboards.compressed import LEVELS, CompressedAnswers, chosen_encoding, compress, zstd
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
    if coding == "br":
        return brotli.decompress(data)
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


def test_answers_are_compressed_at_the_fast_level(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    body = overview_body(demo_app, "2023")
    plain = post(client, body, "identity").get_data()
    answer = post(client, body, "gzip, deflate, br, zstd")
    assert answer.headers["Content-Encoding"] == "zstd"  # smallest and fastest at level 1
    assert answer.headers["Vary"] == "Accept-Encoding"
    assert int(answer.headers["Content-Length"]) == len(answer.get_data())
    assert answer.get_data() == zstd.compress(plain, LEVELS["answer"]["zstd"])
    assert len(answer.get_data()) < len(brotli.compress(plain, quality=LEVELS["answer"]["br"]))
    packed = post(client, body, "gzip, deflate, br")
    assert packed.headers["Content-Encoding"] == "br"
    assert packed.get_data() == brotli.compress(plain, quality=LEVELS["answer"]["br"])
    assert LEVELS["answer"]["br"] < LEVELS["asset"]["br"]


def _assets(client) -> list[str]:
    page = client.get("/").get_data(as_text=True)
    return re.findall(r'src="([^"]+\.js[^"]*)"', page)


def test_an_asset_is_compressed_once_at_the_strong_level(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    urls = _assets(client)
    assert any("/_dash-component-suites/" in u for u in urls)
    url = next(u for u in urls if "/_dash-component-suites/" in u and "dash_renderer" in u)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.status_code == 200
    stats = fresh_ctx.answers.assets.stats()
    first = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    again = client.get(url, headers={"Accept-Encoding": "br"})
    after = fresh_ctx.answers.assets.stats()
    assert first.headers["Content-Encoding"] == "br"
    assert after["misses"] == stats["misses"] + 1 and after["hits"] == stats["hits"] + 1
    assert again.get_data() == first.get_data()
    assert brotli.decompress(first.get_data()) == plain.get_data()
    assert first.get_data() == brotli.compress(plain.get_data(),
                                               quality=LEVELS["asset"]["br"])
    fresh_ctx.clear_renders()  # benchmarks clear the answers; the assets stay
    assert fresh_ctx.answers.assets.stats()["entries"] == after["entries"]


def test_a_file_asset_keeps_a_validator_of_its_own(demo_app, fresh_ctx):
    """assets/app.js is sent by Flask as a file with an ETag: the compressed one gets its
    own, and a revalidation or a range request is answered as Flask answers it."""
    client = demo_app.server.test_client()
    url = next(u for u in _assets(client) if u.startswith("/assets/app.js"))
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    etag = plain.headers.get("ETag")
    assert etag and packed.headers["ETag"] != etag
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and "Content-Encoding" not in again.headers
    same = client.get(url, headers={"Accept-Encoding": "gzip",
                                    "If-None-Match": packed.headers["ETag"]})
    assert same.status_code == 304 and not same.get_data()  # its own validator: not sent again
    part = client.get(url, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert part.status_code == 206 and part.get_data() == plain.get_data()[:10]


@pytest.mark.parametrize(("accept", "answer", "asset"), [
    ("gzip, deflate, br, zstd", "zstd", "br"),
    ("gzip, deflate, br", "br", "br"),
    ("gzip, deflate", "gzip", "gzip"),
    ("br;q=0, gzip", "gzip", "gzip"),
    ("zstd;q=0, br, gzip", "br", "br"),
    ("zstd", "zstd", "zstd"),
    ("identity", None, None),
    ("", None, None),
    ("BR ; q=0.5", "br", "br"),
    ("gzip;q=bad", None, None),
])
def test_the_encoding_is_the_smallest_the_client_accepts(accept, answer, asset):
    assert chosen_encoding(accept) == chosen_encoding(accept, "answer") == answer
    assert chosen_encoding(accept, "asset") == asset


def test_the_store_is_bounded_and_compresses_each_key_once():
    answers = CompressedAnswers(max_entries=10, max_bytes=10_000)
    made = []

    def data(text: bytes):
        def read() -> bytes:
            made.append(text)
            return text
        return read

    first = answers.body("answer", "a", "gzip", data(b"a" * 40))
    assert gzip.decompress(first) == b"a" * 40
    assert answers.body("answer", "a", "gzip", data(b"x")) == first  # kept: not read again
    assert made == [b"a" * 40]
    answers.body("answer", "a", "br", data(b"a" * 40))  # another encoding, another entry
    assert answers.lru.stats()["entries"] == 2
    for n in range(12):  # more entries than the bound: the least recently used go
        answers.body("answer", f"k{n}", "gzip", data(b"%d" % n))
    assert answers.lru.stats()["entries"] == 10
    small = CompressedAnswers(max_entries=10, max_bytes=100)
    for n in range(12):
        small.body("answer", f"k{n}", "gzip", data(b"%d" % n))
    assert 0 < small.lru.stats()["bytes"] <= 100 and small.lru.stats()["entries"] < 10
    assert compress(b"abc", "gzip", 1) == compress(b"abc", "gzip", 1)  # no timestamp inside
