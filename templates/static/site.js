/* kdsite page script: wires native controls to Vega views and readouts.
 * It does no science: every value it shows is looked up in tables the build precomputed.
 * A classic script (not a module), so the page also works opened from file://.
 *
 * A figure is an element with data-figure="NAME" and data-table="ID of a JSON table". The table
 * holds columns of equal length; "keys" names the columns the figure's controls select on. Each
 * control has data-key="COLUMN": its value selects rows, and it sets the Vega signal of that name
 * on every chart listed in the figure's data-charts. Elements with data-field="COLUMN" inside the
 * figure show that column of the selected row. */
(function () {
  "use strict";

  var views = {};

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function embedCharts() {
    var pending = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
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

  function controlValue(control) {
    if (control.type === "range") {
      return Number(control.value);
    }
    if (control.tagName === "FIELDSET") {
      var checked = control.querySelector("input:checked");
      return checked ? checked.value : null;
    }
    return control.value;
  }

  function findRow(table, values) {
    var count = table[table.keys[0]].length;
    for (var row = 0; row < count; row += 1) {
      var match = table.keys.every(function (key) { return table[key][row] === values[key]; });
      if (match) {
        return row;
      }
    }
    return -1;
  }

  function wireFigure(figure) {
    var table = readJson(figure.getAttribute("data-table"));
    var chartIds = (figure.getAttribute("data-charts") || "").split(" ").filter(Boolean);
    var controls = Array.prototype.slice.call(figure.querySelectorAll("[data-key]"));

    function update(changed) {
      var values = {};
      controls.forEach(function (control) { values[control.getAttribute("data-key")] = controlValue(control); });
      var row = findRow(table, values);
      if (row < 0) {
        return;
      }
      figure.querySelectorAll("[data-field]").forEach(function (out) {
        out.textContent = table[out.getAttribute("data-field")][row];
      });
      controls.forEach(function (control) {
        var field = control.getAttribute("data-valuetext");
        if (field) {
          control.setAttribute("aria-valuetext", table[field][row]);
        }
      });
      var state = controls.map(function (c) { return String(values[c.getAttribute("data-key")]); }).join("|");
      chartIds.forEach(function (id) {
        var element = document.getElementById(id);
        var signals = (element.getAttribute("data-signals") || "").split(" ").filter(function (name) {
          return values.hasOwnProperty(name) && (!changed || changed.getAttribute("data-key") === name);
        });
        element.removeAttribute("data-rendered-value");
        views[id].then(function (view) {
          signals.forEach(function (name) { view.signal(name, values[name]); });
          return view.runAsync();
        }).then(function () {
          element.setAttribute("data-rendered-value", state);
        });
      });
    }

    controls.forEach(function (control) {
      control.addEventListener(control.tagName === "FIELDSET" ? "change" : "input", function () { update(control); });
    });
    return update;
  }

  function start() {
    document.documentElement.className = document.documentElement.className.replace("no-js", "js");
    var updates = [];
    document.querySelectorAll("[data-figure]").forEach(function (figure) {
      updates.push(wireFigure(figure));
    });
    embedCharts().then(function () {
      updates.forEach(function (update) { update(null); });
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
