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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .areas import AreaTable, level_of
from .areas import areas as area_table
from .catalog import Catalog, Indicator, load_catalog
from .errors import DigiIndicatorsError, StoreError
from .sources.jsonstat import parse_jsonstat2
from .store import Store

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
PRODUCERS = {"pxweb": "Tilastokeskus, StatFin"}


_SYMBOL_BY_RANK = {rank: symbol for symbol, rank in STATUS_RANK.items()}


def worst_status(statuses: Iterable[str]) -> str:
    return max(statuses, key=lambda s: STATUS_RANK.get(s, 2), default="")


def _status_rank(status: pd.Series) -> pd.Series:
    return status.map(STATUS_RANK).fillna(2).astype(int)


def _symbols(rank: pd.Series) -> pd.Series:
    return rank.map(_SYMBOL_BY_RANK)


@dataclass(frozen=True)
class StoredTable:
    """A source table as stored: one long frame with role-named columns."""

    frame: pd.DataFrame  # area, period, content, <breakdown codes…>, value, status
    contents: dict[str, str]  # catalog code → code in this download
    breakdowns: tuple[str, ...]
    source_text: str
    stale_reason: str = ""


def _source_text(entry: dict, generation: dict, data_updated: str | None) -> str:
    producer = PRODUCERS.get(entry.get("source", ""), entry.get("source", ""))
    stamp = generation.get("source_updated") or data_updated or ""
    date = f" (päivitetty {stamp[:10]})" if stamp else ""
    return f"{producer} {entry.get('table_id', '')}{date}"


def read_table(store: Store, entry: dict) -> StoredTable:
    """Decode a stored table, falling back to the previous download if the current is broken."""
    problems = []
    for generation_name in ("current", "previous"):
        generation = entry.get(generation_name)
        if not generation:
            continue
        try:
            parsed = [parse_jsonstat2(store.get_blob(p["blob"])) for p in generation["parts"]]
        except DigiIndicatorsError as exc:
            problems.append(f"{generation_name}: {exc}")
            continue
        roles = generation["resolved"]
        frame = pd.concat([p.frame for p in parsed], ignore_index=True)
        frame = frame.rename(
            columns={roles["area"]: "area", roles["time"]: "period", roles["content"]: "content"}
        )
        stale = "; ".join(problems)
        if stale:
            log.error("%s: using the previous download because %s", entry.get("table"), stale)
        return StoredTable(
            frame=frame,
            contents=roles["contents"],
            breakdowns=tuple(roles.get("breakdowns", ())),
            source_text=_source_text(entry, generation, parsed[0].updated if parsed else None),
            stale_reason=stale,
        )
    raise StoreError(f"No readable download of {entry.get('table')}: {'; '.join(problems)}")


# ---- computations on frames of (area, period, value, status) ------------------------------
def _slice(table: StoredTable, content: str, keep: str | None = None) -> pd.DataFrame:
    """One content's cells; other breakdowns fixed at their total unless kept."""
    actual = table.contents[content]
    frame = table.frame[table.frame["content"] == actual]
    for dim in table.breakdowns:
        if dim != keep and "SSS" in set(frame[dim]):
            frame = frame[frame[dim] == "SSS"]
    columns = ["area", "period"] + ([keep] if keep else []) + ["value", "status"]
    return frame[columns].reset_index(drop=True)


def _membership(region: AreaTable) -> pd.DataFrame:
    rows = [
        (member, aggregate)
        for aggregate in region.aggregate_areas()
        for member in region.members(aggregate)
    ]
    return pd.DataFrame(rows, columns=["area", "aggregate"])


def _sum_members(frame: pd.DataFrame, region: AreaTable) -> pd.DataFrame:
    """Sum municipal values into each aggregate area; incomplete or suppressed → missing."""
    membership = _membership(region)
    sizes = membership.groupby("aggregate").size().rename("n_members")
    merged = frame.merge(membership, on="area")
    clean = merged["value"].notna() & (merged["status"] == "")
    merged = merged.assign(clean=clean, rank=_status_rank(merged["status"]))
    grouped = merged.groupby(["aggregate", "period"])
    result = grouped.agg(
        value=("value", "sum"), n_clean=("clean", "sum"), rank=("rank", "max")
    ).reset_index()
    result["status"] = _symbols(result["rank"])
    result = result.merge(sizes, left_on="aggregate", right_index=True)
    complete = result["n_clean"] == result["n_members"]
    result.loc[~complete, "value"] = np.nan
    result.loc[~complete & (result["status"] == ""), "status"] = ".."
    return result.rename(columns={"aggregate": "area"})[["area", "period", "value", "status"]]


