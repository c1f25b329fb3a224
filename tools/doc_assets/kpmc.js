/* kpmc doc: the filter box and the sortable columns of the reference pages.
 *
 * A table with class "sortable" sorts on the columns whose header holds a
 * button: by each cell's data-sort value when it has one, else its text;
 * numerically when the header has data-type="num", else by the upper-cased
 * text compared code unit by code unit (the catalog's own order).  Ties keep
 * their current order.  The header's aria-sort says the current order.
 *
 * A table with data-filter="ID" is narrowed by the text input ID: a row stays
 * when every word typed (case-insensitively) occurs in the text of its
 * elements of class "q" (name, aliases, description).  data-count names an
 * element that says how many rows are shown. */
'use strict';

(function () {
  function compareText(a, b) {
    a = a.toUpperCase();
    b = b.toUpperCase();
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function cellKey(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
    return numeric ? Number(v) : v;
  }

  function setupSort(table) {
    var tbody = table.tBodies[0];
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, col) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        var numeric = th.getAttribute('data-type') === 'num';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var keyed = Array.prototype.map.call(tbody.rows, function (row, i) {
          return { key: cellKey(row, col, numeric), pos: i, row: row };
        });
        keyed.sort(function (x, y) {
          var c = numeric ? x.key - y.key : compareText(x.key, y.key);
          return (ascending ? c : -c) || x.pos - y.pos;
        });
        var frag = document.createDocumentFragment();
        keyed.forEach(function (k) { frag.appendChild(k.row); });
        tbody.appendChild(frag);
      });
    });
  }

  function setupFilter(table) {
    var input = document.getElementById(table.getAttribute('data-filter'));
    var count = document.getElementById(table.getAttribute('data-count'));
    if (!input) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var unit = table.getAttribute('data-unit') || 'rows';
    var texts = rows.map(function (row) {
      return Array.prototype.map.call(row.querySelectorAll('.q'), function (e) {
        return e.textContent;
      }).join('\n').toLowerCase();
    });
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        row.hidden = !keep;
        if (keep) shown++;
      });
      if (count) count.textContent = shown + ' of ' + rows.length + ' ' + unit + ' shown';
    }
    input.addEventListener('input', apply);
    if (input.value) apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), setupSort);
  Array.prototype.forEach.call(document.querySelectorAll('table[data-filter]'), setupFilter);
})();
