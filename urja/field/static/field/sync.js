// Sending the outbox: photos first (PUT, idempotent by their uuid), then the items in batches of at
// most 50, each with its client id, so that a batch sent twice (a dropped answer, a retry) changes
// nothing on the server: a repeated client id answers "duplicate". An item stays "pending" until the
// server has answered for it; a network failure or a 5xx leaves it pending for the next try.
import { batches, isSettled } from "./logic.js";
import * as store from "./store.js";

export class SignedOut extends Error {}

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

async function uploadPhoto(api, id) {
  const photo = await store.photoGet(id);
  if (!photo || photo.uploaded) return true;
  const url = `${api}photos/${id}/`;
  const head = await fetch(url, { method: "HEAD", credentials: "same-origin" });
  if (head.status === 401) throw new SignedOut();
  if (head.ok) {
    await store.photoPut({ ...photo, uploaded: true });
    return true;
  }
  const put = await fetch(url, {
    method: "PUT",
    credentials: "same-origin",
    headers: { "Content-Type": "image/jpeg", "X-CSRFToken": csrfToken() },
    body: photo.blob,
  });
  if (put.status === 401) throw new SignedOut();
  if (put.ok) {
    await store.photoPut({ ...photo, uploaded: true });
    return true;
  }
  return false;
}

function photoIds(item) {
  const p = item.payload || {};
  return [p.photo_id, ...(p.result?.photo_ids || [])].filter(Boolean);
}

// Sends everything not yet answered. Returns {accepted, problems, results}; throws SignedOut when the
// session has ended, and a plain Error when the network or the server failed (nothing is lost).
// Who this browser's session is (null when signed out); throws when the network fails.
export async function sessionUser(url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const data = await response.json();
  return data.signed_in ? data.username : null;
}

// `user`: the signed-in username; only the items that user recorded are sent.
export async function syncOutbox({ api, user, onProgress = () => {} }) {
  const pending = (await store.outboxAll()).filter((item) => !isSettled(item.state) && (!item.user || item.user === user));
  const device = await store.deviceId();
  const summary = { accepted: 0, problems: 0, results: [] };
  for (const item of pending) {
    for (const id of photoIds(item)) {
      try {
        if (!(await uploadPhoto(api, id))) item.photo_error = true;
      } catch (e) {
        if (e instanceof SignedOut) throw e;
        item.photo_error = true; // the reading may go before its photo; the photo is tried again
      }
    }
  }
  for (const batch of batches(pending)) {
    const response = await fetch(`${api}sync/`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({
        device_id: device,
        items: batch.map((item) => ({ client_id: item.client_id, kind: item.kind, payload: item.payload })),
      }),
    });
    if (response.status === 401 || response.status === 403) throw new SignedOut();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { results } = await response.json();
    const byId = new Map(results.map((r) => [r.client_id, r]));
    for (const item of batch) {
      const r = byId.get(item.client_id);
      if (!r) continue; // not answered: stays pending, sent again next time
      const photoPending = [];
      for (const id of photoIds(item)) {
        const photo = await store.photoGet(id);
        if (photo && !photo.uploaded) photoPending.push(id);
      }
      const updated = {
        ...item,
        state: r.result,
        detail: r.detail || "",
        server: r.server ?? null,
        synced_at: new Date().toISOString(),
        photos_pending: photoPending,
      };
      delete updated.photo_error;
      await store.outboxPut(updated);
      summary.results.push(updated);
      if (r.result === "accepted" || r.result === "duplicate") summary.accepted += 1;
      else summary.problems += 1;
    }
    onProgress(summary);
  }
  // Photos of items the server already has, that could not go up earlier.
  for (const item of await store.outboxAll()) {
    if (!item.photos_pending?.length) continue;
    const left = [];
    for (const id of item.photos_pending) {
      try {
        if (!(await uploadPhoto(api, id))) left.push(id);
      } catch (e) {
        if (e instanceof SignedOut) throw e;
        left.push(id);
      }
    }
    await store.outboxPut({ ...item, photos_pending: left });
  }
  return summary;
}
