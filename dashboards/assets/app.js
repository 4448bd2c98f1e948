/*
 * Clientside callbacks of the dashboard. They live in this file rather than inline in the
 * page so the Content-Security-Policy can forbid inline scripts (dashboards/security.py).
 */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  digi: {
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
