"""The data behind each view, as downloadable tables with their metadata (pure functions).

Dataset ids (the data page's ``aineisto`` parameter): ``kaikki`` (the whole panel), an
indicator id (every area and year of it), ``indeksi`` (the index with the index page's
choices, passed in the same URL parameters), ``kysely`` (the survey rows with n) and
``kunta-KU564`` (one municipality's profile table).

The metadata travels with the file — a sheet in Excel, a ``.metadata.csv`` next to a CSV —
because a downloaded table is read far from the page that explained it: source, table,
update dates, licence, whether the numbers are example data, and what a modelled estimate
or the index means (OWID's downloads carry the same kind of record).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from . import figures, profiledata, state
from .context import Context
from .i18n import texts

ALL = "kaikki"
INDEX = "indeksi"
SURVEY = "kysely"
PROFILE_PREFIX = "kunta-"
LICENCE = "CC BY 4.0 (Tilastokeskus / Statistics Finland; THL)"
METHOD_NOTES = {
    "estimate": (
        "e = laskennallinen arvio / modelled estimate: kunnan ikärakenne × koko maan "
        "ikäryhmittäiset internetin käyttöosuudet (Tilastokeskus, sutivi); lower–upper kattaa "
        "vain otantavirheen, ei mallivirhettä / the interval covers sampling error only."
    ),
    "index": (
        "Indeksi / index 0–100, suurempi = suurempi digikuilun riski / higher = more risk; "
        "digiindicators.composite (JRC/OECD 2008). Pisteet ovat suhteellisia maakunnan kuntiin "
        "samana vuonna / scores are relative to the region's municipalities in that year. "
        "rank_best–rank_worst = sijoituksen vaihteluväli menetelmävalintojen yli / rank range "
        "over method choices; robust = vaihteluväli ≤ 3 sijaa / range ≤ 3 places."
    ),
    "peer": (
        "Vertailuryhmä / peer group = muut saman kuntaryhmän kunnat (Tilastokeskuksen "
        "kaupunki–maaseutu-luokitus) / the other municipalities of the same urban–rural class; "
        "weighted = väestöpainotettu keskiarvo / population-weighted mean; mean = kuntien "
        "keskiarvo / plain mean of the municipalities."
    ),
    "survey": (
        ".. = salattu pienen vastaajamäärän vuoksi / suppressed (too few respondents or "
        "answers not published per municipality); __n = vastaajia / respondents; __kunnat = "
        "vastanneita kuntia / municipalities that answered."
    ),
}


@dataclass(frozen=True)
class Dataset:
    id: str
    label: str
    frame: pd.DataFrame
    metadata: dict[str, str]
    filename: str  # without extension


def options(ctx: Context, lang: str) -> list[dict]:
    def build() -> list[dict]:
        t = texts(lang)
        opts = [{"label": t["dataset_all"], "value": ALL},
                {"label": t["dataset_index"], "value": INDEX}]
        if ctx.survey is not None and ctx.survey.measures:
            opts.append({"label": t["dataset_survey"], "value": SURVEY})
        for ind in figures.available_indicators(ctx.panel, ctx.catalog, lookup=ctx.lookup):
            title = figures.indicator_info(ind, lang, ctx.catalog, ctx.panel,
                                           lookup=ctx.lookup).title
            opts.append({"label": t["dataset_indicator"].format(title=title), "value": ind})
        names = ctx.areas.names(lang)
        for code in sorted(ctx.municipalities, key=lambda c: figures.sort_key(names[c])):
            opts.append({"label": t["dataset_profile"].format(name=names[code]),
                         "value": PROFILE_PREFIX + code})
        return opts

    return ctx.remember(("dataset-options", lang), build)


def resolve(ctx: Context, query: dict[str, str]) -> str:
    wanted = query.get("aineisto", ALL)
    valid = ctx.remember(("dataset-ids",),
                         lambda: {o["value"] for o in options(ctx, ctx.default_lang)})
    return wanted if wanted in valid else ALL


def _base_metadata(ctx: Context, rows: pd.DataFrame) -> dict[str, str]:
    sources = sorted({str(s).split("; ")[0] for s in rows.get("source", pd.Series(dtype=str))
                      .dropna().unique() if str(s)})
    meta = {
        "aineisto / dataset": "digiindicators: digital-divide indicators, Pohjois-Pohjanmaa",
        "esimerkkiaineisto / example data": "KYLLÄ / YES — numbers are synthetic"
        if ctx.info.demo else "ei / no",
        "päivitetty / refreshed": str(ctx.info.refreshed_at or ""),
        "ladattu / downloaded": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lisenssi / licence": LICENCE,
        "lähteet / sources": " | ".join(sources),
        "tila / status symbols": ".. = ei saatavilla tai liian epävarma / not available; "
        "... = salassapidon alainen / confidential; . = loogisesti mahdoton / logically "
        "impossible; e = laskennallinen arvio / modelled estimate",
    }
    if ctx.info.stale:
        meta["vanhentunut / stale"] = ", ".join(ctx.info.stale)
    for s in ctx.info.sources:
        meta[f"lähde / source {s.source}"] = (
            f"päivitetty / refreshed {s.last_success or '?'}; lähteen päiväys / source updated "
            f"{s.source_updated or '?'}" + ("; VANHENTUNUT / STALE" if s.stale else "")
        )
    return meta


def build(ctx: Context, lang: str, dataset: str, query: dict[str, str]) -> Dataset:
    """The download of one dataset (tidy rows) with its metadata."""
    t = texts(lang)
    panel = ctx.panel
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    if dataset == INDEX:
        # The same reading of the URL as the view, and the view's cached index runs.
        from .views.index import choice_from_query, result

        choice = choice_from_query(ctx, query)
        res = result(ctx, choice, lang)
        frame = res.table.copy()
        rows = panel[panel["indicator"].isin(choice.active)]
        meta = _base_metadata(ctx, rows)
        meta.update({
            "näkymä / view": "indeksi / index",
            "vuosi / year": str(res.year or ""),
            "normalisointi / normalisation": choice.normalisation,
            "aggregointi / aggregation": choice.aggregation,
            "painot / weights": state.format_weights(choice.weights),
            "menetelmä / method": METHOD_NOTES["index"],
        })
        if res.error:
            meta["virhe / error"] = res.error
        return Dataset(dataset, t["dataset_index"], frame, meta, f"digiindicators_indeksi_{stamp}")
    if dataset == SURVEY and ctx.survey is not None:
        frame = ctx.survey.rows.reset_index(drop=True)
        meta = _base_metadata(ctx, frame)
        meta.update({"näkymä / view": "kysely / survey",
                     "kysely / survey": ctx.survey.title.get(lang, ""),
                     "esimerkki / example": "KYLLÄ / YES" if ctx.survey.example else "ei / no",
                     "menetelmä / method": METHOD_NOTES["survey"]})
        return Dataset(dataset, t["dataset_survey"], frame, meta, f"digiindicators_kysely_{stamp}")
    if dataset.startswith(PROFILE_PREFIX):
        code = dataset.removeprefix(PROFILE_PREFIX)
        frame = profile_frame(ctx, code, lang)
        meta = _base_metadata(ctx, panel[panel["area_code"] == code])
        meta.update({"näkymä / view": "kuntaprofiili / municipality profile",
                     "kunta / municipality": f"{ctx.areas.name(code, lang)} ({code})",
                     "menetelmä / method": METHOD_NOTES["peer"] + " " + METHOD_NOTES["estimate"]})
        return Dataset(dataset, t["dataset_profile"].format(name=ctx.areas.name(code, lang)),
                       frame, meta, f"digiindicators_{code}_{stamp}")
    if dataset in set(panel["indicator"]):
        frame = panel[panel["indicator"] == dataset].reset_index(drop=True)
        info = figures.indicator_info(dataset, lang, ctx.catalog, panel)
        meta = _base_metadata(ctx, frame)
        meta.update({"näkymä / view": "yleiskuva / overview",
                     "indikaattori / indicator": f"{info.title} ({dataset})",
                     "yksikkö / unit": info.unit, "kuvaus / description": info.description})
        if (frame["status"] == "e").any():
            meta["menetelmä / method"] = METHOD_NOTES["estimate"]
        return Dataset(dataset, t["dataset_indicator"].format(title=info.title), frame, meta,
                       f"digiindicators_{dataset}_{stamp}")
    frame = panel.reset_index(drop=True)
    meta = _base_metadata(ctx, frame)
    meta["menetelmä / method"] = METHOD_NOTES["estimate"]
    return Dataset(ALL, t["dataset_all"], frame, meta, f"digiindicators_kaikki_{stamp}")


def profile_frame(ctx: Context, code: str, lang: str) -> pd.DataFrame:
    """One municipality's comparison table as tidy columns (the profile page's numbers)."""
    rows = profiledata.profile_rows(ctx.panel, code, lang, ctx.catalog, ctx.areas,
                                    lookup=ctx.lookup)
    out = []
    for r in rows:
        def val(a: figures.AreaValue | None) -> float | None:
            return a.value if a is not None else None

        out.append({
            "indicator": r.info.id, "title": r.info.title, "unit": r.info.unit, "year": r.year,
            "area_code": code, "value": r.own.value, "status": r.own.status,
            "lower": r.own.lower, "upper": r.own.upper,
            "peer_value": r.peer.value, "peer_method": r.peer.method, "peer_n": r.peer.n,
            "peer_group": ctx.areas.peer_group(code),
            "region_value": val(r.region), "county_value": val(r.county),
            "country_value": val(r.country),
        })
    return pd.DataFrame(out)


# ---- sources and freshness ----------------------------------------------------------------
@dataclass(frozen=True)
class SourceRow:
    source: str
    indicators: list[str]  # titles
    refreshed: str  # ISO
    source_updated: str
    stale: bool
    problem: str
    licence: str


def licence_for(source: str, lang: str = "fi") -> str:
    """Licence and author of a source, recognised from its name or job key."""
    t = texts(lang)
    low = source.lower()
    if "geo:" in low or "maanmittauslaitos" in low or "rajat" in low:
        return t["licence_geo"]
    if "sotkanet" in low or "thl" in low:
        return t["licence_thl"]
    if low.startswith("kysely") or "survey" in low:
        return t["licence_survey"]
    if "laskennallinen" in low or "derived" in low:
        return t["licence_derived"]
    return t["licence_statfin"]


def _base_source(text: str, status: str) -> str:
    if status == "e" or text.startswith("laskennallinen arvio"):
        return text.split(";")[0].replace("kunnan ", "").replace("koko maan ikärakenne",
                                                                  "ikärakenne")
    return text.split("; ")[0]


def source_rows(ctx: Context, lang: str) -> list[SourceRow]:
    """Every source with what it feeds, when it was refreshed and whether it is stale."""
    titles = {i: figures.indicator_info(i, lang, ctx.catalog, ctx.panel).title
              for i in ctx.panel["indicator"].unique() if figures.is_statistic(str(i))}
    if ctx.info.sources:
        return [SourceRow(
            source=s.source,
            indicators=[titles.get(i.strip(), i.strip()) for i in s.indicators.split(",")
                        if i.strip()],
            refreshed=s.last_success, source_updated=s.source_updated, stale=s.stale,
            problem=s.problem, licence=licence_for(s.source, lang),
        ) for s in ctx.info.sources]
    groups: dict[str, list[str]] = {}
    rows = ctx.panel[ctx.panel["indicator"].map(lambda i: figures.is_statistic(str(i)))]
    for rec in rows[["indicator", "source", "status"]].drop_duplicates().itertuples():
        key = _base_source(str(rec.source), str(rec.status))
        if not key:
            continue
        groups.setdefault(key, [])
        title = titles.get(rec.indicator, rec.indicator)
        if title not in groups[key]:
            groups[key].append(title)
    out = []
    for source, inds in groups.items():
        stale = any(name.lower() in source.lower() for name in ctx.info.stale)
        out.append(SourceRow(source, inds, str(ctx.info.refreshed_at or ""), "", stale, "",
                             licence_for(source, lang)))
    # A stale source named by the refresh but no longer in the panel still gets a row.
    for name in ctx.info.stale:
        if not any(name.lower() in r.source.lower() for r in out):
            out.append(SourceRow(name, [], "", "", True, "", licence_for(name, lang)))
    if ctx.survey is not None:
        src = str(ctx.survey.rows["source"].iloc[0]) if not ctx.survey.rows.empty else ""
        out.append(SourceRow(src, [ctx.survey.title.get(lang, "")], "", "", False, "",
                             licence_for("kysely", lang)))
    if ctx.boundaries:
        out.append(SourceRow(str(ctx.boundaries.get("attribution") or "geo:boundaries"),
                             [texts(lang)["map_boundaries"]], "", str(ctx.boundaries.get("year")
                                                                      or ""),
                             bool(ctx.boundaries.get("stale")), str(ctx.boundaries.get("stale")
                                                                    or ""),
                             licence_for("geo:", lang)))
    return out


__all__ = ["Dataset", "build", "options", "profile_frame", "resolve", "source_rows"]
