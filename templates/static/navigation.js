/* kdsite navigation: tells the reader where they are and lets them point others there.
 * A classic script (not a module, no fetch), so it works from file:// under the page's policy.
 * Without it the contents are plain links, "#" links still link, and citations jump to the list.
 *
 * - Contents: an IntersectionObserver marks the section crossing a line near the top of the view
 *   (aria-current on its contents link, its title and "n / N" in the bar, a progress bar); no
 *   scroll handler. On narrow screens the "Contents" button folds the list out of the bar.
 * - "Copy link to this view" puts the figure's address with its settings (site.js, viewLink) on
 *   the clipboard, or shows it selected in a read-only field where the clipboard is refused.
 * - A citation opens its reference in a popover (closed by Escape, a tap outside or "Back to the
 *   text", which returns focus to the citation); without the Popover API it stays a plain link. */
(function () {
  "use strict";

  var CURRENT_LINE = "-30% 0px -69% 0px";  /* a band 30 % down the view: the section crossing it is current */
  var status = null;

  function announce(message) {
    status.textContent = "";
    setTimeout(function () { status.textContent = message; }, 50);  /* a repeat is read out again */
  }

  /* ---------- contents ---------- */

  function watchSections(nav) {
    var sections = Array.prototype.slice.call(document.querySelectorAll("main > section[id]"));
    var links = sections.map(function (section) {
      return nav.querySelector('.toc a[href="#' + section.id + '"]');
    });
    var crossing = sections.map(function () { return false; });
    var where = nav.querySelector(".toc-where");
    var count = nav.querySelector(".toc-count");
    var fill = nav.querySelector(".toc-progress-fill");

    function show() {
      var current = crossing.indexOf(true);
      links.forEach(function (link, index) {
        if (index === current) {
          link.setAttribute("aria-current", "true");
        } else {
          link.removeAttribute("aria-current");
        }
      });
      where.textContent = current >= 0 ? links[current].textContent : "";
      count.textContent = (current + 1) + " / " + sections.length;
      fill.style.transform = "scaleX(" + (current + 1) / sections.length + ")";
    }

    show();
    if (!window.IntersectionObserver) {
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        crossing[sections.indexOf(entry.target)] = entry.isIntersecting;
      });
      show();
    }, { rootMargin: CURRENT_LINE });
    sections.forEach(function (section) { observer.observe(section); });
  }

  function wireToggle(nav) {
    var toggle = nav.querySelector(".toc-toggle");

    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("toc-open", open);
    }

    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("click", function (event) {
      if (event.target.closest(".toc a")) {
        setOpen(false);
      }
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!nav.contains(event.target)) {
        setOpen(false);
      }
    });
  }

  /* ---------- copy link to this view ---------- */

  function showInField(button, address) {
    var field = button.parentNode.querySelector(".copy-fallback");
    if (!field) {
      field = document.createElement("input");
      field.type = "text";
      field.readOnly = true;
      field.className = "copy-fallback";
      field.setAttribute("aria-label", "Link to this view");
      button.parentNode.appendChild(field);
    }
    field.value = address;
    field.focus();
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");  /* still the one way to copy from file:// in some browsers */
    } catch (error) {
      copied = false;
    }
    announce(copied ? "Link copied" : "Link selected: press Ctrl+C or Command+C to copy it");
  }

  function wireCopyButtons() {
    document.querySelectorAll(".copy-link").forEach(function (button) {
      button.addEventListener("click", function () {
        var address = window.kdsite.viewLink(button.closest(".figure-panel"));
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(address).then(function () {
            announce("Link copied");
          }, function () {
            showInField(button, address);
          });
        } else {
          showInField(button, address);
        }
      });
    });
  }

  /* ---------- citations ---------- */

  function wireCitations() {
    if (!HTMLElement.prototype.hasOwnProperty("popover")) {
      return;  /* no Popover API: citations stay links to the reference list */
    }
    var popover = document.createElement("div");
    popover.id = "cite-popover";
    popover.className = "cite-popover";
    popover.setAttribute("popover", "auto");
    popover.setAttribute("role", "dialog");
    var text = document.createElement("div");
    text.className = "cite-popover-text";
    var actions = document.createElement("p");
    actions.className = "cite-popover-actions";
    var back = document.createElement("button");
    back.type = "button";
    back.className = "cite-popover-back";
    back.textContent = "Back to the text";
    var more = document.createElement("a");
    more.textContent = "In the reference list";
    actions.append(back, more);
    popover.append(text, actions);
    document.body.appendChild(popover);
    var opener = null;

    back.addEventListener("click", function () { popover.hidePopover(); });
    more.addEventListener("click", function () { opener = null; popover.hidePopover(); });
    popover.addEventListener("toggle", function (event) {
      if (event.newState === "closed" && opener && !popover.matches(":popover-open")) {
        opener.focus();
        opener = null;
      }
    });

    function place(link) {
      var box = link.getBoundingClientRect();
      var width = popover.offsetWidth;
      var height = popover.offsetHeight;
      var below = box.bottom + 6 + height <= window.innerHeight;
      popover.style.left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8)) + "px";
      popover.style.top = Math.max(8, below ? box.bottom + 6 : box.top - height - 6) + "px";
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("main a.cite") : null;
      var reference = link ? document.getElementById(link.hash.slice(1)) : null;
      if (!reference) {
        return;
      }
      event.preventDefault();
      text.replaceChildren.apply(text, Array.prototype.map.call(reference.childNodes, function (node) {
        return node.cloneNode(true);
      }));
      text.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
      more.href = link.hash;
      popover.setAttribute("aria-label", "Reference " + link.textContent);
      if (popover.matches(":popover-open")) {
        popover.hidePopover();
      }
      opener = link;
      popover.showPopover();
      place(link);
      back.focus();
    });
  }

  function start() {
    status = document.getElementById("nav-status");
    var nav = document.querySelector(".toc-nav");
    if (nav) {
      watchSections(nav);
      wireToggle(nav);
    }
    wireCopyButtons();
    wireCitations();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