def _ratio(num: pd.DataFrame, den: pd.DataFrame, scale: float) -> pd.DataFrame:
    merged = num.merge(den, on=["area", "period"], suffixes=("_num", "_den"))
    value = scale * merged["value_num"] / merged["value_den"].replace(0, np.nan)
    rank = np.maximum(_status_rank(merged["status_num"]), _status_rank(merged["status_den"]))
    out = pd.DataFrame({"area": merged["area"], "period": merged["period"], "value": value})
    out["status"] = _symbols(rank)
    out.loc[out["status"] != "", "value"] = np.nan
    return out


def _age_totals(table: StoredTable, content: str, ages: tuple[int, int] | None) -> pd.DataFrame:
    """Population in an age range (None = everyone) per area and period."""
    if len(table.breakdowns) != 1:
        raise StoreError(f"An age measure needs exactly one age breakdown, got {table.breakdowns}.")
    age_dim = table.breakdowns[0]
    frame = _slice(table, content, keep=age_dim)
    if ages is None:
        totals = frame[frame[age_dim] == "SSS"]
        if not totals.empty:
            return totals[["area", "period", "value", "status"]].reset_index(drop=True)
        frame = frame[frame[age_dim] != "SSS"]
    else:
        frame = frame[frame[age_dim] != "SSS"]
        age = frame[age_dim].map({code: _age_of(code) for code in frame[age_dim].unique()})
        frame = frame[(age >= ages[0]) & (age <= ages[1])]
    frame = frame.assign(rank=_status_rank(frame["status"]), missing=frame["value"].isna())
    grouped = frame.groupby(["area", "period"])
    result = grouped.agg(
        value=("value", "sum"), rank=("rank", "max"), missing=("missing", "any")
    ).reset_index()
    result["status"] = _symbols(result["rank"])
    result.loc[result["missing"] & (result["status"] == ""), "status"] = ".."
    result.loc[result["missing"] | (result["status"] != ""), "value"] = np.nan
    return result[["area", "period", "value", "status"]]


def _age_of(code: str) -> int:
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


def indicator_values(ind: Indicator, table: StoredTable, region: AreaTable) -> pd.DataFrame:
    """(area, period, value, status, aggregated) for one indicator, all region areas."""
    src = ind.source
    if src.measure == "content":
        values = _slice(table, src.content)
        counts = None
        if src.aggregate == "sum":
            counts = {"value": values}
        elif src.aggregate == "ratio":
            counts = {
                "numerator": _slice(table, src.numerator),
                "denominator": _slice(table, src.denominator),
            }
        values = _with_aggregates(values, region, counts=counts, scale=src.scale, how=src.aggregate)
    else:
        numerator = _age_totals(table, src.content, src.ages)
        denominator = _age_totals(table, src.content, src.base_ages)
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


def _to_panel_rows(
    ind: Indicator, values: pd.DataFrame, table: StoredTable, region, demo
) -> pd.DataFrame:
    source = table.source_text
    if demo:
        source = f"{DEMO_NOTE}: {source}"
    names = region.names("fi")
    return pd.DataFrame(
        {
            "indicator": ind.id,
            "area_code": values["area"].to_numpy(),
            "area_level": [level_of(a) for a in values["area"]],
            "area_name": [names[a] for a in values["area"]],
            "year": values["period"].str[:4].astype(int).to_numpy(),
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


def build_panel(
    store: Store,
    *,
    catalog: Catalog | None = None,
    region: AreaTable | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The tidy panel from a store. ``attrs`` carry demo/stale/refresh information."""
    catalog = catalog or load_catalog()
    region = region or area_table()
    manifest = store.manifest()
    demo = bool(manifest.get("demo"))
    frames, stale, missing = [], {}, []
    for path, inds in catalog.tables_for(list(indicators) if indicators else None).items():
        entry = manifest["entries"].get(f"{inds[0].source.kind}:{path}")
        if not entry or not (entry.get("current") or entry.get("previous")):
            missing.extend(ind.id for ind in inds)
            continue
        try:
            table = read_table(store, entry)
        except DigiIndicatorsError as exc:
            log.error("%s", exc)
            stale[path] = str(exc)
            continue
        if table.stale_reason or entry.get("stale"):
            stale[path] = table.stale_reason or entry.get("last_error") or "stale"
        for ind in inds:
            values = indicator_values(ind, table, region)
            frames.append(_to_panel_rows(ind, values, table, region, demo))
    if missing:
        log.warning("No data in %s for: %s", store.root, ", ".join(missing))
    panel = pd.concat(frames, ignore_index=True) if frames else empty_panel()
    order = {code: i for i, code in enumerate(catalog.ids)}
    panel = panel.sort_values(
        ["indicator", "area_code", "year"],
        key=lambda s: s.map(order) if s.name == "indicator" else s,
    ).reset_index(drop=True)[COLUMNS]
    panel.attrs.update(
        demo=demo,
        refreshed_at=manifest.get("refreshed_at"),
        cache_dir=str(store.root),
        stale=stale,
        missing=missing,
    )
    return panel
