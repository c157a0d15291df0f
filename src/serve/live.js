// scholarsite serve: live reload. Injected by the dev server only, never into `build` output.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script && script.getAttribute("data-version");
  var source = new EventSource("/__scholarsite/events");
  var overlay = null;

  // On (re)connecting, the server says which version of the site is current: a page served
  // before a rebuild that happened while it was loading reloads at once.
  source.addEventListener("version", function (e) {
    if (version !== null && e.data !== version) {
      location.reload();
    }
  });

  function here() {
    return location.pathname.replace(/index\.html$/, "");
  }

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "scholarsite-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,24,.92);color:#ffd9d4;padding:2rem;font:14px/1.5 ui-monospace,monospace;";
      var title = document.createElement("p");
      title.style.cssText = "font:600 16px system-ui,sans-serif;color:#fff;margin:0 0 1rem";
      title.textContent = "Build failed — showing the last good version underneath. Save a fix to continue.";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }

  source.addEventListener("reload", function (e) {
    var paths = e.data.split("\n");
    if (overlay || paths.indexOf("*") >= 0 || paths.indexOf(here()) >= 0 ||
        paths.some(function (p) { return !/\.html$|\/$/.test(p) && !/\.(bib|ris|json|xml|txt)$/.test(p); })) {
      location.reload();
    }
  });

  source.addEventListener("css", function (e) {
    var changed = e.data.split("\n");
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      if (changed.indexOf(url.pathname) >= 0) {
        url.searchParams.set("v", Date.now());
        link.href = url.toString();
      }
    });
  });

  source.addEventListener("build-error", function (e) {
    showError(e.data);
  });
})();
