// ParPlan's few behaviours, wired by data-attributes (the Content-Security-Policy allows no inline script).
//   data-submit-on-change        a <select> that sends its form when changed
//   data-check-all="SELECTOR"    a checkbox that checks or clears the boxes SELECTOR finds in its form
//   data-print                   a button that opens the print dialog
//   data-status-url              a report being built: polls the URL, then reloads to show the downloads
//   .table-wrap                  a table wider than the screen: its scrolling box takes the keyboard focus
"use strict";

// A table that scrolls sideways must be reachable by keyboard (WCAG 2.1.1; axe "scrollable-region-focusable"):
// its box becomes a named region in the tab order, but only while it overflows, so narrow tables add no stop.
function tableWrapsFocusable() {
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      const caption = wrap.querySelector("caption");
      let heading = wrap.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
      const name = (caption || heading || document.querySelector("h1") || {}).textContent;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (name) wrap.setAttribute("aria-label", name.trim());
      wrap.dataset.scrollFocus = "";
    } else if (!scrolls && "scrollFocus" in wrap.dataset) {
      ["tabindex", "role", "aria-label", "data-scroll-focus"].forEach(function (a) { wrap.removeAttribute(a); });
    }
  });
}

document.addEventListener("DOMContentLoaded", function () {
  tableWrapsFocusable();
  window.addEventListener("resize", tableWrapsFocusable);

  document.querySelectorAll("[data-submit-on-change]").forEach(function (field) {
    field.addEventListener("change", function () { field.form.submit(); });
  });

  document.querySelectorAll("[data-check-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      const scope = box.form || document;
      scope.querySelectorAll(box.dataset.checkAll).forEach(function (other) { other.checked = box.checked; });
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("[data-status-url]").forEach(function (box) {
    if (box.dataset.state === "done" || box.dataset.state === "failed") return;
    const progress = box.querySelector("progress");
    const timer = setInterval(async function () {
      const response = await fetch(box.dataset.statusUrl, {credentials: "same-origin"});
      if (!response.ok) return;
      const status = await response.json();
      if (progress) progress.value = status.progress;
      const rows = box.querySelector("[data-rows-checked]");
      if (rows && status.rows_checked) rows.textContent = status.rows_checked.toLocaleString(document.documentElement.lang);
      if (status.state === "done" || status.state === "failed") { clearInterval(timer); location.reload(); }
    }, 1000);
  });
});
