/*
 * Clientside callbacks of the dashboard. They live in this file rather than inline in the
 * page so the Content-Security-Policy can forbid inline scripts (dashboards/security.py).
 */
/*
 * The map outlines, one fetch per file for the life of the page (the file's name changes
 * with its content; the server sends it once and the browser keeps it). A failed fetch is
 * forgotten, so the next map tries again.
 */
var outlineFiles = {};
function outlinesAt(url) {
  if (!outlineFiles[url]) {
    outlineFiles[url] = fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("map outlines: HTTP " + response.status + " for " + url);
        }
        return response.json();
      })
      .catch(function (error) {
        delete outlineFiles[url];
        throw error;
      });
  }
  return outlineFiles[url];
}

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  digi: {
    /*
     * The boundary map: the server sends its figure without the outlines' coordinates and,
     * per trace, the code of the outline to draw (dashboards/mapoutlines.py); the
     * coordinates are put back here. On failure the graph stays empty and the notice
     * under it says that every value is in the table.
     */
    map: function (packed) {
      var noUpdate = window.dash_clientside.no_update;
      if (!packed || !packed.outlines) {
        return [noUpdate, noUpdate, noUpdate];
      }
      return outlinesAt(packed.outlines).then(
        function (shapes) {
          var data = packed.figure.data.map(function (trace, i) {
            var shape = packed.codes[i] ? shapes[packed.codes[i]] : null;
            return shape ? Object.assign({}, trace, { x: shape[0], y: shape[1] }) : trace;
          });
          return [Object.assign({}, packed.figure, { data: data }), "map-frame", true];
        },
        function (error) {
          console.warn(String(error));
          return [noUpdate, "map-frame map-frame--failed", false];
        }
      );
    },
    /* Each view has its own title and the page its language (WCAG 2.4.2, 3.1.1). */
    meta: function (meta) {
      if (meta && meta.title) {
        document.title = meta.title;
      }
      if (meta && meta.lang) {
        document.documentElement.lang = meta.lang;
      }
      return window.dash_clientside.no_update;
    },
    /* The ranking chart as a PNG, named after the chart heading. */
    png: function (n) {
      if (!n || !window.Plotly) {
        return window.dash_clientside.no_update;
      }
      var gd = document.querySelector("#ranking-graph .js-plotly-plot");
      var heading = document.getElementById("chart-heading");
      var name = (heading ? heading.textContent : "kuvio")
        .replace(/[^0-9A-Za-zÅÄÖåäö]+/g, "_")
        .replace(/^_+|_+$/g, "");
      if (gd) {
        window.Plotly.downloadImage(gd, { format: "png", scale: 2, filename: name || "kuvio" });
      }
      return window.dash_clientside.no_update;
    },
    print: function (n) {
      if (n) {
        window.print();
      }
      return window.dash_clientside.no_update;
    },
  },
});
