// Bill run page: while the run goes on, poll its progress every 2 s and update the numbers in place.
// Without JavaScript the page still works: it has a plain "Refresh now" link.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-progress-url");
  function update(data) {
    document.querySelectorAll("[data-field]").forEach(function (el) {
      var name = el.getAttribute("data-field");
      if (Object.prototype.hasOwnProperty.call(data, name)) { el.textContent = data[name]; }
    });
    document.querySelectorAll("[data-field-value]").forEach(function (el) {
      el.value = data[el.getAttribute("data-field-value")];
    });
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) {
        update(data);
        // Finished (or stopped, so it can be resumed): reload once so the office table, the review
        // link and the buttons are current.
        if (data.finished || data.stale) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 2000);
}());
