// scholarsite default theme: progressive enhancements. Everything works without this script:
// the full publication list, abstracts and BibTeX (in <details>) and every link are in the HTML.
// Loaded in <head> without `defer` so that the colour scheme is set before the first paint;
// the rest waits for the document.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "scholarsite-theme";
  root.classList.add("js");

  // Colour scheme: a choice stored by the toggle wins over the system's, unless the site fixed
  // one (color_scheme = "light" or "dark" in [extra] renders data-theme on <html>).
  var fixed = root.hasAttribute("data-theme");
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  var choice = stored();
  if (!fixed && (choice === "light" || choice === "dark")) root.setAttribute("data-theme", choice);
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function isDark() {
    var t = root.getAttribute("data-theme");
    return t ? t === "dark" : !!(dark && dark.matches);
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  ready(function () {
    var toggle = document.querySelector(".theme-toggle");
    if (toggle && !fixed) {
      var sync = function () { toggle.setAttribute("aria-pressed", isDark() ? "true" : "false"); };
      sync();
      toggle.addEventListener("click", function () {
        var next = isDark() ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: not remembered */ }
        sync();
      });
      if (dark && dark.addEventListener) dark.addEventListener("change", sync);
    }
    copyButtons();
    document.querySelectorAll("form.filters").forEach(filters);
  });

  // Copy buttons: data-copy="ID" copies #ID; data-copy-from="pre" copies the <pre> beside it.
  function copyButtons() {
    document.querySelectorAll("button[data-copy], button[data-copy-from]").forEach(function (button) {
      var label = button.textContent;
      button.addEventListener("click", function () {
        var id = button.getAttribute("data-copy");
        var source = id ? document.getElementById(id)
          : button.parentNode.querySelector(button.getAttribute("data-copy-from"));
        if (!source || !navigator.clipboard) return;
        navigator.clipboard.writeText(source.textContent).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = label; }, 1500);
        }, function () {
          // No clipboard (insecure context, permission): select the text for Ctrl+C.
          var range = document.createRange();
          range.selectNodeContents(source);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
        });
      });
    });
  }

  // Lowercase without accents, for matching "Zoë" with "zoe".
  function fold(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Search and filters over the publication list that follows the form. Text search uses the
  // index written at build time (titles, authors, abstracts), fetched on first use.
  function filters(form) {
    var section = form.parentNode;
    var items = Array.prototype.slice.call(section.querySelectorAll("li.paper"));
    var groups = section.querySelectorAll(".year-group");
    var status = form.querySelector(".filter-status");
    var empty = section.querySelector(".no-results");
    var q = form.elements.q, category = form.elements.category, year = form.elements.year;
    var index = null, loading = null;

    function load() {
      if (!loading) {
        loading = fetch(form.getAttribute("data-index"))
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (data) {
            index = {};
            (data.papers || []).forEach(function (p) {
              index[p.path] = fold([p.title, p.authors, p.abstract].join(" "));
            });
          })
          .catch(function () { index = null; });
      }
      return loading;
    }

    function text(li) {
      var link = li.querySelector(".paper-title");
      var path = link ? link.getAttribute("href") : "";
      if (index && index[path] !== undefined) return index[path];
      // Without the index (e.g. opened from disk): the visible title and authors.
      return fold(li.querySelector(".paper-title").textContent + " " + li.querySelector(".authors").textContent);
    }

    function apply() {
      var words = fold(q.value).split(/\s+/).filter(Boolean);
      var cat = category.value, yr = year.value, shown = 0;
      items.forEach(function (li) {
        var ok = (!cat || (" " + li.getAttribute("data-cats")).indexOf(" " + cat + " ") !== -1) &&
          (!yr || li.getAttribute("data-year") === yr);
        if (ok && words.length) {
          var hay = text(li);
          ok = words.every(function (w) { return hay.indexOf(w) !== -1; });
        }
        li.hidden = !ok;
        if (ok) shown++;
      });
      groups.forEach(function (g) {
        var n = g.querySelectorAll("li.paper:not([hidden])").length;
        var count = g.querySelector(".year-count");
        g.hidden = n === 0;
        if (count) count.textContent = n + (n === 1 ? " paper" : " papers");
      });
      var filtered = words.length || cat || yr;
      status.textContent = filtered ? "Showing " + shown + " of " + items.length + " papers" : "";
      if (empty) empty.hidden = shown > 0;
      var params = new URLSearchParams(location.search);
      [["q", q.value.trim()], ["category", cat], ["year", yr]].forEach(function (kv) {
        if (kv[1]) params.set(kv[0], kv[1]); else params.delete(kv[0]);
      });
      var qs = params.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
    }

    function run() {
      if (q.value.trim() && !index) load().then(apply);
      apply();
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    q.addEventListener("input", run);
    q.addEventListener("focus", load, { once: true });
    category.addEventListener("change", run);
    year.addEventListener("change", run);
    if (empty) {
      empty.querySelector(".reset").addEventListener("click", function () {
        form.reset();
        run();
        q.focus();
      });
    }
    // Filters in the address (?q=…&category=…&year=…) are applied on load, so they can be shared.
    var params = new URLSearchParams(location.search);
    if (params.get("q")) q.value = params.get("q");
    if (params.get("category")) category.value = params.get("category");
    if (params.get("year")) year.value = params.get("year");
    if (q.value || category.value || year.value) run();
  }
})();
