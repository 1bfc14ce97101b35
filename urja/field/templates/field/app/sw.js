/* Urja field app service worker (rendered by urja/field/app_views.py). Keeps the shell, its scripts,
   styles and fonts for offline use; the sync API goes to the network first (the app keeps its own data
   in IndexedDB). A new version ({{ version }}) replaces the old cache on activation. */
const VERSION = "{{ version }}";
const CACHE = "urja-field-" + VERSION;
const SHELL = "{{ shell_url }}";
const PRECACHE = {{ precache|safe }};
const API = "{{ api_prefix }}";
const STATIC = "{{ static_url }}";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const url of PRECACHE) {
      try {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
        // A shell answered by a redirect to the sign-in page is not the shell: never keep it.
        if (response.ok && !response.redirected) await cache.put(url, response);
      } catch (e) { /* offline while installing: the next visit tries again */ }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("urja-field-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (e) {
    const cached = request.method === "GET" ? await caches.match(request) : null;
    if (cached) return cached;
    return new Response(JSON.stringify({ error: "offline" }), {
      status: 503, headers: { "Content-Type": "application/json" },
    });
  }
}

async function shellFromCache(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(SHELL);
  const fresh = fetch(request).then((response) => {
    if (response.ok && !response.redirected) cache.put(SHELL, response.clone());
    return response;
  });
  if (cached) {
    fresh.catch(() => null);
    return cached;
  }
  return fresh;
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: false });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(API)) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(shellFromCache(request));
  } else if (request.method === "GET" && (url.pathname.startsWith(STATIC) || PRECACHE.includes(url.pathname))) {
    event.respondWith(cacheFirst(request));
  }
});
