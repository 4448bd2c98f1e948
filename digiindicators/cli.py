"""The ``digiindicators`` command: refresh, dashboard, status, export, survey check.

Exit codes (DESIGN.md): 0 everything fine; 1 some sources failed (old data kept, summary
printed); 2 a usage or configuration error. Schedulers rely on them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import pandas as pd
import requests

from . import __version__
from .catalog import load_catalog
from .config import Settings
from .errors import CacheLocked, CatalogError, ConfigError, DigiIndicatorsError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digiindicators",
        description="Digital-divide indicators for Pohjois-Pohjanmaa: refresh, serve, export.",
    )
    parser.add_argument("--version", action="version", version=f"digiindicators {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_cache(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--cache-dir", help="cache directory (default: $DIGIINDICATORS_CACHE or ./cache)"
        )
        return p

    refresh = with_cache(sub.add_parser("refresh", help="download what changed into the cache"))
    refresh.add_argument("--only", nargs="+", metavar="ID", help="refresh only these indicators")
    refresh.add_argument("--force", action="store_true", help="download even if unchanged")
    refresh.add_argument(
        "--region",
        help="maakunta number (17 = Pohjois-Pohjanmaa) or 'all' (default: $DIGIINDICATORS_REGION "
        "or 17)",
    )
    refresh.add_argument("--no-progress", action="store_true", help="no progress bar")
    refresh.add_argument(
        "--if-online",
        type=float,
        metavar="SECONDS",
        help="skip quietly (exit 0) when Statistics Finland does not answer within SECONDS",
    )

    dash = with_cache(sub.add_parser("dashboard", help="serve the dashboard (production server)"))
    dash.add_argument("--host", default="127.0.0.1")
    dash.add_argument("--port", type=int, default=8050)
    dash.add_argument("--threads", type=int, default=8)
    dash.add_argument(
        "--feedback-email",
        help="feedback address in the footer and accessibility statement "
        "(default $DIGIINDICATORS_FEEDBACK_EMAIL)",
    )
    dash.add_argument(
        "--no-prewarm",
        action="store_true",
        help="do not render the landing pages and municipality profiles in the background "
        "at start (they are then rendered for their first reader)",
    )

    with_cache(sub.add_parser("status", help="what the cache holds and what is stale"))

    export = with_cache(sub.add_parser("export", help="write the panel to CSV or Excel"))
    export.add_argument("output", help="file to write (.csv or .xlsx)")
    export.add_argument("--only", nargs="+", metavar="ID", help="only these indicators")

    survey = sub.add_parser("survey", help="survey files")
    survey_sub = survey.add_subparsers(dest="survey_command", required=True)
    check = survey_sub.add_parser("check", help="validate a survey answer file")
    check.add_argument("file")
    check.add_argument("--spec", help="survey spec (TOML); default: the packaged example spec")
    return parser


def _check_ids(ids: list[str] | None) -> None:
    if not ids:
        return
    known = set(load_catalog().ids)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise SystemExit(
            f"digiindicators: unknown indicator(s): {', '.join(unknown)}. "
            f"Known: {', '.join(sorted(known))}."
        )


def _online(settings: Settings, seconds: float) -> bool:
    try:
        response = requests.get(
            f"{settings.pxweb_url}/{settings.lang}/?config",
            timeout=seconds,
            headers={"User-Agent": settings.user_agent},
        )
    except requests.RequestException:
        return False
    return response.status_code < 500


def cmd_refresh(args: argparse.Namespace) -> int:
    from .refresh import refresh

    _check_ids(args.only)
    settings = Settings.from_env(args.cache_dir, region=args.region)
    if args.if_online is not None and not _online(settings, args.if_online):
        print(
            "Tilastokeskus ei vastannut; päivitys ohitettiin, käytössä välimuistin tai upotetun "
            "esimerkkiaineiston tiedot. / Statistics Finland did not answer; refresh skipped."
        )
        return EXIT_OK
    report = refresh(
        settings, only=args.only, force=args.force, progress=False if args.no_progress else None
    )
    print(report.summary())
    return report.exit_code


def cmd_dashboard(args: argparse.Namespace) -> int:
    from dashboards.app import create_app, serve
    from dashboards.info import served_store

    panel, info = served_store(args.cache_dir)
    try:
        app = create_app(panel, info=info, feedback_email=args.feedback_email)
    except ValueError as exc:  # a malformed feedback address: a configuration error
        print(f"digiindicators dashboard: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.no_prewarm:
        from dashboards import prewarm

        prewarm.start(app.digi_ctx)
    serve(app, host=args.host, port=args.port, threads=args.threads)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from .status import indicator_status, status_table

    cache_dir = Settings.from_env(args.cache_dir).cache_dir
    table = status_table(cache_dir)
    if table.empty:
        print("Välimuisti on tyhjä / cache is empty.")
        return EXIT_OK
    indicators = indicator_status(cache_dir)
    print(f"Alue / region: {_region_line(cache_dir)}")
    with pd.option_context("display.max_colwidth", 120, "display.width", 250):
        print("Lähteet / sources:")
        print(table.drop(columns="indicators").to_string(index=False))
        print()
        print("Indikaattorit / indicators:")
        print(indicators.to_string(index=False))
    stale = bool(table["stale"].any() or indicators["stale"].any())
    return EXIT_FAILED if stale else EXIT_OK


def _region_line(cache_dir: Path) -> str:
    """``MK17 Pohjois-Pohjanmaa, 30 kuntaa / municipalities (<where the table came from>)``."""
    from .region import region_table
    from .store import Store

    try:
        table = region_table(Store(cache_dir))
    except DigiIndicatorsError as exc:
        return f"ei aluetaulua / no area table: {exc}"
    code = table.region_code
    return (
        f"{code} {table.name(code)}, {len(table.municipalities())} kuntaa / municipalities "
        f"({table.provenance})"
    )


def cmd_export(args: argparse.Namespace) -> int:
    from .export_panel import export_panel

    _check_ids(args.only)
    path = export_panel(Path(args.output), cache_dir=args.cache_dir, indicators=args.only)
    print(f"Kirjoitettu / written: {path}")
    return EXIT_OK


def cmd_survey(args: argparse.Namespace) -> int:
    from .survey import check_survey_file, default_spec_path

    code, text = check_survey_file(Path(args.file), args.spec or default_spec_path())
    print(text)
    return code


COMMANDS = {
    "refresh": cmd_refresh,
    "dashboard": cmd_dashboard,
    "status": cmd_status,
    "export": cmd_export,
    "survey": cmd_survey,
}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return COMMANDS[args.command](args)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except CacheLocked as exc:
        print(f"digiindicators: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (ConfigError, CatalogError) as exc:  # fixable by the person running the command
        print(f"digiindicators: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DigiIndicatorsError as exc:
        print(f"digiindicators: {exc}", file=sys.stderr)
        return EXIT_USAGE if args.command != "refresh" else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
