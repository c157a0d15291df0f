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

  // Search and filters. On a page that holds the whole list (data-scope absent), they hide the
  // papers that do not match; on a page that shows part of a long list (a year of it, or the
  // newest papers: data-scope="site"), they search every paper of the site and show the matches
  // in place of the page's list. Text search uses the index written at build time (titles,
  // authors, abstracts), fetched on first use.
  function filters(form) {
    var section = form.parentNode;
    var wholeSite = form.getAttribute("data-scope") === "site";
    var items = Array.prototype.slice.call(section.querySelectorAll("li.paper"));
    var groups = section.querySelectorAll(".year-group");
    var body = section.querySelector(".listing-body");
    var status = form.querySelector(".filter-status");
    var empty = section.querySelector(".no-results");
    var q = form.elements.q, category = form.elements.category, year = form.elements.year;
    var index = null, loading = null, LIMIT = 100;
    var results = null;
    if (wholeSite) {
      results = document.createElement("ol");
      results.className = "pubs search-results";
      results.hidden = true;
      section.insertBefore(results, form.nextSibling);
    }

    function load() {
      if (!loading) {
        loading = fetch(form.getAttribute("data-index"))
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (data) {
            index = {};
            (data.papers || []).forEach(function (p) {
              p.hay = fold([p.title, p.authors, p.abstract].join(" "));
              index[p.path] = p;
            });
          })
          .catch(function () { index = null; });
      }
      return loading;
    }

    function text(li) {
      var link = li.querySelector(".paper-title");
      var path = link ? link.getAttribute("href") : "";
      if (index && index[path] !== undefined) return index[path].hay;
      // Without the index (e.g. opened from disk): the visible title and authors.
      return fold(li.querySelector(".paper-title").textContent + " " + li.querySelector(".authors").textContent);
    }

    // One search result, made from the index entry (title, authors, year and areas as text).
    function result(p) {
      var li = document.createElement("li");
      li.className = "paper";
      var main = document.createElement("div");
      main.className = "paper-main";
      var link = document.createElement("a");
      link.className = "paper-title";
      link.href = p.path;
      link.textContent = p.title;
      var authors = document.createElement("p");
      authors.className = "authors";
      authors.textContent = p.authors;
      var meta = document.createElement("p");
      meta.className = "venue";
      meta.textContent = [p.year || "Undated"].concat(p.categories || []).join(" · ");
      main.appendChild(link);
      main.appendChild(authors);
      main.appendChild(meta);
      li.appendChild(main);
      return li;
    }

    function keepInAddress(cat, yr) {
      var params = new URLSearchParams(location.search);
      [["q", q.value.trim()], ["category", cat], ["year", yr]].forEach(function (kv) {
        if (kv[1]) params.set(kv[0], kv[1]); else params.delete(kv[0]);
      });
      var qs = params.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
    }

    function matches(words, cat, yr, hay, cats, y) {
      return (!cat || (" " + cats).indexOf(" " + cat + " ") !== -1) && (!yr || y === yr) &&
        words.every(function (w) { return hay().indexOf(w) !== -1; });
    }

    function apply() {
      var words = fold(q.value).split(/\s+/).filter(Boolean);
      var cat = category.value, yr = year.value;
      var filtered = words.length || cat || yr;
      keepInAddress(cat, yr);
      if (wholeSite) {
        var found = [];
        if (filtered && index) {
          Object.keys(index).forEach(function (path) {
            var p = index[path];
            if (matches(words, cat, yr, function () { return p.hay; }, (p.categories || []).join(" ") + " ", String(p.year || ""))) found.push(p);
          });
        }
        var searching = filtered && !index;
        results.textContent = "";
        found.slice(0, LIMIT).forEach(function (p) { results.appendChild(result(p)); });
        results.hidden = !filtered || !found.length;
        if (body) body.hidden = filtered && !searching;
        status.textContent = !filtered ? "" : searching ? "Searching all papers…" :
          found.length > LIMIT ? "Showing the first " + LIMIT + " of " + found.length + " matching papers" :
          found.length + " matching paper" + (found.length === 1 ? "" : "s");
        if (empty) empty.hidden = !filtered || searching || found.length > 0;
        return;
      }
      var shown = 0;
      items.forEach(function (li) {
        var ok = matches(words, cat, yr, function () { return text(li); }, li.getAttribute("data-cats"), li.getAttribute("data-year"));
        li.hidden = !ok;
        if (ok) shown++;
      });
      groups.forEach(function (g) {
        var n = g.querySelectorAll("li.paper:not([hidden])").length;
        var count = g.querySelector(".year-count");
        g.hidden = n === 0;
        if (count) count.textContent = n + (n === 1 ? " paper" : " papers");
      });
      status.textContent = filtered ? "Showing " + shown + " of " + items.length + " papers" : "";
      if (empty) empty.hidden = shown > 0;
    }

    function run() {
      var needIndex = wholeSite ? (q.value.trim() || category.value || year.value) : q.value.trim();
      if (needIndex && !index) load().then(apply);
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
