"""HTML elements in Dash's wire format, for the parts of a page with many elements.

Dash sends every component to the browser as ``{"props": {…}, "type": "Div", "namespace":
"dash_html_components"}``, and its renderer builds the React element from exactly that.
Building the ``html.Div`` object first costs about 8 µs an element (Dash checks every
keyword against the component's props) and turning it back into that dict as much again;
a profile page has hundreds of elements around its 18 charts. :func:`element` writes the
dict directly (under 1 µs). (Data tables go further: they travel as their text,
:mod:`dashboards.datatable`.) ``tests/test_dashboard_wire.py`` checks that :func:`element`
writes the JSON Dash itself sends for the same component, for every element and kind of
prop used here, so a Dash release that changes the format fails a test instead of the page.
"""

from __future__ import annotations

from typing import Any

# Dash serves the scripts of every component library that has been imported; the views
# write dbc's components in wire format only, so without this import the browser would
# have no renderer for them (and a page would stay empty).
import dash_bootstrap_components  # noqa: F401

NAMESPACE = "dash_html_components"
CORE_NAMESPACE = "dash_core_components"
BOOTSTRAP_NAMESPACE = "dash_bootstrap_components"


def element(tag: str, children: Any = None, **props: Any) -> dict[str, Any]:
    """``html.<tag>(children, **props)`` as Dash sends it. Props set to None are left out
    (Dash sends them as null, which its renderer treats as not set). Hyphenated
    attributes go in as ``**{"data-area": …}``."""
    out = {key: value for key, value in props.items() if value is not None}
    if children is not None:
        out["children"] = children
    return {"props": out, "type": tag, "namespace": NAMESPACE}


def _component(namespace: str, tag: str, props: dict[str, Any]) -> dict[str, Any]:
    """A component of ``namespace`` without children, props set to None left out."""
    return {"props": {key: value for key, value in props.items() if value is not None},
            "type": tag, "namespace": namespace}


def core(tag: str, **props: Any) -> dict[str, Any]:
    """``dcc.<tag>(**props)`` as Dash sends it (a profile has 18 graphs)."""
    return _component(CORE_NAMESPACE, tag, props)


def bootstrap(tag: str, **props: Any) -> dict[str, Any]:
    """``dbc.<tag>(**props)`` as Dash sends it (the views' selects and weight inputs)."""
    return _component(BOOTSTRAP_NAMESPACE, tag, props)


def prop(node: Any, name: str) -> Any:
    """A prop of a component or of an element in wire format (None when not set)."""
    if isinstance(node, dict):
        return node.get("props", {}).get(name)
    return getattr(node, name, None)
