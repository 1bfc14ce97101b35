// Tables become cards on phones (urja.css, table.cards): every cell needs the label of its column.
// Templates write data-label themselves on the main lists; this fills in the rest from the header row.
(function () {
  "use strict";
  function label(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      var span = cell.colSpan || 1;
      for (var i = 0; i < span; i++) names.push(cell.textContent.trim());
    });
    var rows = [];
    Array.prototype.forEach.call(table.tBodies, function (body) { rows = rows.concat(Array.prototype.slice.call(body.rows)); });
    if (table.tFoot) rows = rows.concat(Array.prototype.slice.call(table.tFoot.rows));
    rows.forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", cell.colSpan > 1 ? "" : (names[column] || ""));
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("cards");
  }
  document.querySelectorAll("main table").forEach(function (table) {
    if (!table.classList.contains("no-cards") && !table.closest(".thermal")) label(table);
  });
})();
