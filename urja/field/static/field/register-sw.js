// Installs the field app's service worker (scope /field/), so that the app opens with no network.
if ("serviceWorker" in navigator) {
  const { sw, scope } = document.body.dataset;
  navigator.serviceWorker.register(sw, { scope }).catch(() => null);
}
