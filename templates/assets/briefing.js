// Sortable index tables: select a column heading to sort by it (again to reverse).
// Plain script, no framework; works with and without instant navigation.
(function () {
  function cellValue(row, index) {
    var text = row.cells[index] ? row.cells[index].textContent.trim() : "";
    var number = parseFloat(text.replace(/,/g, ""));
    return isNaN(number) || !/^[\d.,\s-]+$/.test(text) ? text.toLowerCase() : number;
  }
  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var descending = header.getAttribute("aria-sort") === "ascending";
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  function init() {
    if (!document.querySelector(".briefing-index")) return;
    document.querySelectorAll("article table").forEach(function (table) {
      if (!table.tHead || !table.tBodies.length) return;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
        header.classList.add("briefing-sortable");
        header.setAttribute("role", "button");
        header.tabIndex = 0;
        header.addEventListener("click", function () { sortBy(table, index, header); });
        header.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, index, header); }
        });
      });
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();

// Full-text search of the articles (the articles index page): Pagefind's own UI, loaded from the
// index `briefing build` writes into pagefind/ at the site root. It downloads only the chunks of
// the index a query needs. Without that folder (`briefing serve`) the page's note stays.
(function () {
  var loading = null;
  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { /* no theme config */ }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }
  function load(url, tag) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      if (tag === "link") { node.rel = "stylesheet"; node.href = url; } else { node.src = url; }
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }
  // The index is in shards (generator/search.py): the first is the bundle itself, the others
  // are listed in its shards.json and merged into the same search.
  function shards(bundle) {
    return fetch(bundle + "shards.json").then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (manifest) { return manifest.bundles || []; });
  }
  function init() {
    var box = document.querySelector(".briefing-fulltext");
    if (!box || box.getAttribute("data-ready")) return;
    var root = siteRoot();
    var bundle = new URL(box.getAttribute("data-bundle") || "pagefind/", root).href;
    loading = loading || Promise.all([load(bundle + "pagefind-ui.css", "link"), load(bundle + "pagefind-ui.js", "script"),
                                      shards(bundle)]);
    loading.then(function (done) {
      box.setAttribute("data-ready", "1");
      box.innerHTML = "";
      var merged = done[2].map(function (path) {
        return { bundlePath: new URL(path, bundle).href, baseUrl: root.pathname };
      });
      new window.PagefindUI({ element: box, bundlePath: bundle, baseUrl: root.pathname, showImages: false,
                              mergeIndex: merged,
                              translations: { placeholder: "Search the full text of every article" } });
    }, function () { loading = null; });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
