/* kdsite page script: wires native controls to Vega views, readouts, data tables and the URL.
 * It does no science: every value it shows is looked up in tables the build precomputed.
 * A classic script (not a module), so the page also works opened from file://.
 *
 * Figures. An element with data-figure="NAME" and data-table="ID of a JSON table" groups controls,
 * readouts and charts. The table holds columns of equal length; its "keys" name the columns that
 * select a row. Each control has data-key="COLUMN": its value selects rows (when COLUMN is a key)
 * and sets the Vega signal of that name on every chart listed in data-charts whose
 * data-signals include it. Elements with data-field="COLUMN" show that column of the selected row.
 * Elements marked data-live are read out to screen readers once the control settles.
 *
 * URL. index.html#SECTION?ID=VALUE&ID=VALUE restores controls by element id and scrolls to the
 * figure that owns them (the section when they belong to none in it); changing a control rewrites
 * the hash with history.replaceState (no history entries). A slider that moves along a grid by
 * position (data-url-field="temperature") writes and reads that column (T) instead of the position;
 * a T between grid points lands on the nearest one.
 * Unknown ids and values that no control can take are ignored. */
(function () {
  "use strict";

  var views = {};
  var updates = {};  /* chart id -> how many control updates it has been given */
  var figures = [];
  var charts = null;
  var ANNOUNCE_DELAY_MS = 700;
  var URL_DELAY_MS = 250;       /* the URL is rewritten once a control settles, not on every step */
  var IDLE_TIMEOUT_MS = 1000;   /* off-screen charts render when idle, or after this long at the latest */
  var PREFETCH_MARGIN = "100% 0px";  /* a chart within one screen of the viewport renders next */

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  /* ---------- charts ---------- */

  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function darkMode() {
    return Boolean(darkQuery && darkQuery.matches);
  }

  function themeName() {  /* as a drawn chart's data-theme records it */
    return darkMode() ? "dark" : "light";
  }

  /* A classic script added to the page, once: `<script src>` works from file://, where fetch()
     of the page's own files does not. */
  var scripts = {};  /* source -> promise that it has run */

  function loadScript(source, what) {
    /* A link's section: the early loader at the top of the page wrote it into the page as a
       deferred script (kdsite/page/early_loader.py), which ran, or failed to load, before this one. */
    var early = window.kdsiteEarly || {};
    if (!scripts[source] && Object.prototype.hasOwnProperty.call(early, source)) {
      scripts[source] = early[source] ? Promise.resolve() : Promise.reject(new Error(what + " did not load: " + source));
    }
    if (!scripts[source]) {
      scripts[source] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = source;
        script.onload = function () { resolve(); };
        script.onerror = function () { reject(new Error(what + " did not load: " + source)); };
        document.head.appendChild(script);
      });
    }
    return scripts[source];
  }

  /* A chart's compiled spec is not in the page: its section's charts arrive together in the file
     its data-chart names (kdsite/page/spec_files.py), loaded when the first of them
     is about to be drawn; it registers each spec as JSON text in window.kdsiteSpecs. The single
     file carries them all inline (its data-chart attributes are empty), so nothing is loaded there. */
  function registeredSpec(element) {
    return (window.kdsiteSpecs || {})[element.id];
  }

  function specLoaded(element) {
    var source = element.getAttribute("data-chart");
    if (registeredSpec(element) !== undefined || !source) {
      return Promise.resolve();  /* chartSpec says so if none is registered */
    }
    return loadScript(source, "the chart's spec");
  }

  /* A chart's Vega spec, parsed afresh from its text, with its dark-mode patch applied in dark mode:
     a list of [path, value] pairs computed at build time (kdsite/page/compiled_charts.py), the one
     way charts follow the theme. */
  function chartSpec(element, dark) {
    var text = registeredSpec(element);
    if (typeof text !== "string") {
      throw new Error("no spec registered for chart " + element.id + " by '" + element.getAttribute("data-chart") + "'");
    }
    var compiled = JSON.parse(text);
    var spec = compiled.vega;
    if (dark) {
      compiled.dark.forEach(function (pair) {
        var path = pair[0];
        var node = spec;
        for (var i = 0; i < path.length - 1; i += 1) {
          node = node[path[i]];
        }
        node[path[path.length - 1]] = pair[1];
      });
    }
    return spec;
  }

  /* The Vega runtime is most of the page's bytes and of its script, and a reader who arrives above
     the charts does not need it yet: it is fetched when the first chart is about to be drawn, from
     the file <html data-runtime> names (the single-file page carries it inline, so window.vega is
     already there). If it cannot load, every chart shows its static copy. */
  function vegaRuntime() {
    var source = document.documentElement.getAttribute("data-runtime");
    return window.vega || !source ? Promise.resolve() : loadScript(source, "the chart runtime");
  }

  /* A link into a section that shows a chart (one not in a closed block) is about to draw it: the
     runtime and the section's spec file start loading before the page's first layout, the largest
     piece of the page's own work, and load while it runs (measured: the first view of #labels and
     #hardware came 40-120 ms sooner). Whether the chart lands in view is known only after that
     layout; if it does not, the runtime is loaded before idle time would have loaded it. A failed
     load is reported when a chart is drawn, not here. */
  function loadAhead(section) {
    var target = section && typeof section === "string" ? document.getElementById(section) : null;
    var home = target ? target.closest("section[id]") || target : null;
    var shown = home ? Array.prototype.filter.call(home.querySelectorAll("[data-chart]"), function (chart) {
      return !chart.closest("details:not([open])");
    }) : [];
    if (shown.length) {
      Promise.all([vegaRuntime(), specLoaded(shown[0])]).catch(function () { return null; });
    }
  }

  /* A chart that cannot be drawn shows the static SVG the build made of it (the same markup the
     page holds for readers without JavaScript) and says so; the other charts are unaffected. */
  var staticCopies = {};  /* chart id -> its <noscript> markup, kept before Vega empties the chart */

  function keepStaticCopies() {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var fallback = element.querySelector("noscript");
      staticCopies[element.id] = fallback ? fallback.textContent : "";
    });
  }

  function showStaticCopy(element, error) {
    var copy = document.createElement("div");
    copy.className = "chart-fallback";
    copy.innerHTML = staticCopies[element.id] || "";
    var note = document.createElement("p");
    note.className = "figure-note chart-fallback-note";
    note.textContent = "This chart could not be drawn in your browser; it shows a static copy at its " +
      "first setting, and its controls do not change it.";
    element.replaceChildren(copy, note);
    element.setAttribute("data-rendered", "fallback");
    if (window.console) {
      console.warn("kdsite: chart " + element.id + " shows its static copy:", error);
    }
  }

  /* A chart's data table arrives inside a <noscript> (its static rows, for readers without
     JavaScript), so the page does not hold thousands of cells no one has opened: the table is built
     from that markup when its block first opens, then follows the drawn chart's marks. A chart not
     drawn yet, or showing its static copy, keeps the static rows. */
  function unpackTable(details) {
    var fallback = details.querySelector("noscript");
    if (!fallback) {
      return null;
    }
    var holder = document.createElement("div");
    holder.innerHTML = fallback.textContent;
    var table = holder.querySelector("table");
    if (table) {
      details.appendChild(table);
    }
    return table;
  }

  function watchTables() {
    document.querySelectorAll("details.data-table").forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (!details.open) {
          return;
        }
        var table = details.querySelector("table[data-table-for]") || unpackTable(details);
        var chart = table && document.getElementById(table.getAttribute("data-table-for"));
        if (chart && chart.getAttribute("data-rendered") === "true") {
          refreshTable(chart);
        }
      });
    });
  }

  /* At least a pixel of it in the viewport (a section ending 0.4 px into it is not). */
  function inViewport(box) {
    return box.bottom >= 1 && box.top <= window.innerHeight - 1 && box.height > 0;
  }

  /* Just after the next frame has been painted (a hidden page paints none: it waits). */
  function afterPaint(callback) {
    window.requestAnimationFrame(function () { setTimeout(callback, 0); });
  }

  function whenIdle(callback) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(callback, { timeout: IDLE_TIMEOUT_MS });
    } else {
      setTimeout(callback, IDLE_TIMEOUT_MS / 20);
    }
  }

  /* Charts render lazily. The first view comes first: every chart in the viewport that a reader
     can see is embedded at once, in one go, as soon as the page has scrolled to where the reader
     arrives (then it is ready to read: data-first-view-ready); a chart in a closed block is not
     shown, though Chromium gives it a box where it would be, so it waits like any other. Then charts render one at a time, so the page stays
     responsive: those the reader scrolls towards or whose controls they touch (in the viewport
     first; scrolled away from before their turn, they wait again), then the rest when
     the browser is idle (data-charts-ready once all are). An IntersectionObserver tells which are
     near view without forcing a layout of the whole page. A chart inside a closed <details> (a
     "Go deeper" block) has no width to draw at: it waits until the block opens, and
     data-charts-ready counts only the charts a reader can see. views[id] is a promise of the chart's
     Vega view from the start, so controls can be wired before their charts exist. Each spec starts
     from its controls' current values (which the URL may have set), so no chart runs twice. */
  function embedCharts(paramValues, events) {
    keepStaticCopies();
    var waiting = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
    var resolvers = {};
    waiting.forEach(function (element) {
      views[element.id] = new Promise(function (resolve) { resolvers[element.id] = resolve; });
    });
    var background = false;  /* the first view is done: near, used and idle charts may render */
    var urgent = [];
    var running = false;
    var idleRequested = false;
    var observer = null;
    var tooltips = null;

    var announcedAll = false;
    function allDrawn() {  /* once: a chart drawn later, when its block opens, does not rescroll */
      if (!announcedAll) {
        announcedAll = true;
        events.all();
      }
    }

    function folded(element) {
      return Boolean(element.closest("details:not([open])"));
    }

    /* Shown to the reader now: in no closed block (Chromium still gives such a chart a box) and
       not hidden (printing hides a chart not drawn, for its static copy). */
    function shown(element) {
      return !folded(element) && element.getClientRects().length > 0;
    }

    function unfolded() {
      return waiting.filter(function (element) { return !folded(element); });
    }

    function draw(element, dark) {
      var values = paramValues(element);
      /* The spec is already Vega (compiled at build time), so Vega alone draws it. ast + the
         expression interpreter: no code is generated from strings, so the page's
         Content-Security-Policy needs no 'unsafe-eval'. No view.hover(): the charts have no hover
         encodings. Tooltips are vega-tooltip's, one handler for the page. The runtime and the
         chart's spec file have loaded (embed waits for both; a chart redrawn was drawn before). */
      return new Promise(function (resolve) {  /* a spec missing or Vega cannot parse rejects, not throws */
        var spec = chartSpec(element, dark);
        (spec.signals || []).forEach(function (signal) {
          if (values.hasOwnProperty(signal.name)) {
            signal.value = values[signal.name];
          }
        });
        var view = new window.vega.View(window.vega.parse(spec, null, { ast: true }), {
          container: element,
          renderer: "svg",
          expr: window.vegaExpressionInterpreter,
          tooltip: tooltipHandler().call
        });
        resolve(view.runAsync());
      });
    }

    /* Vega names its container after the spec's description when it draws: the text for the
       setting shown goes back (describeSetting). */
    function redescribe(element) {
      if (describedAs.hasOwnProperty(element.id)) {
        element.setAttribute("aria-label", describedAs[element.id]);
      }
    }

    /* Without its own stylesheet, which it would put at the top of the head when made: a new
       stylesheet restyles the whole page, and cost a link's first view that restyle. Its style is
       in style.css. */
    function tooltipHandler() {
      if (!tooltips) {
        tooltips = new window.vegaTooltipHandler({ disableDefaultStyle: true });
      }
      return tooltips;
    }

    function embed(element) {
      function failed(error) {
        showStaticCopy(element, error);
        resolvers[element.id](null);
        events.settle();
      }
      return Promise.all([vegaRuntime(), specLoaded(element)]).then(function () {
        /* Not shown now: its block closed while the files loaded (printing opens and closes every
           block), or the page is being printed (a chart not drawn prints its static copy). Drawn
           now, it would have no width, and keep none: it waits to be shown again. */
        if (!shown(element)) {
          putBack(element);
          return null;
        }
        return draw(element, darkMode()).then(function (view) {
          redescribe(element);
          element.setAttribute("data-rendered", "true");
          element.setAttribute("data-theme", themeName());
          refreshTable(element);
          resolvers[element.id](view);
          events.settle();
        }, failed);
      }, failed);
    }

    /* A chart taken off the waiting list but not drawn goes back in page order, to be drawn when
       its block opens again or it comes near view. */
    function putBack(element) {
      var index = 0;
      while (index < waiting.length
             && (waiting[index].compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING)) {
        index += 1;
      }
      waiting.splice(index, 0, element);
      if (observer) {
        observer.observe(element);
      }
    }

    /* The reader's system switched between light and dark: redraw every drawn chart in the new
       theme, keeping its controls' values. One hidden in a closed block would be redrawn with no
       width: it is redrawn when its block opens (staleTheme). */
    function retheme() {
      document.querySelectorAll('[data-chart][data-rendered="true"]').forEach(function (element) {
        if (shown(element)) {
          redraw(element);
        }
      });
    }

    function staleTheme(element) {
      return element.getAttribute("data-theme") !== themeName();
    }

    function redraw(element) {
      var previous = views[element.id];
      views[element.id] = previous.then(function (view) {
        if (view) {
          view.finalize();
        }
        return draw(element, darkMode()).then(function (redrawn) {
          redescribe(element);
          element.setAttribute("data-theme", themeName());
          refreshTable(element);
          return redrawn;
        }, function (error) {
          showStaticCopy(element, error);
          return null;
        });
      });
    }
    if (darkQuery) {
      if (darkQuery.addEventListener) {
        darkQuery.addEventListener("change", retheme);
      } else if (darkQuery.addListener) {
        darkQuery.addListener(retheme);
      }
    }

    /* Takes the charts off the waiting list and embeds them; a failure is reported and the other
       charts still render. */
    function render(elements) {
      return Promise.all(elements.map(function (element) {
        waiting.splice(waiting.indexOf(element), 1);
        if (observer) {
          observer.unobserve(element);
        }
        return embed(element);
      })).then(function () {
        if (!waiting.length && observer) {
          observer.disconnect();
        }
        if (!unfolded().length) {
          allDrawn();
        }
      });
    }

    function promote(element) {
      if (waiting.indexOf(element) >= 0 && urgent.indexOf(element) < 0) {
        urgent.push(element);
        schedule();
      }
    }

    /* Scrolled past before its turn (a smooth scroll to a far section passes every chart between):
       it waits for idle time, or for the reader to come near it again, instead of delaying the
       charts where the reader stops. */
    function demote(element) {
      var index = urgent.indexOf(element);
      if (index >= 0) {
        urgent.splice(index, 1);
      }
    }

    /* The next urgent chart: one in the viewport first (a block opened above the reader's view
       promotes its charts in page order), else the one promoted first. */
    function nextUrgent() {
      for (var index = 0; index < urgent.length; index += 1) {
        if (inViewport(urgent[index].getBoundingClientRect())) {
          return urgent.splice(index, 1)[0];
        }
      }
      return urgent.shift();
    }

    /* After the first view, one chart at a time: an urgent one on the next task, otherwise the
       next in page order when the browser is idle. A chart promoted while waiting for idle time
       does not wait for it. */
    function schedule() {
      if (running || !background || !unfolded().length) {
        return;
      }
      if (urgent.length) {
        running = true;
        setTimeout(step, 0);
      } else if (!idleRequested) {
        idleRequested = true;
        whenIdle(function () {
          idleRequested = false;
          if (!running && unfolded().length) {
            running = true;
            step();
          }
        });
      }
    }

    function step() {
      urgent = urgent.filter(function (element) { return waiting.indexOf(element) >= 0 && !folded(element); });
      var element = urgent.length ? nextUrgent() : unfolded()[0];
      if (!element) {  /* the block holding it closed again before its turn */
        running = false;
        return;
      }
      render([element]).then(function () {
        running = false;
        schedule();
      });
    }

    /* The charts in view, found from the layout the scroll to the reader's section has just made.
       Rendering them may move the layout (a section above takes its real height), so once they are
       drawn the page settles its scroll and looks again. A folded chart is skipped: a link to
       #hardware found one "in view" in the closed block above it and spent 130-250 ms of its first
       view (desktop, measured in the page) drawing a chart no one sees. */
    function firstView() {
      if (guessedInView() && framesWaited < 3) {
        framesWaited += 1;
        afterPaint(firstView);
        return;
      }
      events.settle();
      var inView = waiting.filter(function (element) {
        return !folded(element) && seen(element);
      });
      if (inView.length) {
        render(inView).then(firstView);
        return;
      }
      events.firstView();
      background = true;
      afterPaint(layOutAll);
      whenIdle(loadWaitingSpecs);
      schedule();
    }

    /* A section in view whose size is still guessed (style.css): the browser lays it out in its
       next frame, and until then where its charts are is not known (asked, they lay out past its
       guessed end). It is in view at a link with settings, or under the contents bar of a narrow
       screen. */
    var framesWaited = 0;
    function guessedInView() {
      return Array.prototype.some.call(document.querySelectorAll("main > section"), function (section) {
        var heading = section.firstElementChild;
        return heading && heading.checkVisibility && !heading.checkVisibility({ contentVisibilityAuto: true })
          && inViewport(section.getBoundingClientRect());
      });
    }

    /* Whether a chart is in the viewport, asked from the outside in: its section, then the chart.
       Until the first view is painted, the sections the reader cannot see are not laid out
       (style.css), and asking where anything inside one is would lay it out; a section out of view
       answers for everything it holds. */
    function seen(element) {
      var section = element.closest("main > section");
      return (!section || inViewport(section.getBoundingClientRect()))
        && inViewport(element.getBoundingClientRect());
    }

    /* Once the first view has been painted: the whole page laid out (the sections' guessed sizes
       give way to their own), with the element a link named kept in place (keepPlace). Until then,
       text out of view has no layout: its innerText is empty, though find-in-page and assistive
       technology reach it. */
    function layOutAll() {
      document.documentElement.setAttribute("data-laid-out", "");
      events.settle();
    }

    /* Once idle, the spec files of every chart still waiting outside closed blocks are asked for at
       once: the charts then draw one at a time without each section's file costing a round trip of
       its own (on a phone's slow network, 0.5 s apiece). A failed load is reported when its chart is
       drawn. */
    function loadWaitingSpecs() {
      unfolded().forEach(function (element) {
        specLoaded(element).catch(function () { return null; });
      });
    }

    if (window.IntersectionObserver) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            promote(entry.target);
          } else {
            demote(entry.target);
          }
        });
      }, { rootMargin: PREFETCH_MARGIN });
      waiting.forEach(function (element) { observer.observe(element); });
    }
    /* A block that opens shows its charts: they render next. (toggle does not bubble.) */
    document.addEventListener("toggle", function (event) {
      if (event.target.open && event.target.querySelectorAll) {
        event.target.querySelectorAll("[data-chart]").forEach(promote);
        event.target.querySelectorAll('[data-chart][data-rendered="true"]').forEach(function (element) {
          if (staleTheme(element) && shown(element)) {
            redraw(element);
          }
        });
      }
    }, true);
    if (!unfolded().length) {
      allDrawn();
    }
    /* Not drawn yet: its drawing will start from its controls' values as they are then. */
    function pending(element) {
      return waiting.indexOf(element) >= 0;
    }

    return { promote: promote, begin: firstView, pending: pending };
  }

  /* The data-table alternative lists the marks' ARIA labels ("Key: value; Key: value"), the same
     rule the build uses for the static table, so it always shows what the chart shows. */
  function refreshTable(chart) {
    /* Vega labels a mark container that a filter left empty as a graphic without a name;
       it shows nothing, so hide it from assistive technology. */
    chart.querySelectorAll('[role="graphics-symbol"]:not([aria-label])').forEach(function (node) {
      if (!node.childElementCount) {
        node.setAttribute("aria-hidden", "true");
      }
    });
    var table = document.querySelector('table[data-table-for="' + chart.id + '"]');
    /* A closed table is refreshed when it is opened, not on every change of a control. */
    if (!table || !table.closest("details").open) {
      return;
    }
    var rows = [];
    var seen = {};
    var columns = [];
    chart.querySelectorAll('[role="graphics-symbol"][aria-label]').forEach(function (mark) {
      var role = mark.getAttribute("aria-roledescription") || "";
      if (role === "text mark" || role === "axis" || role === "legend" || role.indexOf("line") >= 0) {
        return;
      }
      var label = mark.getAttribute("aria-label");
      var row = {};
      var parts = label.split("; ");
      for (var i = 0; i < parts.length; i += 1) {
        var cut = parts[i].indexOf(": ");
        if (cut < 0) {
          return;
        }
        var key = parts[i].slice(0, cut);
        row[key] = parts[i].slice(cut + 2);
        if (columns.indexOf(key) < 0) {
          columns.push(key);
        }
      }
      if (!seen[label]) {
        seen[label] = true;
        rows.push(row);
      }
    });
    var head = document.createElement("tr");
    columns.forEach(function (column) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = column;
      head.appendChild(th);
    });
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      columns.forEach(function (column) {
        var td = document.createElement("td");
        td.textContent = row[column] || "";
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.tHead.replaceChildren(head);
    table.replaceChild(body, table.tBodies[0]);
  }

  /* ---------- controls ---------- */

  function controlValue(control) {
    if (control.type === "range") {
      return Number(control.value);
    }
    if (control.type === "checkbox") {
      return control.checked;
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
      var match = table.keys.every(function (key) {
        return !values.hasOwnProperty(key) || table[key][row] === values[key];
      });
      if (match) {
        return row;
      }
    }
    return -1;
  }

  function wireFigure(element) {
    var table = readJson(element.getAttribute("data-table"));
    var chartIds = (element.getAttribute("data-charts") || "").split(" ").filter(Boolean);
    var controls = Array.prototype.slice.call(element.querySelectorAll("[data-key]"));
    var live = element.querySelector("[data-announcer]");
    var announceTimer = null;

    function announce() {
      if (!live) {
        return;
      }
      clearTimeout(announceTimer);
      announceTimer = setTimeout(function () {
        var parts = [];
        element.querySelectorAll("[data-live]").forEach(function (node) {
          parts.push(node.innerText.replace(/\s+/g, " ").trim());
        });
        live.textContent = parts.join(". ");
      }, ANNOUNCE_DELAY_MS);
    }

    function currentValues() {
      var values = {};
      controls.forEach(function (control) { values[control.getAttribute("data-key")] = controlValue(control); });
      return values;
    }

    function update(changed) {
      var values = currentValues();
      var row = findRow(table, values);
      if (row >= 0) {
        element.querySelectorAll("[data-field]").forEach(function (out) {
          out.textContent = table[out.getAttribute("data-field")][row];
        });
        controls.forEach(function (control) {
          var field = control.getAttribute("data-valuetext");
          if (field) {
            control.setAttribute("aria-valuetext", table[field][row]);
          }
        });
      }
      var state = controls.map(function (c) { return String(values[c.getAttribute("data-key")]); }).join("|");
      chartIds.forEach(function (id) {
        var chart = document.getElementById(id);
        var driven = (chart.getAttribute("data-signals") || "").split(" ");
        var moved = controls.some(function (control) {
          return driven.indexOf(control.getAttribute("data-key")) >= 0 && !isDefault(control);
        });
        markPrintCopy(chart, moved);
        describeSetting(chart, controls, moved);
        var signals = (chart.getAttribute("data-signals") || "").split(" ").filter(function (name) {
          return values.hasOwnProperty(name) && (!changed || changed.getAttribute("data-key") === name);
        });
        chart.removeAttribute("data-rendered-value");
        var turn = (updates[id] || 0) + 1;
        updates[id] = turn;
        /* A chart not drawn yet will be drawn from these values or later ones (draw reads the
           controls then): setting them again would only run its new view a second time, on the
           first view's path, before the page says it is ready. */
        var drawnLater = Boolean(charts && charts.pending(chart));
        if (changed && charts) {
          charts.promote(chart);  /* the reader is using it: render it now if it is not yet */
        }
        views[id].then(function (view) {
          if (!view || !signals.length || drawnLater) {
            return null;  /* a static copy, a chart that does not depend on the control that moved,
                             or one drawn from the values it shows */
          }
          signals.forEach(function (name) { view.signal(name, values[name]); });
          return view.runAsync();
        }).then(function () {
          /* Updates that redraw finish after those that do not (a chart drawn late, when its
             block opens, settles every update at once): only the latest one labels the chart. */
          if (updates[id] === turn) {
            refreshTable(chart);
            chart.setAttribute("data-rendered-value", state);
          }
        });
      });
      if (changed) {
        announce();
      }
    }

    controls.forEach(function (control) {
      var event = control.tagName === "FIELDSET" || control.type === "checkbox" ? "change" : "input";
      control.addEventListener(event, function () {
        update(control);
        writeUrlSoon(control);
      });
    });
    return { element: element, controls: controls, update: update, table: table, chartIds: chartIds,
             values: currentValues };
  }

  /* ---------- URL state ---------- */

  function isDefault(control) {
    if (control.type === "range") {
      return Number(control.value) === Number(control.defaultValue);
    }
    if (control.type === "checkbox") {
      return control.checked === control.defaultChecked;
    }
    if (control.tagName === "SELECT") {
      var initial = Array.prototype.filter.call(control.options, function (o) { return o.defaultSelected; })[0];
      return control.value === (initial ? initial.value : control.options[0].value);
    }
    if (control.tagName === "FIELDSET") {
      return Array.prototype.every.call(control.querySelectorAll("input"), function (input) {
        return input.checked === input.defaultChecked;
      });
    }
    return true;
  }

  function sectionOf(node) {
    var section = node.closest("section[id]");
    return section ? section.id : "";
  }

  /* What the URL says for a control: its value, or for a slider that moves along a grid by position
     (data-url-field) that column of the position's row, so a link reads T = 2.5, not a position. */
  function urlValue(control, figure) {
    var value = controlValue(control);
    var field = control.getAttribute("data-url-field");
    if (!field) {
      return value;
    }
    var row = figure.table[control.getAttribute("data-key")].indexOf(value);
    return row >= 0 ? figure.table[field][row] : value;
  }

  /* "id=value" for each of these figures' controls that is not at its default. */
  function settings(someFigures) {
    var params = [];
    someFigures.forEach(function (figure) {
      figure.controls.forEach(function (control) {
        if (!isDefault(control)) {
          params.push(encodeURIComponent(control.id) + "=" + encodeURIComponent(String(urlValue(control, figure))));
        }
      });
    });
    return params;
  }

  function writeUrl(changed) {
    var params = settings(figures);
    var hash = "#" + sectionOf(changed) + (params.length ? "?" + params.join("&") : "");
    try {
      history.replaceState(null, "", hash);
    } catch (error) {
      /* Some browsers refuse replaceState on file:// pages; the page still works, unlinked. */
    }
  }

  var urlTimer = null;

  function writeUrlSoon(changed) {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(function () { writeUrl(changed); }, URL_DELAY_MS);
  }

  /* The grid position whose `field` value is nearest `number`, for numbers within the grid's range
     (a link written before the grid changed lands on the nearest point); else null. */
  function nearestPosition(table, key, field, number) {
    var values = table[field];
    var low = Math.min.apply(null, values);
    var high = Math.max.apply(null, values);
    if (number < low || number > high) {
      return null;
    }
    var best = 0;
    for (var row = 1; row < values.length; row += 1) {
      if (Math.abs(values[row] - number) < Math.abs(values[best] - number)) {
        best = row;
      }
    }
    return table[key][best];
  }

  function acceptable(control, figure, text) {
    var key = control.getAttribute("data-key");
    if (control.type === "range") {
      var number = Number(text);
      if (text === "" || isNaN(number)) {
        return null;
      }
      if (control.hasAttribute("data-url-field")) {
        return nearestPosition(figure.table, key, control.getAttribute("data-url-field"), number);
      }
      if (figure.table.keys.indexOf(key) >= 0) {
        return figure.table[key].indexOf(number) >= 0 ? number : null;
      }
      return number >= Number(control.min) && number <= Number(control.max) ? number : null;
    }
    if (control.type === "checkbox") {
      return text === "true" ? true : text === "false" ? false : null;
    }
    var options = control.tagName === "FIELDSET" ? control.querySelectorAll("input") : control.options;
    return Array.prototype.some.call(options, function (o) { return o.value === text; }) ? text : null;
  }

  function setControl(control, value) {
    if (control.type === "checkbox") {
      control.checked = value;
    } else if (control.tagName === "FIELDSET") {
      control.querySelectorAll("input").forEach(function (input) { input.checked = input.value === value; });
    } else {
      control.value = String(value);
    }
  }

  /* Any address must leave the page working: text that is not valid percent-encoding (a stray
     "%") is taken as it stands. */
  function decoded(text) {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text;
    }
  }

  /* The address of one figure as it is now: its section and its own settings, which lead back to
     the figure (readUrl), or the figure's own id when it is at its defaults. */
  function viewLink(element) {
    var params = settings(figures.filter(function (figure) { return figure.element === element; }));
    var target = params.length ? sectionOf(element) + "?" + params.join("&") : element.id;
    return location.href.replace(/#.*$/, "") + "#" + target;
  }

  /* Sets the controls the address (location.hash unless given) names and returns the id to scroll
     to: the first figure (in page order, inside the addressed section) whose controls the address
     sets, else the section. */
  function readUrl(address) {
    var raw = (address === undefined ? location.hash : address).replace(/^#/, "");
    var cut = raw.indexOf("?");
    var section = decoded(cut < 0 ? raw : raw.slice(0, cut));
    var addressed = section ? document.getElementById(section) : null;
    var owner = null;
    var settings = {};
    (cut < 0 ? "" : raw.slice(cut + 1)).split("&").forEach(function (pair) {
      var eq = pair.indexOf("=");
      if (eq > 0) {
        settings[decoded(pair.slice(0, eq))] = decoded(pair.slice(eq + 1));
      }
    });
    figures.forEach(function (figure) {
      figure.controls.forEach(function (control) {
        if (settings.hasOwnProperty(control.id)) {
          var value = acceptable(control, figure, settings[control.id]);
          if (value !== null) {
            setControl(control, value);
            if (!owner && figure.element.id && (!addressed || addressed.contains(figure.element))) {
              owner = figure.element;
            }
          }
        }
      });
    });
    return owner ? owner.id : section;
  }

  /* A "Go deeper" block (details.deeper) opens when the address points inside it, and for print,
     as does each self-check question (a printed question shows its choices, their verdicts stay closed). */
  function reveal(target) {
    for (var node = target.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") {
        node.open = true;
      }
    }
  }

  /* ---------- print ---------- */

  /* Printed, a chart that has not been drawn (never scrolled near, or in a fold never opened) shows
     its static copy instead (CSS: .print-copy): Vega needs the chart's width and draws
     asynchronously, after the browser has laid out the printout, so "beforeprint" is too late to
     draw it. A copy that is an image file is put beside its chart once the first view has been
     painted (before, the 24 insertions delayed it; "beforeprint" adds any still missing), as a lazy
     image, which costs nothing until the browser fetches it to print; once every chart is drawn,
     the copies of those still waiting (in closed folds) are fetched, so they are ready for any
     browser's printout. The single file's copies are inline SVG, added only on "beforeprint" so the
     page's DOM stays small. A copy shows the figure's starting settings: a note after it says so
     when a control that drives its chart is off its default. */
  var settingsChanged = {};  /* chart id -> a control driving it is off its default */

  function sibling(chart, className) {
    for (var node = chart.nextElementSibling; node; node = node.nextElementSibling) {
      if (node.classList.contains(className)) {
        return node;
      }
    }
    return null;
  }

  function printCopy(chart) {
    if (sibling(chart, "print-copy")) {
      return;
    }
    var parsed = document.createElement("template");  /* inert: the image does not load here */
    parsed.innerHTML = staticCopies[chart.id] || "";
    var copy = parsed.content.firstElementChild;
    if (copy) {
      if (copy.tagName === "IMG") {
        copy.loading = "lazy";
      }
      copy.classList.add("print-copy");
      chart.insertAdjacentElement("afterend", copy);
      markPrintCopy(chart, settingsChanged[chart.id]);
    }
  }

  function markPrintCopy(chart, changed) {
    settingsChanged[chart.id] = changed;
    var copy = sibling(chart, "print-copy");
    var note = sibling(chart, "print-copy-note");
    if (copy && changed && !note) {
      note = document.createElement("p");
      note.className = "figure-note print-copy-note";
      note.textContent = "Printed at the figure's starting settings, not the ones you chose: this chart had " +
        "not been drawn on screen yet.";
      copy.insertAdjacentElement("afterend", note);
    }
    if (note) {
      note.hidden = !changed;
    }
  }

  function addImagePrintCopies() {
    document.querySelectorAll("[data-chart]").forEach(function (chart) {
      if (/^\s*<img\b/i.test(staticCopies[chart.id] || "")) {
        printCopy(chart);
      }
    });
  }

  function fetchWaitingPrintCopies() {
    document.querySelectorAll("[data-chart]:not([data-rendered]) + img.print-copy").forEach(function (image) {
      image.loading = "eager";
    });
  }

  /* A figure's controls in words: "Input image: Plane photo · T = 2.5"; `named` false leaves out
     the labels ("Plane photo · T = 2.5"), for a chart's own name, which must not repeat a control's
     label (a search by that label would find the chart too). */
  function settingsText(controls, named) {
    return Array.prototype.map.call(controls, function (control) {
      var label = document.querySelector('label[for="' + control.id + '"]');
      var name = label ? label.textContent.trim() : control.name;
      if (control.tagName === "SELECT") {
        var text = control.options[control.selectedIndex].text;
        return named === false ? text : name + ": " + text;
      }
      return control.getAttribute("aria-valuetext") || (named === false ? "" : name + ": ") + control.value;
    }).join(" \u00b7 ");
  }

  /* A chart's text alternative (its aria-label and hidden caption) is written for the figure's
     starting setting, with its numbers ("… for the cat photo: cat 6.8, …"). At another setting it
     says so and names the setting shown, so a screen reader never describes a chart that is not
     on the screen; the data table lists the values shown. */
  var startingAlt = {};
  var describedAs = {};  /* chart id -> its text now; Vega sets a view's description on its
                            container when it draws, so a chart drawn later gets this one back */

  function describeSetting(chart, controls, changed) {
    if (!startingAlt.hasOwnProperty(chart.id)) {
      startingAlt[chart.id] = chart.getAttribute("aria-label") || "";
    }
    var text = startingAlt[chart.id];
    if (changed) {
      text += " (That describes the starting setting. Shown now: " + settingsText(controls, false) +
        "; the data table lists the values shown.)";
    }
    describedAs[chart.id] = text;
    chart.setAttribute("aria-label", text);
    var caption = chart.parentElement && chart.parentElement.querySelector("figcaption");
    if (caption) {
      caption.textContent = text;
    }
  }

  /* The printout has no controls, so each figure with any says in words what its charts show:
     "Shown at: Input image: Plane photo · T = 2.5", after its first row of controls. */
  function printSettings() {
    document.querySelectorAll("[data-figure]").forEach(function (figure) {
      var controls = figure.querySelectorAll("[data-key]");
      if (!controls.length) {
        return;
      }
      var line = figure.querySelector(".print-settings");
      if (!line) {
        line = document.createElement("p");
        line.className = "print-settings";
        var row = controls[0];
        while (row.parentElement !== figure) {
          row = row.parentElement;
        }
        row.insertAdjacentElement("afterend", line);
      }
      line.textContent = "Shown at: " + settingsText(controls);
    });
  }

  /* Every "Go deeper" block opens for print (and closes again after), every chart not drawn has
     its static copy, and every figure's settings are written out. */
  function prepareForPrint() {
    var closed = [];
    window.addEventListener("beforeprint", function () {
      var folds = document.querySelectorAll("details.deeper, details.self-check-fold");
      closed = Array.prototype.filter.call(folds, function (d) { return !d.open; });
      closed.forEach(function (d) { d.open = true; });
      document.querySelectorAll("[data-chart]:not([data-rendered])").forEach(printCopy);
      printSettings();
    });
    window.addEventListener("afterprint", function () {
      closed.forEach(function (d) { d.open = false; });
      closed = [];
    });
  }

  /* Presenter mode (presenter.js, class "presenting") keeps its step at the top of the view itself. */
  function scrollToSection(section) {
    var target = section && typeof section === "string" ? document.getElementById(section) : null;
    if (target && !document.documentElement.classList.contains("presenting")) {
      reveal(target);
      target.scrollIntoView({ behavior: "instant", block: "start" });
    }
  }

  function restoreDefault(control) {
    if (control.tagName === "SELECT") {
      var initial = Array.prototype.filter.call(control.options, function (o) { return o.defaultSelected; })[0];
      control.value = initial ? initial.value : control.options[0].value;
    } else if (control.type === "checkbox") {
      control.checked = control.defaultChecked;
    } else if (control.tagName === "FIELDSET") {
      control.querySelectorAll("input").forEach(function (input) { input.checked = input.defaultChecked; });
    } else {
      control.value = control.defaultValue;
    }
  }

  /* Presenter mode's scenes: the controls of the figures inside `element` at their defaults, then
     those the address (SECTION?ID=VALUE&…) sets, and those figures' readouts and charts updated. */
  function show(element, address) {
    var shown = figures.filter(function (figure) { return element.contains(figure.element); });
    shown.forEach(function (figure) { figure.controls.forEach(restoreDefault); });
    readUrl(address);
    shown.forEach(function (figure) { figure.update(null); });
  }

  /* ---------- start ---------- */

  /* The values a chart's spec should start from: its figure's controls, for the signals it uses. */
  function paramValues(chart) {
    var names = (chart.getAttribute("data-signals") || "").split(" ");
    var values = {};
    figures.forEach(function (figure) {
      if (figure.chartIds.indexOf(chart.id) >= 0) {
        var current = figure.values();
        names.forEach(function (name) {
          if (current.hasOwnProperty(name)) {
            values[name] = current[name];
          }
        });
      }
    });
    return values;
  }

  function start() {
    document.querySelectorAll("[data-figure]").forEach(function (element) {
      figures.push(wireFigure(element));
    });
    var section = readUrl();
    loadAhead(section);
    watchTables();
    /* Where a link arrives stays where the scroll put it while the page settles around it: charts
       above it drawn at their own heights, the whole page laid out after the first view. The
       browser's scroll anchoring did not always keep it: at a link to a section below many charts,
       its heading slid 255 px down within a second (measured). It is let go once anything else has
       scrolled the page: the reader, another link, a script, assistive technology moving focus. */
    var pinned = null;
    var pinnedTop = 0;
    var pinnedY = 0;
    function keepPlace() {
      if (!pinned || document.documentElement.classList.contains("presenting")) {
        return;
      }
      var moved = pinned.getBoundingClientRect().top - pinnedTop;
      if (Math.abs(moved) < 1) {
        pinnedY = window.scrollY;  /* the browser's scroll anchoring kept it */
      } else if (window.scrollY !== pinnedY) {
        pinned = null;  /* scrolled away */
      } else {
        window.scrollBy({ left: 0, top: moved, behavior: "instant" });
        pinnedY = window.scrollY;
      }
    }
    charts = embedCharts(paramValues, {
      settle: keepPlace,
      firstView: function () {
        document.documentElement.setAttribute("data-first-view-ready", "true");
        afterPaint(addImagePrintCopies);
      },
      all: function () {
        document.documentElement.setAttribute("data-charts-ready", "true");
        fetchWaitingPrintCopies();
      }
    });
    /* Readouts now, before the layout is read; each chart is marked with the values it shows once
       it has rendered. */
    figures.forEach(function (figure) { figure.update(null); });
    scrollToSection(section);
    pinned = typeof section === "string" ? document.getElementById(section) : null;
    pinnedTop = pinned ? pinned.getBoundingClientRect().top : 0;
    pinnedY = window.scrollY;
    charts.begin();
    prepareForPrint();
    window.addEventListener("hashchange", function () {
      if (location.hash.indexOf("?") >= 0) {
        var target = readUrl();
        figures.forEach(function (figure) { figure.update(null); });
        scrollToSection(target);
      } else {
        scrollToSection(decoded(location.hash.replace(/^#/, "")));
      }
    });
  }

  /* The charts inside `element` drawn now if they are not yet, and those drawn redrawn at their
     containers' widths, as a window resize does for every chart (presenter mode shows one figure,
     whose charts may lie beyond the screen the lazy rendering looks ahead, zoomed and wider). */
  function fit(element) {
    element.querySelectorAll("[data-chart]").forEach(function (chart) {
      if (charts && !chart.hasAttribute("data-rendered")) {
        charts.promote(chart);
      }
    });
    element.querySelectorAll('[data-chart][data-rendered="true"]').forEach(function (chart) {
      views[chart.id].then(function (view) {
        if (view && chart.clientWidth) {
          view.signal("width", chart.clientWidth);
          return view.runAsync();
        }
        return null;
      });
    });
  }

  window.kdsite = { views: views, viewLink: viewLink, show: show, fit: fit };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
