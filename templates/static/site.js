/* kdsite page script: wires native controls to Vega views and readouts.
 * It does no science: every value it shows is looked up in tables the build precomputed.
 * A classic script (not a module), so the page also works opened from file://. */
(function () {
  "use strict";

  var views = {};

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function embedCharts() {
    var charts = document.querySelectorAll("[data-chart]");
    var pending = [];
    charts.forEach(function (element) {
      var spec = readJson(element.getAttribute("data-chart"));
      var embedded = window.vegaEmbed(element, spec, { renderer: "svg", actions: false })
        .then(function (result) {
          element.setAttribute("data-rendered", "true");
          return result.view;
        });
      views[element.id] = embedded;
      pending.push(embedded);
    });
    return Promise.all(pending);
  }

  /* A control selects one row of its table: the row whose key column equals the control's value. */
  function wireControl(input) {
    var table = readJson(input.getAttribute("data-table"));
    var key = input.getAttribute("data-control");
    var signal = input.getAttribute("data-signal");
    var chartIds = (input.getAttribute("data-charts") || "").split(" ").filter(Boolean);
    var numeric = input.type === "range";

    function update() {
      var value = numeric ? Number(input.value) : input.value;
      var row = table[key].indexOf(value);
      if (row < 0) {
        return;
      }
      document.querySelectorAll('[data-readout="' + input.id + '"]').forEach(function (out) {
        out.textContent = table[out.getAttribute("data-field")][row];
      });
      if (table[key + "_label"]) {
        input.setAttribute("aria-valuetext", "T = " + table[key + "_label"][row]);
      }
      chartIds.forEach(function (id) {
        var element = document.getElementById(id);
        element.removeAttribute("data-rendered-value");
        views[id].then(function (view) {
          return view.signal(signal, value).runAsync();
        }).then(function () {
          element.setAttribute("data-rendered-value", String(value));
        });
      });
    }

    input.addEventListener("input", update);
    return update;
  }

  function start() {
    document.documentElement.className = document.documentElement.className.replace("no-js", "js");
    var updates = [];
    document.querySelectorAll("[data-control]").forEach(function (input) {
      updates.push(wireControl(input));
    });
    embedCharts().then(function () {
      updates.forEach(function (update) { update(); });
      document.documentElement.setAttribute("data-charts-ready", "true");
    });
  }

  window.kdsite = { views: views };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
