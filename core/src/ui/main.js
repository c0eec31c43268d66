// The page at /debug/nova/ui. Everything comes from the admin listener that served it; the token
// lives in this page's memory only, sent in the Authorization header, never in a URL or storage.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import flamegraph from "d3-flame-graph";
import "./node_modules/d3-flame-graph/dist/d3-flamegraph.css";
import { select } from "d3-selection";
import "./page.css";

const base = "/debug/nova";
// Finding codes and action names as the server defines them (FindingCode, ActionNames), handed to
// the page on its body element so that no name is typed twice.
const NAMES = document.body.dataset;
const COLORS = ["#2b6cb0", "#d9480f", "#2f855a", "#6b46c1", "#b58100", "#c2255c", "#0b7285", "#5c940d"];
const ROUTES = 5; // routes plotted beside the total, the busiest over the hour
let token = null;
let report = null;
let actionParams = new Map(); // action name -> its parameters, from GET /debug/nova/actions
const charts = new Map();
const findingViews = new Map(); // finding code -> its element, kept across refreshes

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

async function getJson(path) {
  const r = await fetch(base + path, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

async function post(action, params) {
  const q = new URLSearchParams(params).toString();
  let r;
  try {
    r = await fetch(base + "/actions/" + encodeURIComponent(action) + (q ? "?" + q : ""), {
      method: "POST",
      headers: token ? { Authorization: "Bearer " + token } : {},
    });
  } catch (e) {
    return { status: 0, body: { error: "no answer from the admin listener: " + e.message } };
  }
  let body;
  try { body = await r.json(); } catch { body = { error: "HTTP " + r.status }; }
  return { status: r.status, body };
}

/** Evidence as a definition list; stacks and long lists folded open on click. */
function evidence(value) {
  if (Array.isArray(value)) {
    const d = el("details", {}, el("summary", {}, value.length + " item(s)"));
    for (const v of value) d.append(typeof v === "object" && v !== null ? evidence(v) : el("div", {}, String(v)));
    return d;
  }
  if (typeof value === "object" && value !== null) {
    const dl = el("dl");
    for (const [k, v] of Object.entries(value)) {
      dl.append(el("dt", {}, k), el("dd", {}, typeof v === "object" && v !== null ? evidence(v) : String(v)));
    }
    return dl;
  }
  return document.createTextNode(String(value));
}

function show(answer, r) {
  answer.hidden = false;
  answer.textContent = (r.status === 200 ? "" : r.status ? "HTTP " + r.status + ": " : "") + JSON.stringify(r.body, null, 2);
  answer.className = r.status === 200 ? "answer" : "answer error";
}

/**
 * One action: its parameters as inputs (empty means the action's default), the dry run first, and
 * the run only for the parameters that dry run answered for; changing one hides the run again.
 */
function actionForm(name) {
  const form = el("div", { class: "action", "data-action": name });
  const inputs = [];
  for (const p of actionParams.get(name) || []) {
    if (p.name === "dryRun") continue;
    const input = el("input", { type: "text", name: p.name, placeholder: p.default ?? (p.required ? "required" : ""),
      title: p.description || "", autocomplete: "off", size: "10" });
    inputs.push(input);
    form.append(el("label", { class: "param" }, p.name + " ", input));
  }
  const answer = el("pre", { class: "answer", hidden: "" });
  const run = el("button", { class: "run", hidden: "" }, "run " + name);
  let asked = null; // the parameters the shown dry run answered for; null: none, or already run
  let edits = 0; // every change of a parameter; a dry run's answer counts only if none came since
  const params = () => Object.fromEntries(inputs.filter((i) => i.value.trim()).map((i) => [i.name, i.value.trim()]));
  const disarm = () => { run.hidden = true; asked = null; };
  for (const i of inputs) i.addEventListener("input", () => { edits++; disarm(); });
  const dry = el("button", { class: "dry", onclick: async () => {
    const p = params();
    const at = edits;
    disarm();
    dry.disabled = true;
    try {
      const r = await post(name, { ...p, dryRun: "true" });
      show(answer, r);
      if (r.status === 200 && at === edits) {
        asked = p;
        run.hidden = false;
      }
    } finally { dry.disabled = false; }
  } }, "dry run " + name);
  run.addEventListener("click", async () => {
    if (asked === null) return;
    const p = asked;
    disarm(); // one run per dry run: the next needs its own
    answer.textContent = "running " + name + "…";
    try {
      const r = await post(name, p);
      show(answer, r);
      if (name === NAMES.cpuProfile && r.status === 200) flame(r.body);
    } catch (e) {
      answer.textContent = "could not run " + name + ": " + e.message;
    }
  });
  form.append(dry, run, answer);
  return form;
}

/** Reopens the folded parts a person had opened, when the evidence is drawn again. */
function keepOpen(oldNode, newNode) {
  if (!oldNode) return;
  const was = [...oldNode.querySelectorAll("details")].map((d) => d.open);
  const now = [...newNode.querySelectorAll("details")];
  if (was.length === now.length) now.forEach((d, i) => { d.open = was[i]; });
}

function renderReport(r) {
  report = r;
  const sev = document.getElementById("severity");
  sev.textContent = r.severity;
  sev.className = "sev " + r.severity;
  const list = document.getElementById("findings");
  const none = document.getElementById("no-finding");
  none.hidden = r.findings.length > 0;
  const seen = new Set();
  for (const f of r.findings) {
    seen.add(f.code);
    let v = findingViews.get(f.code);
    if (!v) {
      // a finding's element stays while it holds, so that an answer or an input being read survives
      v = { root: el("div", { class: "finding", "data-code": f.code }), head: el("div"), body: null };
      v.actions = el("div");
      for (const name of f.actions) v.actions.append(actionForm(name));
      v.root.append(v.head, el("div"), v.actions);
      findingViews.set(f.code, v);
      list.append(v.root);
    }
    v.head.replaceChildren(
      el("span", { class: "sev " + f.severity }, f.severity), " ",
      el("span", { class: "code" }, f.code), " ",
      el("span", { class: "title" }, f.title));
    if (f.where) v.head.append(" ", el("span", { class: "where" }, "at " + f.where));
    const body = evidence(f.evidence);
    keepOpen(v.body, body);
    v.root.children[1].replaceChildren(body);
    v.body = body;
  }
  for (const [code, v] of findingViews) {
    if (!seen.has(code)) { v.root.remove(); findingViews.delete(code); }
  }
}

function series(samples, key) {
  return samples.map((s) => (s[key] === undefined || s[key] === null ? null : s[key]));
}

/** Keys of a per-sample map (routes, sites, close codes), the largest by {@code weight} first. */
function keysOf(samples, pick, weight, limit) {
  const total = new Map();
  for (const s of samples) {
    for (const [k, v] of Object.entries(pick(s) || {})) total.set(k, (total.get(k) || 0) + (weight(v) || 0));
  }
  return [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map((e) => e[0]);
}

/**
 * A uPlot chart of lines over the samples' times (seconds); {@code extraX} are later moments (a
 * projection) where only lines with values there are drawn. The host element says how many points
 * each line has ({@code data-series}), for a person's tools and the browser test alike.
 */
function chart(id, title, xs, lines, none) {
  const host = document.getElementById(id);
  const counts = {};
  for (const l of lines) counts[l.label] = l.values.filter((v) => v !== null && v !== undefined).length;
  host.dataset.series = JSON.stringify(counts);
  host.dataset.points = String(xs.length);
  const peaks = {}; // each line's highest value, for the same readers
  for (const l of lines) peaks[l.label] = Math.max(...l.values.filter((v) => v !== null && v !== undefined), -Infinity);
  host.dataset.peaks = JSON.stringify(peaks);
  const old = charts.get(id);
  const shape = title + "|" + lines.map((l) => l.label).join("|");
  if (none && !Object.values(counts).some((n) => n > 0)) {
    if (old) { old.chart.destroy(); charts.delete(id); }
    host.replaceChildren(el("p", { class: "muted" }, none)); // nothing seen: words, not an empty frame
    return;
  }
  const data = [xs, ...lines.map((l) => l.values)];
  if (old && old.shape === shape) {
    old.chart.setData(data); // the same lines: new points, and a person's hidden lines stay hidden
    return;
  }
  if (old) { old.chart.destroy(); charts.delete(id); }
  const width = Math.max(260, host.clientWidth || 320);
  const opts = {
    title, width, height: 180,
    series: [{}, ...lines.map((l, i) => ({ label: l.label, stroke: l.stroke || COLORS[i % COLORS.length],
      dash: l.dash, spanGaps: l.spanGaps === true, points: { show: l.points ?? xs.length < 60 } }))],
  };
  host.replaceChildren();
  charts.set(id, { shape, chart: new uPlot(opts, data, host) });
}

const mib = (v) => (v == null ? null : Math.round((v / 1048576) * 10) / 10);
const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** Heap after GC and its maximum; while HEAP_GROWTH holds, its trend drawn on to the exhaustion. */
function heapChart(s) {
  const xs = s.map((x) => x.t / 1000);
  const after = series(s, "heapAfterGcBytes").map(mib);
  const max = series(s, "heapMaxBytes").map(mib);
  const note = document.getElementById("heap-note");
  const growth = report && report.findings.find((f) => f.code === NAMES.heapGrowth);
  const ev = growth && growth.evidence;
  const at = ev && Date.parse(ev.projectedExhaustionAt);
  // a finding still held after its condition cleared may point at a moment already past: no line
  const trending = ev && Number.isFinite(at) && xs.length && ev.slopeMbPerMin > 0 && at / 1000 > xs[xs.length - 1];
  // the maximum as a line only when the live set comes near it or rises towards it; otherwise in
  // the title, where it does not flatten the line a person reads
  const top = Math.max(0, ...max.filter((v) => v != null));
  const near = trending || after.some((v, i) => v != null && max[i] != null && v >= 0.25 * max[i]);
  const lines = [{ label: "after GC (MiB)", values: after }];
  if (near) lines.push({ label: "max (MiB)", values: max });
  const title = "heap after GC" + (near || !top ? "" : " (max " + top.toLocaleString() + " MiB)");
  if (trending) {
    // the detector's own line: through the maximum at the projected moment, at its slope
    // ahead as far as the samples reach back (a minute at least), so that they keep the width
    const last = xs[xs.length - 1];
    const end = Math.min(at / 1000, last + Math.max(60, last - xs[0]));
    const trend = (x) => Math.round((ev.maxMb - (ev.slopeMbPerMin * (at / 1000 - x)) / 60) * 10) / 10;
    const tx = end > xs[xs.length - 1] ? [...xs, end] : xs;
    const values = tx.map((x) => { const v = trend(x); return v >= 0 ? v : null; });
    if (tx.length > xs.length) {
      after.push(null);
      if (near) max.push(top); // the maximum goes on to where the trend meets it
    }
    lines.push({ label: "trend (MiB)", values, stroke: "#b3261e", dash: [6, 4], spanGaps: true, points: false });
    note.textContent = NAMES.heapGrowth + ": +" + ev.slopeMbPerMin + " MiB/min; the heap would be exhausted at "
      + clock(at) + " (in about " + ev.projectedExhaustionMinutes + " min)"
      + (at / 1000 > end ? "; the line stops at " + clock(end * 1000) : "");
    chart("heap", title, tx, lines);
  } else {
    note.textContent = "";
    chart("heap", title, xs, lines);
  }
}

function renderHistory(h) {
  const s = h.samples;
  const kept = h.capacity * h.intervalSeconds;
  const span = kept >= 3600 ? "the last hour" : "the last " + Math.round(kept / 60) + " min";
  const xs = s.map((x) => x.t / 1000);
  heapChart(s);

  const sites = keysOf(s, (x) => x.threadsBySite, (v) => v, 5);
  chart("threads", "live threads" + (sites.length ? " (by creation site while leaking)" : ""), xs, [
    { label: "live", values: series(s, "threadsLive") },
    ...sites.map((site) => ({ label: site, values: s.map((x) => (x.threadsBySite || {})[site] ?? null) })),
  ]);

  const routes = keysOf(s, (x) => x.httpRoutes, (r) => r.requestsPerSecond, ROUTES);
  const byRoute = (key) => routes.map((route) => ({ label: route, values: s.map((x) => ((x.httpRoutes || {})[route] || {})[key] ?? null) }));
  chart("http", "HTTP requests/s", xs, [{ label: "all", values: series(s, "httpRequestsPerSecond") }, ...byRoute("requestsPerSecond")], "no HTTP request seen in " + span);
  chart("errors", "HTTP 5xx share", xs, [{ label: "all", values: series(s, "httpErrorShare") }, ...byRoute("errorShare")], "no HTTP request seen in " + span);
  chart("latency", "HTTP p95 (ms)", xs, [{ label: "all", values: series(s, "httpP95Ms") }, ...byRoute("p95Ms")], "no HTTP request seen in " + span);

  chart("grpc", "gRPC calls/s and streams open", xs, [
    { label: "calls/s", values: series(s, "grpcCallsPerSecond") },
    { label: "streams open", values: series(s, "grpcStreamsOpen") },
  ], "no gRPC call seen in " + span);
  chart("grpc-errors", "gRPC failing share", xs, [{ label: "all", values: series(s, "grpcErrorShare") }], "no gRPC call seen in " + span);
  chart("grpc-latency", "gRPC p95 (ms)", xs, [{ label: "all", values: series(s, "grpcP95Ms") }], "no gRPC call seen in " + span);

  chart("ws", "WebSocket sessions open", xs, [{ label: "open", values: series(s, "wsOpen") }], "no WebSocket session seen");
  const codes = keysOf(s, (x) => x.wsDisconnectsPerSecondByCode, (v) => v, 8).sort();
  chart("ws-codes", "WebSocket disconnects/s by close code", xs,
    codes.map((c) => ({ label: "code " + c, values: s.map((x) => (x.wsDisconnectsPerSecondByCode || {})[c] ?? 0) })),
    "no WebSocket disconnect in " + span);

  const pool = keysOf(s, (x) => x.pools, () => 1, 1)[0];
  const pools = s.map((x) => (x.pools || {})[pool] || {});
  chart("pools", "pool " + pool + ": active, idle, waiting", xs, [
    { label: "active", values: pools.map((p) => p.active ?? null) },
    { label: "idle", values: pools.map((p) => p.idle ?? null) },
    { label: "waiting", values: pools.map((p) => p.waiting ?? null) },
  ], "no connection pool seen");
  chart("gc", "GC share and CPU (of all cores)", xs, [
    { label: "GC", values: series(s, "gcShare") },
    { label: "CPU", values: series(s, "cpuShare") },
  ]);
}

/** Collapsed stacks ("a;b;c 12") as the tree d3-flame-graph draws. */
function tree(lines) {
  const root = { name: "all", value: 0, children: [] };
  for (const line of lines) {
    const cut = line.lastIndexOf(" ");
    const n = Number(line.slice(cut + 1));
    if (cut < 0 || !Number.isFinite(n)) continue;
    let node = root;
    node.value += n;
    for (const frame of line.slice(0, cut).split(";")) {
      let next = node.children.find((c) => c.name === frame);
      if (!next) { next = { name: frame, value: 0, children: [] }; node.children.push(next); }
      next.value += n;
      node = next;
    }
  }
  return root;
}

function flame(profile) {
  const host = document.getElementById("flame");
  const lines = profile.collapsed || [];
  host.replaceChildren();
  document.getElementById("flame-note").textContent =
    profile.samples + " samples over " + profile.seconds + " s, " + lines.length + " distinct stacks; click a frame to zoom";
  const chartFn = flamegraph().width(Math.max(300, host.clientWidth || 600)).cellHeight(18).transitionDuration(200);
  select(host).datum(tree(lines)).call(chartFn);
  host.dataset.stacks = String(lines.length);
}

/** The incident bundles, each with a download that sends the token (a bundle holds stacks). */
function renderIncidents(answer) {
  const host = document.getElementById("incidents");
  const list = answer.incidents || [];
  host.dataset.count = String(list.length);
  if (!list.length) {
    host.replaceChildren(el("p", { class: "muted" }, "No incident bundle: one is written when a finding goes "
      + ((report && report.signals.incidents && report.signals.incidents.on) || "CRITICAL") + "."));
    return;
  }
  const table = el("table", { class: "incidents" },
    el("tr", {}, el("th", {}, "time"), el("th", {}, "code"), el("th", {}, "severity"), el("th", {}, "size"), el("th", {}, "bundle")));
  for (const i of list) {
    const note = el("span", { class: "muted" });
    const button = el("button", { "data-name": i.name, onclick: () => download(i.name, note) }, "download");
    table.append(el("tr", {}, el("td", {}, i.time), el("td", {}, i.code), el("td", {}, i.severity),
      el("td", {}, Math.max(1, Math.round(i.bytes / 1024)) + " KiB"), el("td", {}, button, " ", note)));
  }
  host.replaceChildren(table);
}

/** The autopilot's rules, then one row per run, most recent first. */
function renderAutopilot(section) {
  const host = document.getElementById("autopilot");
  const rules = (section && section.rules) || [];
  const runs = (section && section.runs) || [];
  host.dataset.runs = String(runs.length);
  if (!rules.length) {
    host.replaceChildren(el("p", { class: "muted" }, "No autopilot rule: a remedy runs only when a person asks."));
    return;
  }
  const head = el("p", {}, "mode " + section.mode + ", at most one run per rule every " + section.every + ": "
    + rules.map((r) => r.code + " = " + r.action + " (" + r.state + (r.recurring ? ", recurring" : "") + ")").join("; "));
  const table = el("table", { class: "incidents autopilot" },
    el("tr", {}, ...["time", "code", "action", "mode", "outcome", "figure", "result"].map((h) => el("th", {}, h))));
  for (const r of runs) {
    const f = r.figures || {};
    table.append(el("tr", { class: "run" }, el("td", {}, r.time), el("td", {}, r.code), el("td", {}, r.action),
      el("td", {}, r.mode), el("td", {}, r.outcome + (r.reason ? ": " + r.reason : "")),
      el("td", {}, f.figure + " " + f.before + (f.after !== undefined ? " \u2192 " + f.after : "")),
      el("td", {}, r.result ? JSON.stringify(r.result) : "")));
  }
  host.replaceChildren(head, table);
}

async function download(name, note) {
  if (!token) { note.textContent = "set the token first: a bundle holds stacks and a recording"; return; }
  let r;
  try {
    r = await fetch(base + "/incidents/" + encodeURIComponent(name), { headers: { Authorization: "Bearer " + token } });
  } catch (e) {
    note.textContent = "no answer from the admin listener: " + e.message;
    return;
  }
  if (!r.ok) { note.textContent = "HTTP " + r.status; return; }
  const url = URL.createObjectURL(await r.blob());
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  note.textContent = "downloaded";
}

async function refresh() {
  try {
    renderReport(await getJson(""));
    renderAutopilot(report.autopilot);
    renderHistory(await getJson("/history"));
    renderIncidents(await getJson("/incidents"));
    document.getElementById("problem").textContent = "";
    document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
  } catch (e) {
    document.getElementById("problem").textContent = "could not read the report: " + e.message;
  }
}

async function setup() {
  document.getElementById("text").hidden = true; // the script runs: the live view replaces it
  document.getElementById("live").hidden = false;
  document.getElementById("use-token").addEventListener("click", () => {
    const input = document.getElementById("token");
    token = input.value.trim() || null;
    input.value = "";
    document.getElementById("token-state").textContent = token ? "token set (in this page only)" : "no token";
  });
  document.getElementById("jdbc").addEventListener("click", async () => {
    document.getElementById("tools-answer").textContent = JSON.stringify(await getJson("/jdbc"), null, 2);
  });
  try {
    actionParams = new Map((await getJson("/actions")).actions.map((a) => [a.name, a.params]));
  } catch (e) {
    document.getElementById("problem").textContent = "could not read the actions: " + e.message;
  }
  const tools = document.getElementById("tools");
  for (const name of [NAMES.threadDump, NAMES.cpuProfile, NAMES.incident]) if (actionParams.has(name)) tools.append(actionForm(name));
  // each refresh after the last has answered: a slow one never overlaps the next
  const again = async () => { await refresh(); setTimeout(again, 10000); };
  await again();
}

setup();
