/* kdsite presenter mode: one figure at a time, full screen, for class.
 * A classic script (not a module, no fetch), so it works from file:// under the page's policy.
 *
 * index.html?present#ADDRESS opens it at the step whose address is ADDRESS, a settings link
 * (SECTION?ID=VALUE&…) or a figure's id, the format site.js reads and writes; the "Presenter mode"
 * button opens it at the figure in view. The steps are content/scenes.yaml's scenes, else every
 * figure, listed by the build in #presenter-steps. Arrow keys, Page Up/Down (what a clicker sends)
 * and Space step; Escape leaves. Each step rewrites the address (history.replaceState, no history
 * entries), so a reload stays on it. A scene sets its figure's controls (site.js, kdsite.show), the
 * others at their defaults; a figure step keeps the values the reader left.
 *
 * The page shows only the step's section title, its key insight and the figure: classes
 * present-path (the figure's ancestors), present-keep (the title and the insight) and
 * present-figure, styled in presenter.css. Each chart of the figure is zoomed so that its smallest
 * text is at least MIN_TEXT_PX on screen, checked again whenever a chart redraws. This script runs before site.js,
 * so the first view site.js draws is the step's. */
(function () {
  "use strict";

  var MIN_TEXT_PX = 20;
  var root = document.documentElement;
  var steps = [];
  var current = -1;
  var marked = [];
  var bar = null;
  var toggle = null;
  var observer = null;

  function presenting() {
    return root.classList.contains("presenting");
  }

  function requested() {
    return location.search.slice(1).split("&").some(function (pair) { return pair.split("=")[0] === "present"; });
  }

  function decoded(text) {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text;  /* any address must leave the page working, as in site.js */
    }
  }

  function panelOf(step) {
    return document.getElementById(step.panel);
  }

  /* The step an address shows: the one with exactly this address, else the first step on the figure
     whose controls the address sets, or that it names or lies in, or in the section it names; -1 if none. */
  function stepFor(hash) {
    var raw = hash.replace(/^#/, "");
    var index;
    for (index = 0; index < steps.length; index += 1) {
      if (steps[index].address === raw) {
        return index;
      }
    }
    var cut = raw.indexOf("?");
    var names = [];
    (cut < 0 ? "" : raw.slice(cut + 1)).split("&").forEach(function (pair) {
      var eq = pair.indexOf("=");
      if (eq > 0) {
        names.push(decoded(pair.slice(0, eq)));
      }
    });
    names.push(decoded(cut < 0 ? raw : raw.slice(0, cut)));
    for (var n = 0; n < names.length; n += 1) {
      var node = names[n] ? document.getElementById(names[n]) : null;
      for (index = 0; node && index < steps.length; index += 1) {
        var panel = panelOf(steps[index]);
        if (panel.contains(node) || node.contains(panel)) {
          return index;
        }
      }
    }
    return -1;
  }

  /* The step whose figure is nearest the top of the view, among those not above it. */
  function stepInView() {
    var best = 0;
    var bestTop = Infinity;
    steps.forEach(function (step, index) {
      var box = panelOf(step).getBoundingClientRect();
      if (box.bottom > 0 && box.height > 0 && Math.abs(box.top) < bestTop) {
        best = index;
        bestTop = Math.abs(box.top);
      }
    });
    return best;
  }

  /* ---------- layout ---------- */

  function mark(node, name) {
    node.classList.add(name);
    marked.push([node, name]);
  }

  function unmark() {
    marked.forEach(function (pair) { pair[0].classList.remove(pair[1]); });
    marked = [];
  }

  function layOut(step) {
    unmark();
    var panel = panelOf(step);
    mark(panel, "present-figure");
    for (var node = panel.parentElement; node && node.tagName !== "MAIN"; node = node.parentElement) {
      mark(node, "present-path");
      if (node.tagName === "DETAILS") {
        node.open = true;  /* a figure folded in a "Go deeper" block */
      }
      if (node.tagName === "SECTION") {
        Array.prototype.forEach.call(node.children, function (child) {
          if (child.tagName === "H2" || child.matches(".admonition.insight")) {
            mark(child, "present-keep");
          }
        });
      }
    }
  }

  function showStep(index) {
    var step = steps[index];
    bar.querySelector(".presenter-count").textContent = (index + 1) + " / " + steps.length;
    bar.querySelector(".presenter-title").textContent = step.title || "";
    var caption = bar.querySelector(".presenter-caption");
    caption.textContent = step.caption || "";
    caption.hidden = !step.caption;
    bar.querySelectorAll(".presenter-qr").forEach(function (code) {
      code.hidden = code.id !== "presenter-qr-" + index;
    });
  }

  /* Each chart of the figure zoomed so that its smallest text is at least MIN_TEXT_PX, then redrawn to
     fit its container (site.js, kdsite.fit): a zoomed container is narrower in the chart's own
     pixels, so the chart keeps the screen's width and its text grows. */
  function scaleCharts() {
    if (!presenting() || current < 0) {
      return;
    }
    var panel = panelOf(steps[current]);
    var changed = false;
    panel.querySelectorAll("[data-chart]").forEach(function (chart) {
      var smallest = Infinity;
      chart.querySelectorAll("svg text").forEach(function (text) {
        var size = parseFloat(window.getComputedStyle(text).fontSize);
        if (size > 0 && text.textContent.trim()) {
          smallest = Math.min(smallest, size);
        }
      });
      var factor = smallest === Infinity ? 1 : Math.max(1, Math.ceil(MIN_TEXT_PX / smallest * 100) / 100);
      if (smallest !== Infinity && Number(chart.style.zoom || 1) !== factor) {
        chart.style.zoom = String(factor);
        changed = true;
      }
    });
    if (changed && window.kdsite) {
      window.kdsite.fit(panel);
    }
  }

  function unscale(panel) {
    panel.querySelectorAll("[data-chart]").forEach(function (chart) {
      chart.style.zoom = "";
    });
  }

  /* A chart redrawn (first drawn, moved by a control, rethemed) is scaled again. */
  function watchCharts() {
    if (observer || !window.MutationObserver) {
      return;
    }
    observer = new MutationObserver(scaleCharts);
    observer.observe(document.querySelector("main"), {
      subtree: true, attributes: true, attributeFilter: ["data-rendered", "data-rendered-value", "data-theme"]
    });
  }

  /* ---------- stepping ---------- */

  function writeAddress(address) {
    try {
      history.replaceState(null, "", "?present#" + address);
    } catch (error) {
      /* Some browsers refuse replaceState on file:// pages; presenter mode still works, unlinked. */
    }
  }

  function go(index) {
    index = Math.max(0, Math.min(steps.length - 1, index));
    var step = steps[index];
    var before = current >= 0 ? panelOf(steps[current]) : null;
    var address = step.address;
    if (before && before !== panelOf(step)) {
      unscale(before);
      if (window.kdsite) {
        window.kdsite.fit(before);
      }
    }
    current = index;
    layOut(step);
    showStep(index);
    if (window.kdsite) {
      if (step.scene) {
        window.kdsite.show(panelOf(step), step.address);
      } else {
        address = window.kdsite.viewLink(panelOf(step)).replace(/^[^#]*#/, "");
      }
    }
    writeAddress(address);
    window.scrollTo(0, 0);
    if (window.kdsite) {
      window.kdsite.fit(panelOf(step));  /* drawn in the reading layout, it is wider here */
    }
    scaleCharts();
    if (!bar.contains(document.activeElement) && !panelOf(step).contains(document.activeElement)) {
      bar.querySelector(".presenter-next").focus();  /* focus was in the figure just hidden */
    }
  }

  function enter(index) {
    root.classList.add("presenting");
    bar.hidden = false;
    watchCharts();
    go(index);
  }

  function leave() {
    var panel = panelOf(steps[current]);
    unscale(panel);
    unmark();
    root.classList.remove("presenting");
    bar.hidden = true;
    if (window.kdsite) {
      window.kdsite.fit(panel);
    }
    try {
      history.replaceState(null, "", location.pathname + location.hash);
    } catch (error) {
      /* unlinked, as above */
    }
    panel.scrollIntoView({ behavior: "instant", block: "start" });
    /* Focus stays with the figure the reader leaves at (where the keyboard goes on from), not on
       the toggle at the top of the page: focusing that scrolled the page back to the top. */
    if (!panel.contains(document.activeElement)) {
      panel.setAttribute("tabindex", "-1");
      panel.focus({ preventScroll: true });
    }
  }

  function onKey(event) {
    if (!presenting() || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target.closest ? event.target : document.body;
    var field = target.closest("input, select, textarea, [contenteditable]");  /* keys that move a control */
    var pressable = target.closest("button, a, summary");  /* Space presses these */
    var delta = 0;
    if (event.key === "PageDown") {
      delta = 1;  /* a clicker's keys step even from a slider the instructor last touched */
    } else if (event.key === "PageUp") {
      delta = -1;
    } else if (event.key === "Escape") {
      if (!document.querySelector(":popover-open") && !target.closest("select")) {
        event.preventDefault();
        leave();
      }
      return;
    } else if (!field) {
      if (event.key === "ArrowRight" || event.key === "ArrowDown") {
        delta = 1;
      } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
        delta = -1;
      } else if (event.key === " " && !pressable) {
        delta = event.shiftKey ? -1 : 1;
      }
    }
    if (delta) {
      event.preventDefault();
      go(current + delta);
    }
  }

  function start() {
    bar = document.getElementById("presenter");
    toggle = document.querySelector(".present-toggle");
    var list = document.getElementById("presenter-steps");
    steps = list ? JSON.parse(list.textContent).filter(function (step) { return document.getElementById(step.panel); }) : [];
    if (!bar || !toggle || !steps.length) {
      if (toggle) {
        toggle.hidden = true;
      }
      return;
    }
    toggle.addEventListener("click", function () { enter(stepInView()); });
    bar.querySelector(".presenter-previous").addEventListener("click", function () { go(current - 1); });
    bar.querySelector(".presenter-next").addEventListener("click", function () { go(current + 1); });
    bar.querySelector(".presenter-leave").addEventListener("click", leave);
    document.addEventListener("keydown", onKey);
    window.addEventListener("hashchange", function () {
      if (presenting()) {
        var index = stepFor(location.hash);
        if (index >= 0 && index !== current) {
          current = index;
          layOut(steps[index]);
          showStep(index);
          scaleCharts();
        }
      }
    });
    if (!requested()) {
      return;
    }
    /* Before site.js reads the address: an address with no step of its own opens the first step,
       whose settings site.js then applies. */
    current = stepFor(location.hash);
    if (current < 0) {
      current = 0;
      writeAddress(steps[0].address);
    }
    if ("scrollRestoration" in history) {
      history.scrollRestoration = "manual";
    }
    root.classList.add("presenting");
    bar.hidden = false;
    layOut(steps[current]);
    showStep(current);
    watchCharts();
    window.scrollTo(0, 0);
    /* Once site.js has started, the step's charts drawn now: after every deferred script
       (DOMContentLoaded), or where the scripts are inline (the single file) and this runs during
       DOMContentLoaded itself, at load. Fitting twice is harmless. */
    function fitStep() {
      if (window.kdsite && presenting()) {
        window.kdsite.fit(panelOf(steps[current]));
      }
    }
    document.addEventListener("DOMContentLoaded", fitStep);
    window.addEventListener("load", fitStep);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
