// The dashboard reads only the documented HTTP API, relative to the page (data-api), so it works under any prefix.
"use strict";
const api = document.body.dataset.api;
const $ = (id) => document.getElementById(id);
const charts = {};
const clients = new Map(); // download id -> client text, as its record stores it
const recorded = new Map(); // download id -> the coverage its record held when first seen
let latest = [];

function chart(id, option) {
  const el = $(id);
  const c = charts[id] || (charts[id] = echarts.init(el));
  // no animation: figures refresh often, and what is drawn is at once what the API said
  c.setOption(Object.assign({ animation: false }, option), true);
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + " " + units[i];
}

function duration(ms) {
  if (ms == null) return "–";
  return ms < 1000 ? Math.round(ms) + " ms" : ms < 120000 ? (ms / 1000).toFixed(1) + " s" : (ms / 60000).toFixed(1) + " min";
}

function period() {
  const p = $("period").value;
  const params = new URLSearchParams();
  const spans = { hour: 3600e3, day: 86400e3, month: 30 * 86400e3 };
  if (p === "range") {
    if ($("from").value) params.set("from", new Date($("from").value).toISOString());
    if ($("to").value) params.set("to", new Date($("to").value).toISOString());
  } else {
    params.set("from", new Date(Date.now() - spans[p]).toISOString());
  }
  if ($("file").value.trim()) params.set("file", $("file").value.trim());
  return params;
}

async function get(path) {
  const response = await fetch(api + path, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(path.split("?")[0] + ": " + response.status + " " + (body.error || ""));
  }
  return response.json();
}

function pairs(map) {
  return Object.entries(map || {}).map(([name, value]) => ({ name, value }));
}

function pie(id, map) {
  chart(id, { tooltip: {}, series: [{ type: "pie", radius: ["35%", "70%"], data: pairs(map) }] });
}

function bars(id, entries) {
  chart(id, {
    tooltip: {}, grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", inverse: true, data: entries.map((e) => e.name) },
    series: [{ type: "bar", data: entries.map((e) => e.value) }],
  });
}

async function timeline(params) {
  const interval = $("period").value === "month" ? "day" : "hour";
  let buckets;
  try {
    buckets = (await get("downloads/series?" + params + "&interval=" + interval)).buckets
      .map((b) => ({ at: b.start, completed: b.completed, other: b.started - b.completed }));
  } catch (e) { // a server without the series endpoint: the summary's days
    const summary = await get("downloads/summary?" + params);
    buckets = pairs(summary.byDay).map((d) => ({ at: d.name, completed: null, other: d.value }));
  }
  chart("chart-time", {
    tooltip: { trigger: "axis" }, legend: {}, grid: { left: 40, right: 16, top: 30, bottom: 24 },
    xAxis: { type: "category", data: buckets.map((b) => b.at.replace("T", " ").replace(":00:00Z", "h")) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: "completed", type: "bar", stack: "all", data: buckets.map((b) => b.completed) },
      { name: "not completed", type: "bar", stack: "all", data: buckets.map((b) => b.other) }],
  });
}

function figure(id, value, text) {
  $(id).dataset.value = value == null ? "" : value;
  $(id).textContent = text;
}

function breakdown(id, map) {
  if (map) {
    if ($(id).classList.contains("empty")) { $(id).classList.remove("empty"); $(id).textContent = ""; }
    return bars(id, pairs(map));
  }
  if (charts[id]) { charts[id].dispose(); delete charts[id]; }
  $(id).classList.add("empty");
  $(id).textContent = "not in this server's summary";
}

