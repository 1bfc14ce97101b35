/* The portal's request pages: a photo scaled down in the browser before it is sent (a canvas, JPEG, at
   most data-scale-photo bytes), the browser's GPS position on request, and the fees of a new
   connection as the applicant chooses the category and load. Without JavaScript the forms still work. */
(function () {
  "use strict";
  var MAX_SIDE = 1600;

  function toBlob(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
  }

  function dataUrl(blob) {
    return new Promise(function (ok, fail) {
      var reader = new FileReader();
      reader.onload = function () { ok(reader.result); };
      reader.onerror = fail;
      reader.readAsDataURL(blob);
    });
  }

  /* Decoded without a blob: URL, which the pages' Content-Security-Policy does not allow for images. */
  async function decode(file) {
    if (window.createImageBitmap) return createImageBitmap(file);
    var img = new Image();
    var src = await dataUrl(file);
    await new Promise(function (ok, fail) { img.onload = ok; img.onerror = fail; img.src = src; });
    return img;
  }

  async function shrink(file, limit) {
    var img = await decode(file);
    var width = img.naturalWidth || img.width, height = img.naturalHeight || img.height;
    var side = MAX_SIDE, blob = null;
    for (var attempt = 0; attempt < 8; attempt++) {
      var scale = Math.min(1, side / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      blob = await toBlob(canvas, attempt < 4 ? 0.8 - attempt * 0.1 : 0.5);
      if (blob && blob.size <= limit) break;
      if (attempt >= 3) side = Math.round(side * 0.75);
    }
    return blob;
  }

  document.querySelectorAll("input[type=file][data-scale-photo]").forEach(function (input) {
    input.addEventListener("change", async function () {
      var file = input.files && input.files[0];
      var preview = input.form && input.form.querySelector("[data-photo-preview]");
      if (!file || !/^image\//.test(file.type) || !window.DataTransfer) return;
      input.dataset.scaling = "1";
      try {
        var blob = await shrink(file, parseInt(input.dataset.scalePhoto, 10) || 200000);
        if (blob) {
          var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
          var dt = new DataTransfer();
          dt.items.add(new File([blob], name, { type: "image/jpeg" }));
          input.files = dt.files;
          input.dataset.scaledBytes = String(blob.size);
          if (preview) { preview.src = await dataUrl(blob); preview.hidden = false; }
        }
      } catch (e) {
        /* not an image the browser can draw: the file goes as it is and the server decides */
      } finally {
        delete input.dataset.scaling;
        input.dispatchEvent(new Event("photo-ready"));
      }
    });
  });

  document.querySelectorAll("[data-gps]").forEach(function (button) {
    if (!navigator.geolocation) return;
    var form = button.form, status = form.querySelector("[data-gps-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
        status.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5) + " ✓";
      }, function () { status.textContent = "✗"; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  });

  var fees = document.querySelector("[data-fees-url]");
  if (fees) {
    var form = fees.closest("form");
    var update = function () {
      var category = form.querySelector("[name=category]").value, load = form.querySelector("[name=load]").value;
      if (!category || !load) return;
      fetch(fees.dataset.feesUrl + "?" + new URLSearchParams({ category: category, load: load }))
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html) fees.innerHTML = html; });
    };
    form.querySelector("[name=category]").addEventListener("change", update);
    form.querySelector("[name=load]").addEventListener("change", update);
  }
})();
