/* Coalición: small layout helpers, loaded on every page (no inline script, CSP).
   - Wide tables scroll inside their own region, never the page: each table
     sits in a scrolling box; a box that does scroll is made a labelled region
     that the keyboard can reach (tabindex=0) and scroll with the arrow keys.
   - A form refused with errors shows a summary at its top (templates/_form_fields.html);
     focus moves to it so that the person hears and sees what to correct first. */
(function () {
  "use strict";

  var BOXES = ".table-scroll, .overflow-auto";

  function labelFor(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var node = box.previousElementSibling;
    while (node) {
      if (/^H[1-6]$/.test(node.tagName)) {
        return node.textContent.trim();
      }
      node = node.previousElementSibling;
    }
    var heading = document.querySelector("main h1");
    return heading ? heading.textContent.trim() : document.title;
  }

  function wrapTables(root) {
    // Not the tables of charts: once the chart is drawn they are for
    // screen readers only (css/monitoring-dashboard.css), and narrow.
    root.querySelectorAll("main table:not(.chart-table)").forEach(function (table) {
      if (table.parentElement && table.parentElement.closest(BOXES)) {
        return;
      }
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  function markScrolling() {
    document.querySelectorAll(BOXES).forEach(function (box) {
      var scrolls =
        box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.madeFocusable = "true";
      } else if (!scrolls && box.dataset.madeFocusable) {
        box.removeAttribute("tabindex");
        delete box.dataset.madeFocusable;
      }
      if (box.hasAttribute("tabindex")) {
        if (!box.hasAttribute("role")) {
          box.setAttribute("role", "region");
        }
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", labelFor(box));
        }
      }
    });
  }

  // The server checks every rule of a form at once and lists the problems
  // in a summary (templates/_error_summary.html); the browser's own checks
  // would stop at the first missing field, one round per problem.
  function serverValidation() {
    document.querySelectorAll("form").forEach(function (form) {
      form.noValidate = true;
    });
  }

  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }

  function closeMenuOnEscape(event) {
    if (event.key !== "Escape") {
      return;
    }
    var menu = document.querySelector(".site-menu[open]");
    if (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    }
  }

  var pending = null;
  function onResize() {
    window.clearTimeout(pending);
    pending = window.setTimeout(markScrolling, 150);
  }

  function start() {
    wrapTables(document);
    markScrolling();
    serverValidation();
    focusErrorSummary();
    window.addEventListener("resize", onResize);
    document.addEventListener("keydown", closeMenuOnEscape);
    document.body.addEventListener("htmx:afterSettle", function () {
      wrapTables(document);
      markScrolling();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
