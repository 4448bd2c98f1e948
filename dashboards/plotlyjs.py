"""Which plotly.js the page loads: a partial bundle when installed, else Dash's full one.

Why: plotly.js is most of the first view's bytes. Dash ships the full bundle (every trace
type: maps, 3-D, …, ≈ 1.4 MB compressed) and loads it when the first ``dcc.Graph`` mounts,
*unless* ``window.Plotly`` already exists (``dash/dcc/dash_core_components.js``:
``Promise.resolve(window.Plotly || <load _dashPlotlyJSURL>)``). Every chart of this app
is a ``bar`` or ``scatter`` trace on cartesian axes (the boundary map is filled scatter
polygons), so plotly.js's *basic* bundle (bar, pie, scatter; ≈ 0.4 MB compressed) draws
them all. ``scripts/fetch_plotly_bundle.py`` downloads it from the npm registry at install
time (``make`` does this), checks its pinned SHA-256 and writes it into
``assets/vendor/`` (git-ignored: third-party code is not committed). Dash includes asset
scripts before its renderer starts, so ``window.Plotly`` exists when the first graph mounts.

The bundle is used only when its version is the plotly.js version the installed plotly
package was built for (``plotly.offline.get_plotlyjs_version()``); otherwise — or when it
is absent, as after a plain ``pip install`` — the ``vendor`` folder is left out of the
page and Dash's own full bundle is loaded as before.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

VENDOR_DIR = Path(__file__).parent / "assets" / "vendor"
BUNDLE = VENDOR_DIR / "plotly-basic.min.js"
MANIFEST = VENDOR_DIR / "plotly-basic.json"  # written by scripts/fetch_plotly_bundle.py
#: Trace types the basic bundle draws; figures.py, maps.py and charts.py use only these.
TRACE_TYPES = frozenset({"bar", "scatter", "pie"})


def expected_version() -> str:
    """The plotly.js version the installed plotly (and so Dash's full bundle) is built for."""
    from plotly.offline import get_plotlyjs_version

    return str(get_plotlyjs_version())


def installed_version(manifest: Path = MANIFEST, bundle: Path = BUNDLE) -> str | None:
    """Version of the partial bundle in ``assets/vendor``, or None when there is none."""
    if not bundle.is_file() or not manifest.is_file():
        return None
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def use_partial_bundle(manifest: Path = MANIFEST, bundle: Path = BUNDLE) -> bool:
    """True when the installed partial bundle matches the plotly.js the app expects."""
    have = installed_version(manifest, bundle)
    if have is None:
        log.info("plotly.js: no partial bundle in %s; Dash's full bundle is used "
                 "(run scripts/fetch_plotly_bundle.py for a smaller first view)", VENDOR_DIR)
        return False
    want = expected_version()
    if have != want:
        log.warning("plotly.js: the partial bundle is %s but plotly expects %s; Dash's full "
                    "bundle is used (rerun scripts/fetch_plotly_bundle.py)", have, want)
        return False
    return True
