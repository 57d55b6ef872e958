// Renders the table of report.html from the JSON in #data: search (every word must occur in some
// column), a status filter, sorting by any column, and pages of 100 lines. Values are set with
// textContent only, never as markup. A location hash "#q=words&status=invalid&sort=-value"
// (a field of data.fields, "-" for descending) applies a search and a sort on opening, so either
// can be bookmarked or sent. Timings (ms since navigation start) are
// written to #timings for the tests that measure the page.
(function () {
  "use strict";
  var PAGE = 100;
  var data = JSON.parse(document.getElementById("data").textContent);
  var rows = data.rows;
  var parsed = performance.now();
  var CELL = 0, VALUE = 2, STATUS = 3, ENTITY = 4, RECORD = 5, MESSAGE = 7;
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var hay = null;
  var state = { q: "", status: "", col: -1, dir: 1, page: 0 };
  var shown = [];
  var body = document.getElementById("rows");
  var q = document.getElementById("q");
  var status = document.getElementById("status");
  var heads = document.querySelectorAll("#table th");

  function haystacks() {
    if (!hay) {
      hay = new Array(rows.length);
      for (var i = 0; i < rows.length; i++) hay[i] = rows[i].join("\u0001").toLowerCase();
    }
    return hay;
  }

  function select() {
    var terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var out = [];
    var h = terms.length ? haystacks() : null;
    for (var i = 0; i < rows.length; i++) {
      if (state.status && rows[i][STATUS] !== state.status) continue;
      var ok = true;
      for (var t = 0; t < terms.length && ok; t++) ok = h[i].indexOf(terms[t]) >= 0;
      if (ok) out.push(i);
    }
    if (state.col > 0) {
      var c = state.col, d = state.dir;
      out.sort(function (a, b) {
        var r = collator.compare(key(rows[a], c), key(rows[b], c));
        return r ? r * d : a - b;
      });
    } else if (state.col === 0 && state.dir < 0) {
      out.reverse(); // the cell column sorts in row order, the order the data is in
    }
    return out;
  }

  function key(r, c) { return c === RECORD ? r[ENTITY] + " " + r[RECORD] : r[c]; }

  function td(tr, text, cls) {
    var el = document.createElement("td");
    el.textContent = text;
    if (cls) el.className = cls;
    tr.appendChild(el);
  }

  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE, to = Math.min(shown.length, from + PAGE);
    var frag = document.createDocumentFragment();
    for (var i = from; i < to; i++) {
      var r = rows[shown[i]];
      var tr = document.createElement("tr");
      td(tr, r[CELL], "cell");
      td(tr, r[1]);
      if (r[VALUE] === "") td(tr, "(empty)", "value empty"); else td(tr, r[VALUE], "value");
      td(tr, r[STATUS], "status status-" + r[STATUS]);
      td(tr, (r[ENTITY] + " " + r[RECORD]).trim(), "record");
      td(tr, r[6], "rule");
      td(tr, r[MESSAGE], "message");
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
    var n = shown.length.toLocaleString("en");
    var all = rows.length.toLocaleString("en");
    document.getElementById("shown").textContent = shown.length === 0 ? "No line matches." :
      "Lines " + (from + 1).toLocaleString("en") + "–" + to.toLocaleString("en") + " of " + n +
      (shown.length < rows.length ? " (filtered from " + all + ")" : "");
    document.getElementById("page").textContent = "page " + (state.page + 1) + " of " + pages;
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
    for (var h = 0; h < heads.length; h++) {
      var c = +heads[h].dataset.col;
      heads[h].setAttribute("aria-sort", c !== state.col ? "none" : state.dir > 0 ? "ascending" : "descending");
    }
  }

  function apply() { shown = select(); state.page = 0; render(); }

  function fromHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    state.q = p.get("q") || "";
    state.status = p.get("status") || "";
    var sort = p.get("sort") || "";
    state.dir = sort.charAt(0) === "-" ? -1 : 1;
    state.col = sort ? data.fields.indexOf(sort.replace(/^-/, "")) : -1;
    q.value = state.q;
    status.value = state.status;
    return state.q !== "" || state.status !== "" || state.col >= 0;
  }

  function toHash() {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    if (state.status) p.set("status", state.status);
    if (state.col >= 0) p.set("sort", (state.dir < 0 ? "-" : "") + data.fields[state.col]);
    var s = p.toString();
    history.replaceState(null, "", s ? "#" + s : location.pathname + location.search);
  }

  var timer = 0;
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = q.value; toHash(); apply(); }, 150);
  });
  status.addEventListener("change", function () { state.status = status.value; toHash(); apply(); });
  document.getElementById("prev").addEventListener("click", function () { state.page--; render(); });
  document.getElementById("next").addEventListener("click", function () { state.page++; render(); });
  for (var h = 0; h < heads.length; h++) {
    heads[h].tabIndex = 0;
    heads[h].addEventListener("click", sortBy);
    heads[h].addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy.call(this); } });
  }
  function sortBy() {
    var c = +this.dataset.col;
    state.dir = state.col === c ? -state.dir : 1;
    state.col = c;
    toHash();
    shown = select();
    render();
  }
  window.addEventListener("hashchange", function () { fromHash(); apply(); });

  var searched = fromHash();
  shown = select();
  render();
  var opened = performance.now();
  var timings = document.getElementById("timings");
  timings.dataset.rows = rows.length;
  timings.dataset.parsed = parsed.toFixed(1);
  timings.dataset.opened = opened.toFixed(1);
  // how far the page is wider than the window (0 when nothing scrolls sideways but the tables)
  timings.dataset.overflow = Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (searched) {
    // measured apart from opening: build the search index, search and sort once more, as typing would
    var t = performance.now();
    hay = null;
    apply();
    timings.dataset.search = (performance.now() - t).toFixed(1);
    timings.dataset.matches = shown.length;
  }
})();
