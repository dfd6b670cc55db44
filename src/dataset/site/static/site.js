// The tables page: sort by a column, filter by a vocabulary value, search every cell.
// Our own small script, no library; it does nothing on pages without a sortable table.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;

  function fold(text) {
    // Case-insensitive for Russian too: toLocaleLowerCase, and ё searched as е.
    return text.toLocaleLowerCase(lang).replace(/ё/g, "е");
  }

  function setup(section) {
    var table = section.querySelector("table.sortable");
    if (!table) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row) { row.dataset.text = fold(row.textContent); });
    var search = section.querySelector("input.search");
    var filters = Array.prototype.slice.call(section.querySelectorAll("select.filter"));
    var count = section.querySelector(".count span");

    function apply() {
      var words = fold(search ? search.value : "").split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var ok = words.every(function (w) { return row.dataset.text.indexOf(w) >= 0; });
        filters.forEach(function (select) {
          if (ok && select.value) {
            var cell = row.cells[Number(select.dataset.column)];
            ok = !!cell && cell.textContent === select.value;
          }
        });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (count) { count.textContent = String(shown); }
    }

    var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        rows.sort(function (a, b) {
          var x = a.cells[index] ? a.cells[index].textContent : "";
          var y = b.cells[index] ? b.cells[index].textContent : "";
          if (x === "" || y === "") { return (x === "") - (y === ""); }  // empty cells last
          return descending ? collator.compare(y, x) : collator.compare(x, y);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    if (search) { search.addEventListener("input", apply); }
    filters.forEach(function (select) { select.addEventListener("change", apply); });
    apply();
  }

  document.querySelectorAll("section.data-table").forEach(setup);
})();
