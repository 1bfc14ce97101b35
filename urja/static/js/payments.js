// Collection pages. Everything works without JavaScript; this only helps:
// a print button, the cheque fields shown for a cheque or draft only, one submit per payment form
// (the server posts a form's token once anyway), and a running total on the denomination count.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // The receipt page's thermal copy prints at the width this counter last chose (58 or 80 mm), and
  // right after "take payment" the print dialog opens by itself, once.
  var copy = document.querySelector(".receipt-copy .thermal");
  function width() { try { return localStorage.getItem("urja.receiptWidth") === "58" ? "58" : "80"; } catch (e) { return "80"; } }
  if (copy) { copy.classList.remove("thermal-80", "thermal-58"); copy.classList.add("thermal-" + width()); }
  document.querySelectorAll("a[href*='width=58'], a[href*='width=80']").forEach(function (link) {
    link.addEventListener("click", function () {
      try { localStorage.setItem("urja.receiptWidth", link.href.indexOf("width=58") >= 0 ? "58" : "80"); } catch (e) { /* private mode */ }
    });
  });
  if (copy && document.querySelector("[data-autoprint]")) {
    window.addEventListener("load", function () { window.print(); });
  }

  document.querySelectorAll("form.pay-form").forEach(function (form) {
    var box = form.querySelector("[data-instrument]");
    var reference = form.querySelector("[data-reference]");
    function toggle() {
      var checked = form.querySelector("input[name=mode]:checked");
      var mode = checked ? checked.value : "cash";
      if (box) { box.hidden = !(mode === "cheque" || mode === "dd"); }
      if (reference) { reference.hidden = !(mode === "card" || mode === "upi_counter"); }
    }
    form.querySelectorAll("input[name=mode]").forEach(function (radio) { radio.addEventListener("change", toggle); });
    toggle();
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-once]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });

  var close = document.querySelector("form.denominations");
  if (close) {
    var expectedEl = document.querySelector("[data-expected]");
    var expected = expectedEl ? Math.round(parseFloat(expectedEl.getAttribute("data-expected")) * 100) : 0;
    var totalEl = close.querySelector("[data-counted-total]");
    var format = function (paise) { return "₹ " + (paise / 100).toFixed(2); };
    var update = function () {
      var total = 0;
      close.querySelectorAll("input[data-denomination]").forEach(function (input) {
        var value = parseInt(input.getAttribute("data-denomination"), 10);
        var count = parseInt(input.value, 10) || 0;
        var cell = close.querySelector("[data-line-total='" + value + "']");
        if (cell) { cell.textContent = count ? (value * count).toString() : ""; }
        total += value * count * 100;
      });
      if (totalEl) {
        totalEl.textContent = format(total);
        totalEl.className = "num " + (total === expected ? "ok" : "bad");
      }
    };
    close.addEventListener("input", update);
    update();
  }
}());
