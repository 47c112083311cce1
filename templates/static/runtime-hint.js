/* A reader who follows a link into the page (index.html#section) lands among charts: start loading
   the Vega runtime now, while the long page is still being parsed, instead of when site.js first
   draws after the parse. A reader at the top of the page loads none of it until a chart is near
   (site.js). The script element is #vega-runtime; <html data-runtime-state> says "loaded" or
   "failed" once it has, and site.js waits on it. The single-file page carries the runtime inline
   and names none: nothing to do. */
(function () {
  "use strict";
  var root = document.documentElement;
  var source = root.getAttribute("data-runtime");
  if (!source || !location.hash || location.hash === "#" || window.vega) {
    return;
  }
  var script = document.createElement("script");
  script.id = "vega-runtime";
  script.src = source;
  script.onload = function () { root.setAttribute("data-runtime-state", "loaded"); };
  script.onerror = function () { root.setAttribute("data-runtime-state", "failed"); };
  document.head.appendChild(script);
}());