async function refresh() {
  const params = period();
  $("status").textContent = "";
  $("figures").dataset.query = params.toString();
  try {
    const s = await get("downloads/summary?" + params + "&top=10");
    figure("started", s.started, s.started);
    figure("completed", s.completed, s.completed);
    figure("inProgress", s.inProgress, s.inProgress);
    figure("completionRatio", s.completionRatio, (s.completionRatio * 100).toFixed(1) + " %");
    figure("bytesSent", s.bytesSent, bytes(s.bytesSent));
    figure("coveredBytes", s.coveredBytes, bytes(s.coveredBytes));
    figure("medianDurationMs", s.medianDurationMs, duration(s.medianDurationMs));
    pie("chart-reasons", s.byEndReason);
    pie("chart-countries", s.byCountry);
    breakdown("chart-asns", s.topNetworks && Object.fromEntries(s.topNetworks.map((n) =>
      [n.asn == null ? "UNKNOWN" : "AS" + n.asn + (n.organization ? " " + n.organization : ""), n.downloads])));
    breakdown("chart-agents", s.topUserAgents);
    bars("chart-files", (s.topFiles || []).map((f) => ({ name: f.path, value: f.downloads })));
    await timeline(params);
    latest = (await get("downloads?" + params + "&size=100")).downloads;
    showLatest();
  } catch (e) {
    $("status").textContent = e.message;
  }
  $("figures").dataset.loaded = Number($("figures").dataset.loaded) + 1;
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text == null ? "" : text;
  if (cls) td.className = cls;
  return td;
}

function showLatest() {
  const words = $("search").value.trim().toLowerCase();
  const body = $("latest").tBodies[0];
  body.replaceChildren();
  for (const d of latest) {
    const client = d.client || {};
    const text = [d.file && d.file.path, client.ip, client.userAgent, d.endReason || "IN_PROGRESS",
      client.geo && client.geo.countryCode].join(" ").toLowerCase();
    if (words && !text.includes(words)) continue;
    const row = body.insertRow();
    row.dataset.id = d.id;
    cell(row, new Date(d.startedAt).toLocaleString());
    cell(row, d.file && d.file.path, "path");
    cell(row, client.ip);
    cell(row, client.geo && client.geo.countryCode);
    cell(row, d.requests);
    cell(row, d.percent.toFixed(1) + " %");
    cell(row, d.endReason || "in progress");
    row.onclick = () => openRecord(d.id);
  }
}

async function openRecord(id) {
  const dialog = $("record");
  try {
    const d = await get("downloads/" + encodeURIComponent(id));
    const lines = [`${d.file.path}  ${d.endReason || "in progress"}  ${d.percent.toFixed(1)} % of ${bytes(d.file.size)}`,
      `client ${d.client.ip}  ${d.client.userAgent || ""}`, `started ${d.startedAt}  ended ${d.endedAt || "–"}`, "requests:"];
    for (const r of d.requestList || []) lines.push(`  ${r.start}  ${r.status}  ${r.range || "-"}  ${r.bytes} B  ${r.reason || ""}`);
    lines.push("covered: " + (d.coverage || []).map((c) => c.first + "-" + c.last).join(", "));
    dialog.querySelector("pre").textContent = lines.join("\n");
  } catch (e) {
    dialog.querySelector("pre").textContent = e.message;
  }
  dialog.dataset.id = id;
  dialog.showModal();
}

// distinct bytes of a union of ranges ({first, last}, inclusive)
function coveredBytes(ranges) {
  let total = 0, end = -1;
  for (const r of [...ranges].sort((a, b) => a.first - b.first)) {
    const start = Math.max(r.first, end + 1);
    if (r.last >= start) total += r.last - start + 1;
    end = Math.max(end, r.last);
  }
  return total;
}

async function clientOf(download) {
  if (clients.has(download)) return;
  clients.set(download, "…");
  try {
    const d = await get("downloads/" + encodeURIComponent(download));
    clients.set(download, d.client.ip + (d.client.geo && d.client.geo.countryCode ? " (" + d.client.geo.countryCode + ")" : ""));
    recorded.set(download, d.coverage || []); // what it covered before this process, or on another replica
  } catch (e) {
    setTimeout(() => clients.delete(download), 2000); // not flushed to MongoDB yet: ask again later
  }
}

