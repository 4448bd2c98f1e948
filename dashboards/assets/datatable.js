/*
 * digi_components.Table: a data table drawn from its text (dashboards/datatable.py).
 *
 * The server sends a table as one component whose props are its caption, heads and rows,
 * instead of one Dash component per cell; this draws the HTML that
 * dashboards.datatable.expanded describes, and a browser test checks the two agree.
 * A cell is text, null (empty), [shown, spoken] (shown on screen, spoken to a screen
 * reader) or {text, note, noteClass} (a value followed by a note in its own span).
 */
(function () {
  "use strict";
  var h = window.React.createElement;

  function content(cell) {
    if (cell === null || cell === undefined || typeof cell === "string") {
      return cell;
    }
    if (Array.isArray(cell)) {
      return [
        h("span", { key: "shown", "aria-hidden": "true" }, cell[0]),
        h("span", { key: "spoken", className: "visually-hidden" }, cell[1]),
      ];
    }
    return [cell.text, h("span", { key: "note", className: cell.noteClass }, cell.note)];
  }

  function bodyRow(props, r) {
    var cells = props.rows[r];
    var classes = props.cellClasses || [];
    var out = [h("th", { key: 0, scope: "row" }, content(cells[0]))];
    for (var i = 1; i < cells.length; i++) {
      out.push(h("td", { key: i, className: classes[i] || undefined }, content(cells[i])));
    }
    var attributes = { key: r, className: props.rowClasses ? props.rowClasses[r] || undefined : undefined };
    var extra = props.rowAttributes || {};
    Object.keys(extra).forEach(function (name) {
      attributes[name] = extra[name][r];
    });
    return h("tr", attributes, out);
  }

  function Table(props) {
    var head = props.head || [];
    var headClasses = props.headClasses || [];
    var rows = props.rows || [];
    var sections = props.sections || [[null, rows.length]];
    var bodies = [];
    var start = 0;
    sections.forEach(function (section, s) {
      var trs = [];
      if (section[0]) {
        trs.push(h("tr", { key: "heading", className: "row--theme" },
          h("th", { colSpan: head.length, scope: "colgroup" }, section[0])));
      }
      for (var r = start; r < start + section[1]; r++) {
        trs.push(bodyRow(props, r));
      }
      start += section[1];
      bodies.push(h("tbody", { key: s }, trs));
    });
    return h("table", { id: props.id, className: props.className },
      h("caption", { id: props.id + "-caption" },
        h("span", { className: "caption-text" }, props.caption)),
      h("thead", null, h("tr", null, head.map(function (text, i) {
        return h("th", { key: i, scope: "col", className: headClasses[i] || undefined }, text);
      }))),
      bodies);
  }

  window.digi_components = Object.assign({}, window.digi_components, { Table: Table });
})();
