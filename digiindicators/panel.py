"""Raw responses in the store → the tidy panel (one row per indicator × area × year).

Runs with no network: everything comes from the raw bodies the refresh stored, so a fix
here never needs a re-download. Values for sub-regions, the region and the wellbeing
county come from the source when it publishes them; otherwise they are built from the
member municipalities — counts are summed, shares are computed from summed numerators
and denominators (never by averaging percentages), and such rows say so in ``source``.
A suppressed or missing member makes the aggregate missing too, with the member's
symbol: publishing the sum would let a reader subtract their way to the hidden value.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .areas import AreaTable, level_of
from .catalog import Catalog, Indicator, load_catalog
from .errors import DigiIndicatorsError, StoreError
from .region import region_table
from .store import Store
from .stored import StoredIndicator, StoredTable, read_sotkanet, read_table

log = logging.getLogger(__name__)

COLUMNS = [
    "indicator",
    "area_code",
    "area_level",
    "area_name",
    "year",
    "value",
    "status",
    "unit",
    "source",
    "lower",
    "upper",
]
#: Statistics Finland's symbols, weakest first; an aggregate inherits the strongest.
STATUS_RANK = {"": 0, ".": 1, "..": 2, "...": 3}
AGGREGATED_NOTE = "laskettu kuntien luvuista"
DEMO_NOTE = "ESIMERKKIAINEISTO, ei todellisia lukuja"
SEXES_ONLY_NOTE = "julkaistu vain sukupuolittain, yhteensä-lukua ei laskettu"


_SYMBOL_BY_RANK = {rank: symbol for symbol, rank in STATUS_RANK.items()}


def _status_rank(status: pd.Series) -> pd.Series:
    return status.map(STATUS_RANK).fillna(2).astype(int)


def _symbols(rank: pd.Series) -> pd.Series:
    return rank.map(_SYMBOL_BY_RANK)


# ---- computations on frames of (area, period, value, status) ------------------------------
def content_slice(table: StoredTable, content: str, keep: str | None = None) -> pd.DataFrame:
    """One content's cells; other breakdowns fixed at their total unless kept."""
    actual = table.contents[content]
    frame = table.frame[table.frame["content"] == actual]
    for dim in table.breakdowns:
        if dim != keep and "SSS" in set(frame[dim]):
            frame = frame[frame[dim] == "SSS"]
    columns = ["area", "period"] + ([keep] if keep else []) + ["value", "status"]
    return frame[columns].reset_index(drop=True)


_MEMBERSHIP: dict[int, tuple[AreaTable, list[str], list[str], np.ndarray]] = {}


def _membership(region: AreaTable) -> tuple[list[str], list[str], np.ndarray]:
    """Aggregates, municipalities and the 0/1 membership matrix (aggregate × municipality);
    built once per area table (it is immutable)."""
    cached = _MEMBERSHIP.get(id(region))
    if cached is not None and cached[0] is region:
        return cached[1], cached[2], cached[3]
    aggregates, munis = region.aggregate_areas(), region.municipalities()
    column = {code: i for i, code in enumerate(munis)}
    matrix = np.zeros((len(aggregates), len(munis)), dtype=bool)
    for row, aggregate in enumerate(aggregates):
        for member in region.members(aggregate):
            matrix[row, column[member]] = True
    _MEMBERSHIP[id(region)] = (region, aggregates, munis, matrix)
    return aggregates, munis, matrix