function showLive(flights) {
  const body = $("live").tBodies[0];
  body.replaceChildren();
  for (const f of flights) {
    clientOf(f.download);
    const row = body.insertRow();
    row.dataset.request = f.request;
    row.dataset.position = f.position;
    // the download's coverage: its ranges delivered here, in flight and ended, with those its record held
    const covered = coveredBytes(f.coverage.concat(recorded.get(f.download) || []));
    row.dataset.covered = covered;
    cell(row, f.path, "path");
    const bar = document.createElement("progress");
    bar.max = f.size;
    bar.value = covered;
    const td = cell(row, " " + (100 * covered / Math.max(1, f.size)).toFixed(1) + " %");
    td.prepend(bar);
    cell(row, bytes(f.bytesPerSecond) + "/s");
    cell(row, clients.get(f.download));
    cell(row, new Date(f.startedAt).toLocaleTimeString());
  }
}

function live() {
  const source = new EventSource(api + "live");
  const state = (text) => { $("live-state").textContent = text; $("live-state").dataset.state = text; };
  source.onopen = () => state("live");
  source.onerror = () => state("reconnecting…");
  source.onmessage = (event) => {
    const flights = JSON.parse(event.data);
    const ended = [...$("live").tBodies[0].rows].some((r) => !flights.some((f) => String(f.request) === r.dataset.request));
    showLive(flights);
    if (ended) refresh(); // a download ended: its figures changed
  };
}

const lastLines = new Map();
async function listeners() {
  try {
    const now = Date.now();
    const body = $("listeners").tBodies[0];
    body.replaceChildren();
    const all = await get("listeners");
    for (const l of all) {
      const row = body.insertRow();
      row.dataset.name = l.name;
      row.dataset.starts = l.starts;
      cell(row, l.name);
      cell(row, l.state, "state-" + l.state);
      cell(row, l.port < 0 ? "–" : l.port);
      cell(row, l.openConnections);
      cell(row, l.acceptedConnections);
      cell(row, l.lines);
      const before = lastLines.get(l.name);
      cell(row, before ? ((l.lines - before.lines) * 1000 / Math.max(1, now - before.at)).toFixed(1) : "–");
      lastLines.set(l.name, { lines: l.lines, at: now });
      cell(row, l.starts);
      const button = document.createElement("button");
      button.textContent = "Restart";
      button.className = "restart";
      button.onclick = () => restart(l.name, button);
      row.insertCell().append(button);
    }
    await commands(all, now);
  } catch (e) {
    $("status").textContent = e.message;
  }
}

// per listener and command: counts, the rate between two refreshes, errors and latency
const lastCounts = new Map();
async function commands(all, now) {
  const rows = [];
  for (const l of all) {
    for (const c of await get("listeners/" + encodeURIComponent(l.name) + "/commands")) rows.push([l.name, c]);
  }
  const body = $("commands").tBodies[0];
  body.replaceChildren();
  for (const [name, c] of rows) {
    const key = name + " " + c.verb;
    const row = body.insertRow();
    row.dataset.listener = name;
    row.dataset.verb = c.verb;
    row.dataset.count = c.count;
    cell(row, name);
    cell(row, c.verb);
    cell(row, c.count);
    const before = lastCounts.get(key);
    cell(row, before ? ((c.count - before.count) * 1000 / Math.max(1, now - before.at)).toFixed(1) : "–");
    lastCounts.set(key, { count: c.count, at: now });
    cell(row, c.errors);
    cell(row, c.replies ? c.meanLatencyMillis.toFixed(2) + " ms" : "–");
    cell(row, c.replies ? c.maxLatencyMillis.toFixed(2) + " ms" : "–");
  }
  $("commands").dataset.loaded = Number($("commands").dataset.loaded || 0) + 1;
}

async function restart(name, button) {
  if (!confirm("Restart " + name + "? Its connections are drained and closed.")) return;
  button.disabled = true;
  const response = await fetch(api + "listeners/" + encodeURIComponent(name) + "/restart", { method: "POST" });
  if (!response.ok) $("status").textContent = "restart " + name + ": " + response.status;
  await listeners();
}

$("filters").onsubmit = (event) => { event.preventDefault(); refresh(); };
$("period").onchange = () => {
  $("filters").classList.toggle("custom", $("period").value === "range");
  if ($("period").value !== "range") refresh();
};
$("search").oninput = showLatest;
window.onresize = () => Object.values(charts).forEach((c) => c.resize());
refresh();
live();
listeners();
setInterval(listeners, 5000);
