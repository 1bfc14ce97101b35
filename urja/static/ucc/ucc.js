// The command centre (docs/ucc.md): draws the 12-month trend with uPlot and fetches the figures again
// every few minutes (data-refresh-seconds), never while the tab is hidden; the KPI cards, the trend and
// "Updated at" change in place. Without JavaScript the page is whole, only not refreshed.
import uPlot from "./vendor/uPlot.esm.js";

const root = document.querySelector("[data-testid=ucc]");
if (root) {
  const jsonUrl = root.dataset.jsonUrl;
  const every = Math.max(30, Number(root.dataset.refreshSeconds) || 180) * 1000;
  const box = root.querySelector("[data-trend-chart]");
  let chart = null;
  let timer = null;
  let last = Date.now();

  const dash = (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(2));

  function draw(trend) {
    if (!box) { return; }
    // x: the months' index (1 = the oldest); the axis prints the month codes.
    const xs = trend.months.map((_, i) => i);
    const data = [xs, trend.atc_loss_pct, trend.billing_efficiency, trend.collection_efficiency];
    const width = Math.max(280, box.clientWidth);
    const height = document.body.classList.contains("ucc-wall") ? 360 : 220;
    if (chart) { chart.setData(data); chart.setSize({ width, height }); return; }
    chart = new uPlot({
      width, height,
      scales: { x: { time: false } },
      axes: [
        { values: (u, ticks) => ticks.map((t) => trend.months[t] || "") },
        { values: (u, ticks) => ticks.map((t) => t + "%") },
      ],
      series: [
        { label: box.dataset.labelMonth, value: (u, v) => (v === null ? "—" : trend.months[v] || "—") },
        { label: box.dataset.labelAtc, stroke: "#b3261e", width: 2, value: (u, v) => dash(v) },
        { label: box.dataset.labelBe, stroke: "#0b5d8f", width: 2, dash: [6, 3], value: (u, v) => dash(v) },
        { label: box.dataset.labelCe, stroke: "#17703a", width: 2, dash: [2, 3], value: (u, v) => dash(v) },
      ],
    }, data, box);
  }

  function rows(trend) {
    const body = root.querySelector("[data-trend-rows]");
    if (!body) { return; }
    body.replaceChildren(...trend.months.map((m, i) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = m;
      tr.append(th);
      for (const s of [trend.billing_efficiency, trend.collection_efficiency, trend.atc_loss_pct]) {
        const td = document.createElement("td");
        td.textContent = dash(s[i]);
        tr.append(td);
      }
      return tr;
    }));
  }

  function update(payload) {
    for (const k of payload.kpis) {
      const card = root.querySelector(`[data-kpi="${k.key}"]`);
      if (!card) { continue; }
      card.querySelector("[data-value]").textContent = k.value;
      card.querySelector("[data-reason]").textContent = k.reason;
      card.classList.toggle("gap", k.gap);
    }
    const stamp = root.querySelector("[data-updated-at]");
    if (stamp) { stamp.textContent = payload.updated_at_text; }
    draw(payload.trend);
    rows(payload.trend);
  }

  async function refresh() {
    last = Date.now();
    try {
      const response = await fetch(jsonUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) { update(await response.json()); }
    } catch (error) {
      // Offline or the server busy: keep what is shown and try at the next turn.
    }
  }

  function start() {
    stop();
    timer = window.setInterval(refresh, every);
  }
  function stop() {
    if (timer) { window.clearInterval(timer); timer = null; }
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) { stop(); return; }
    if (Date.now() - last >= every) { refresh(); }
    start();
  });
  root.addEventListener("ucc:refresh", refresh);  // lets a test (or a button) ask for figures now

  const trend = document.getElementById("ucc-trend");
  if (trend) { draw(JSON.parse(trend.textContent)); }
  window.addEventListener("resize", () => { if (chart && box) { chart.setSize({ width: Math.max(280, box.clientWidth), height: chart.height }); } });
  if (!document.hidden) { start(); }

  const full = root.querySelector("[data-fullscreen]");
  if (full && document.documentElement.requestFullscreen) {
    full.hidden = false;
    full.addEventListener("click", () => document.documentElement.requestFullscreen());
  }
}