def _sum_members(frame: pd.DataFrame, region: AreaTable) -> pd.DataFrame:
    """Sum municipal values into each aggregate area; incomplete or suppressed → missing.

    Works on an area × period matrix because it runs for every indicator and aggregate
    level of every load: a sum counts only when every member is present and clean.
    """
    aggregates, munis, matrix = _membership(region)
    sub = frame[frame["area"].isin(set(munis))]
    if sub.empty or not aggregates:
        return pd.DataFrame(columns=["area", "period", "value", "status"])
    keyed = sub.set_index(["area", "period"])
    values = keyed["value"].unstack().reindex(munis)
    periods = values.columns
    clean = (keyed["value"].notna() & (keyed["status"] == "")).unstack(fill_value=False)
    clean = clean.reindex(index=munis, columns=periods, fill_value=False).to_numpy(dtype=bool)
    rank = _status_rank(keyed["status"]).unstack().reindex(index=munis, columns=periods)
    rank = rank.fillna(0).to_numpy(dtype=int)
    weights = matrix.astype(float)
    summed = weights @ np.nan_to_num(values.to_numpy(dtype=float))
    complete = (weights @ clean.astype(float)) == matrix.sum(axis=1)[:, None]
    worst = np.where(matrix[:, :, None], rank[None, :, :], 0).max(axis=1)
    status = np.vectorize(_SYMBOL_BY_RANK.get, otypes=[object])(worst)
    status = np.where(~complete & (status == ""), "..", status)
    return pd.DataFrame(
        {
            "area": np.repeat(aggregates, len(periods)),
            "period": np.tile(np.asarray(periods, dtype=object), len(aggregates)),
            "value": np.where(complete, summed, np.nan).ravel(),
            "status": status.ravel(),
        }
    )


def _ratio(num: pd.DataFrame, den: pd.DataFrame, scale: float) -> pd.DataFrame:
    merged = num.merge(den, on=["area", "period"], suffixes=("_num", "_den"))
    value = scale * merged["value_num"] / merged["value_den"].replace(0, np.nan)
    rank = np.maximum(_status_rank(merged["status_num"]), _status_rank(merged["status_den"]))
    out = pd.DataFrame({"area": merged["area"], "period": merged["period"], "value": value})
    out["status"] = _symbols(rank)
    out.loc[out["status"] != "", "value"] = np.nan
    return out


def single_year_frame(table: StoredTable, content: str) -> pd.DataFrame:
    """``area, period, age, value, status, rank`` by single-year age (``age`` −1 = total).

    Computed once per table and content: every age measure of a load reads it.
    """
    key = ("single_year", content)
    if key in table.memo:
        return table.memo[key]
    if len(table.breakdowns) != 1:
        raise StoreError(f"An age measure needs exactly one age breakdown, got {table.breakdowns}.")
    age_dim = table.breakdowns[0]
    frame = content_slice(table, content, keep=age_dim)
    codes = {code: (-1 if code == "SSS" else age_of(code)) for code in frame[age_dim].unique()}
    frame = pd.DataFrame(
        {
            "area": frame["area"],
            "period": frame["period"],
            "age": frame[age_dim].map(codes).astype(int),
            "value": frame["value"],
            "status": frame["status"],
            "rank": _status_rank(frame["status"]),
        }
    )
    table.memo[key] = frame
    return frame


