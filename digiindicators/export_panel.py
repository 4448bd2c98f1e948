"""Write the panel to CSV or Excel with the metadata a reader needs to cite it.

The metadata (sources, licence, refresh time, whether the numbers are the example
snapshot) travels with the file: as a second sheet in Excel and as a sidecar
``<name>.metadata.csv`` next to a CSV, because an exported table is read far away from
the dashboard that explained it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .errors import ConfigError
from .exports import write_csv, write_excel

LICENCE = "CC BY 4.0 (Tilastokeskus / Statistics Finland; THL)"


def panel_metadata(panel: pd.DataFrame) -> dict[str, str]:
    """Citation and provenance of a panel as key → text."""
    sources = sorted({s.split("; ")[0] for s in panel["source"].dropna().unique()})
    meta = {
        "aineisto / dataset": "digiindicators: digital-divide indicators, Pohjois-Pohjanmaa",
        "esimerkkiaineisto / example data": "KYLLÄ / YES — numbers are synthetic"
        if panel.attrs.get("demo")
        else "ei / no",
        "päivitetty / refreshed": str(panel.attrs.get("refreshed_at") or ""),
        "lisenssi / licence": LICENCE,
        "lähteet / sources": " | ".join(sources),
        "tila / status symbols": ".. = ei saatavilla tai liian epävarma; ... = salassapidon "
        "alainen; . = loogisesti mahdoton; e = laskennallinen arvio",
        "aggregointi / aggregation": "'laskettu kuntien luvuista' = summed from municipalities "
        "(shares from summed numerators and denominators)",
    }
    stale = panel.attrs.get("stale") or {}
    if stale:
        meta["vanhentunut / stale"] = "; ".join(f"{k}: {v}" for k, v in stale.items())
    return meta


def export_panel(
    output: Path, *, cache_dir: str | Path | None = None, indicators: Iterable[str] | None = None
) -> Path:
    """Export the panel (or some indicators) to ``output`` (.csv or .xlsx)."""
    from . import load

    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ConfigError(f"Cannot export to {output.name}: use a .csv or .xlsx file name.")
    panel = load(cache_dir, indicators=indicators)
    metadata = panel_metadata(panel)
    if suffix == ".xlsx":
        return write_excel(panel, output, metadata)
    write_csv(panel, output)
    sidecar = output.with_name(output.stem + ".metadata.csv")
    write_csv(pd.DataFrame(list(metadata.items()), columns=["key", "value"]), sidecar)
    return output