def _age_matrix(table: StoredTable, content: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values and status ranks as (area, period) × age matrices, once per table and content,
    so that an age range is a column slice rather than a group-by over every single age."""
    key = ("age_matrix", content)
    if key not in table.memo:
        frame = single_year_frame(table, content)
        wide = frame.pivot(index=["area", "period"], columns="age", values=["value", "rank"])
        table.memo[key] = (wide["value"], wide["rank"].fillna(0).astype(int))
    return table.memo[key]


def _age_totals(table: StoredTable, content: str, ages: tuple[int, int] | None) -> pd.DataFrame:
    """Population in an age range (None = everyone) per area and period; a missing or
    suppressed age makes the sum missing, with the strongest symbol."""
    values, ranks = _age_matrix(table, content)
    if ages is None and -1 in values.columns:
        columns = [-1]
    elif ages is None:
        columns = [c for c in values.columns if c >= 0]
    else:
        columns = [c for c in values.columns if ages[0] <= c <= ages[1]]
    block = values[columns]
    missing = block.isna().any(axis=1)
    result = pd.DataFrame(
        {"value": block.sum(axis=1), "status": _symbols(ranks[columns].max(axis=1))}
    ).reset_index()
    missing = missing.to_numpy()
    result.loc[missing & (result["status"] == ""), "status"] = ".."
    result.loc[missing | (result["status"] != ""), "value"] = np.nan
    return result[["area", "period", "value", "status"]]


def age_of(code: str) -> int:
    """Single-year age codes are ``000``…``099`` and ``100-`` (100 or over)."""
    digits = re.match(r"\d+", code)
    if digits is None:
        raise StoreError(f"Age code {code!r} is not a single-year age.")
    return int(digits.group())


def _with_aggregates(
    source_values: pd.DataFrame,
    region: AreaTable,
    *,
    counts: dict[str, pd.DataFrame] | None,
    scale: float = 1.0,
    how: str,
) -> pd.DataFrame:
    """Source rows plus aggregates built from municipalities where the source has none."""
    have = set(source_values["area"])
    out = [source_values.assign(aggregated=False)]
    needed = [a for a in region.aggregate_areas() if a not in have]
    if needed and how != "none" and counts is not None:
        if how == "sum":
            built = _sum_members(counts["value"], region)
        else:
            built = _ratio(
                _sum_members(counts["numerator"], region),
                _sum_members(counts["denominator"], region),
                scale,
            )
        out.append(built[built["area"].isin(needed)].assign(aggregated=True))
    return pd.concat(out, ignore_index=True)


def _annual_mean(frame: pd.DataFrame) -> pd.DataFrame:
    """Monthly values → calendar-year means; years with fewer than 12 months are left out."""
    frame = frame.assign(period=frame["period"].str[:4], rank=_status_rank(frame["status"]))
    grouped = frame.groupby(["area", "period"])
    result = grouped.agg(
        value=("value", "mean"),
        months=("value", "size"),
        rank=("rank", "max"),
        aggregated=("aggregated", "any"),
    ).reset_index()
    result["status"] = _symbols(result["rank"])
    result = result[result["months"] == 12].drop(columns="months")
    result.loc[result["status"] != "", "value"] = np.nan
    return result


def _age_group_code(table: StoredTable, dim: str, ages: tuple[int, int]) -> str:
    """The code of the age group whose label reads ``lo-hi`` (sutivi: codes 1…7, labels
    "16-24"…): survey age groups are identified by their label, never by their code."""
    labels = table.labels.get(dim, {})
    hits = [code for code, label in labels.items() if parse_age_label(label) == ages]
    if len(hits) != 1:
        shown = ", ".join(f"{c}={lab}" for c, lab in labels.items())
        raise StoreError(
            f"Age group {ages[0]}–{ages[1]} is {'ambiguous' if hits else 'not'} in the "
            f"labels of {dim} ({shown}); the survey's age grouping may have changed."
        )
    return hits[0]


def parse_age_label(label: str) -> tuple[int, int] | None:
    """``"75-89"``, ``"75–89-vuotiaat"`` → (75, 89); None for totals and open ranges."""
    match = re.search(r"(\d+)\s*[-–]\s*(\d+)", label)
    return (int(match.group(1)), int(match.group(2))) if match else None


def age_group_values(table: StoredTable, content: str, ages: tuple[int, int]) -> pd.DataFrame:
    if len(table.breakdowns) != 1:
        raise StoreError(f"An age-group value needs one age breakdown, got {table.breakdowns}.")
    dim = table.breakdowns[0]
    frame = content_slice(table, content, keep=dim)
    code = _age_group_code(table, dim, ages)
    return frame[frame[dim] == code][["area", "period", "value", "status"]].reset_index(drop=True)


def _pct_change(frame: pd.DataFrame, lag: int) -> pd.DataFrame:
    """100 × (value / value ``lag`` years earlier − 1) per area; both must be clean."""
    frame = frame.assign(year=frame["period"].str[:4].astype(int))
    earlier = frame.assign(year=frame["year"] + lag)[
        ["area", "year", "value", "status", "aggregated"]
    ]
    merged = frame.merge(earlier, on=["area", "year"], suffixes=("", "_then"))
    rank = np.maximum(_status_rank(merged["status"]), _status_rank(merged["status_then"]))
    out = pd.DataFrame(
        {
            "area": merged["area"],
            "period": merged["period"],
            "value": 100.0 * (merged["value"] / merged["value_then"].replace(0, np.nan) - 1.0),
            "status": _symbols(rank),
            "aggregated": merged["aggregated"] | merged["aggregated_then"],
        }
    )
    out.loc[out["status"] != "", "value"] = np.nan
    return out


def indicator_values(ind: Indicator, table: StoredTable, region: AreaTable) -> pd.DataFrame:
    """(area, period, value, status, aggregated) for one PxWeb indicator, all region areas."""
    src = ind.source
    if src.measure in ("content", "pct_change"):
        values = content_slice(table, src.content or "")
        counts = None
        if src.aggregate == "sum":
            counts = {"value": values}
        elif src.aggregate == "ratio":
            counts = {
                "numerator": content_slice(table, src.numerator or ""),
                "denominator": content_slice(table, src.denominator or ""),
            }
        values = _with_aggregates(values, region, counts=counts, scale=src.scale, how=src.aggregate)
        if src.measure == "pct_change":
            values = _pct_change(values, int(src.lag or 1))
    elif src.measure == "age_group":
        assert src.ages is not None
        values = age_group_values(table, src.content or "", src.ages)
        values = _with_aggregates(values, region, counts=None, how="none")
    else:
        numerator = _age_totals(table, src.content or "", src.ages)
        denominator = _age_totals(table, src.content or "", src.base_ages)
        direct = _ratio(numerator, denominator, 100.0)
        values = _with_aggregates(
            direct,
            region,
            counts={"numerator": numerator, "denominator": denominator},
            scale=100.0,
            how="ratio",
        )
    if src.annual == "mean":
        values = _annual_mean(values)
    return values[values["area"].isin(set(region.codes))]


def sotkanet_values(
    ind: Indicator, stored: StoredIndicator, region: AreaTable
) -> tuple[pd.DataFrame, str]:
    """(area, period, value, status, aggregated) for one Sotkanet indicator, and a note.

    Sotkanet omits unpublished cells; here they come back as explicit ``..`` rows for
    every area level and year in which the indicator has any data (a level or a year with
    no data at all — a survey not run that year, a county-only indicator's municipalities
    — is not a missing cell and is left out). Nothing is interpolated. When Sotkanet had
    no total and sent the sexes instead, the total stays missing: it is never summed.
    """
    frame = stored.frame
    present = frame[frame["value"].notna()]
    years = set(present["year"])
    levels = {level_of(a) for a in present["area"]}
    grid = frame[frame["year"].isin(years) & frame["area"].map(level_of).isin(levels)]
    chosen = grid[grid["gender"] == ind.source.gender]
    note = ""
    if chosen.empty and not grid.empty:
        note = SEXES_ONLY_NOTE
        chosen = grid[["area", "year"]].drop_duplicates().assign(value=np.nan, status="..")
    values = pd.DataFrame(
        {
            "area": chosen["area"].to_numpy(),
            "period": chosen["year"].astype(str).to_numpy(),
            "value": chosen["value"].astype(float).to_numpy(),
            "status": chosen["status"].to_numpy(),
        }
    )
    counts = {"value": values} if ind.source.aggregate == "sum" else None
    values = _with_aggregates(values, region, counts=counts, how=ind.source.aggregate)
    return values[values["area"].isin(set(region.codes))], note


def panel_rows(
    ind: Indicator, values: pd.DataFrame, source: str, region: AreaTable, demo: bool
) -> pd.DataFrame:
    """Values of one indicator as panel rows (aggregated rows say so in ``source``)."""
    if demo:
        source = f"{DEMO_NOTE}: {source}"
    names = region.names("fi")
    return pd.DataFrame(
        {
            "indicator": ind.id,
            "area_code": values["area"].to_numpy(),
            "area_level": [level_of(a) for a in values["area"]],
            "area_name": [names[a] for a in values["area"]],
            "year": values["period"].astype(str).str[:4].astype(int).to_numpy(),
            "value": values["value"].astype(float).to_numpy(),
            "status": values["status"].to_numpy(),
            "unit": ind.unit,
            "source": np.where(values["aggregated"], f"{source}; {AGGREGATED_NOTE}", source),
            "lower": np.nan,
            "upper": np.nan,
        }
    )


def empty_panel() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    return frame.astype({"year": int, "value": float, "lower": float, "upper": float})


def order_panel(panel: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Catalog order of indicators, then area code and year; exactly the panel columns."""
    order = {code: i for i, code in enumerate(catalog.ids)}
    return panel.sort_values(
        ["indicator", "area_code", "year"],
        key=lambda s: s.map(order) if s.name == "indicator" else s,
    ).reset_index(drop=True)[COLUMNS]


def _entry_frames(entry_key, entry, inds, store, region, demo) -> tuple[list[pd.DataFrame], str]:
    """Panel rows of the indicators read from one manifest entry, and its stale reason."""
    kind = entry_key.split(":", 1)[0]
    frames = []
    if kind == "pxweb":
        table = read_table(store, entry)
        gone = []
        for ind in inds:
            if not set(ind.source.contents()) <= set(table.contents):
                gone.append(f"{ind.id}: {(entry.get('failed_indicators') or {}).get(ind.id, '')}")
                continue  # its content is no longer in the table (see the refresh report)
            values = indicator_values(ind, table, region)
            frames.append(panel_rows(ind, values, table.source_text, region, demo))
        reasons = [table.stale_reason] + [f"ei saatavilla / not available: {g}" for g in gone]
        return frames, "; ".join(r for r in reasons if r)
    if kind == "sotkanet":
        stored = read_sotkanet(store, entry, region)
        for ind in inds:
            values, note = sotkanet_values(ind, stored, region)
            source = f"{stored.source_text}; {note}" if note else stored.source_text
            frames.append(panel_rows(ind, values, source, region, demo))
        return frames, stored.stale_reason
    raise StoreError(f"{entry_key}: no panel reader for source {kind!r}.")


def build_panel(
    store: Store,
    *,
    catalog: Catalog | None = None,
    region: AreaTable | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The source indicators of the tidy panel from a store (derived indicators — modelled
    estimates, density — are added by :func:`digiindicators.derived.add_derived`, which
    ``load()`` calls). ``attrs`` carry demo/stale/refresh information; ``stale`` is keyed
    by the manifest entry (``pxweb:StatFin/vkour/12bs.px``, ``sotkanet:180``)."""
    catalog = catalog or load_catalog()
    region = region or region_table(store)
    manifest = store.manifest()
    demo = bool(manifest.get("demo"))
    frames, stale, missing = [], {}, []
    for key, inds in catalog.sources_for(list(indicators) if indicators else None).items():
        entry = manifest["entries"].get(key)
        if not entry or not (entry.get("current") or entry.get("previous")):
            missing.extend(ind.id for ind in inds)
            continue
        try:
            entry_frames, reason = _entry_frames(key, entry, inds, store, region, demo)
        except DigiIndicatorsError as exc:
            log.error("%s", exc)
            stale[key] = str(exc)
            continue
        frames.extend(entry_frames)
        if reason or entry.get("stale"):
            stale[key] = reason or entry.get("last_error") or "stale"
    if missing:
        log.warning("No data in %s for: %s", store.root, ", ".join(missing))
    frames = [f for f in frames if not f.empty]
    panel = pd.concat(frames, ignore_index=True) if frames else empty_panel()
    panel = order_panel(panel, catalog)
    panel.attrs.update(
        demo=demo,
        refreshed_at=manifest.get("refreshed_at"),
        cache_dir=str(store.root),
        stale=stale,
        missing=missing,
    )
    return panel
