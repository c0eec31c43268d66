// The page at /debug/nova/ui. Everything comes from the admin listener that served it; the token
// lives in this page's memory only, sent in the Authorization header, never in a URL or storage.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import flamegraph from "d3-flame-graph";
import "./node_modules/d3-flame-graph/dist/d3-flamegraph.css";
import { select } from "d3-selection";
import "./page.css";

const base = "/debug/nova";
let token = null;
const charts = new Map();

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
  const r = await fetch(base + "/actions/" + action + (q ? "?" + q : ""), {
    method: "POST",
    headers: token ? { Authorization: "Bearer " + token } : {},
  });
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

function actionButtons(names, where) {
  const out = el("div");
  for (const name of names) {
    const answer = el("pre", { class: "answer", hidden: "" });
    const run = el("button", { hidden: "" }, "run " + name);
    const dry = el("button", { class: "dry", onclick: async () => {
      const r = await post(name, { dryRun: "true" });
      answer.hidden = false;
      answer.textContent = (r.status === 200 ? "" : "HTTP " + r.status + ": ") + JSON.stringify(r.body, null, 2);
      answer.className = r.status === 200 ? "answer" : "answer error";
      run.hidden = r.status !== 200;
    } }, "dry run " + name);
    run.addEventListener("click", async () => {
      const r = await post(name, {});
      answer.textContent = (r.status === 200 ? "" : "HTTP " + r.status + ": ") + JSON.stringify(r.body, null, 2);
      if (name === "cpu-profile" && r.status === 200) flame(r.body.collapsed || []);
    });
    out.append(dry, run, answer);
  }
  where.append(out);
}

function renderReport(report) {
  const sev = document.getElementById("severity");
  sev.textContent = report.severity;
  sev.className = "sev " + report.severity;
  const list = document.getElementById("findings");
  list.replaceChildren();
  if (!report.findings.length) list.append(el("p", { class: "muted" }, "No finding: nothing in the runbook applies now."));
  for (const f of report.findings) {
    const d = el("div", { class: "finding" },
      el("span", { class: "sev " + f.severity }, f.severity), " ",
      el("span", { class: "code" }, f.code), " ",
      el("span", { class: "title" }, f.title));
    d.append(evidence(f.evidence));
    actionButtons(f.actions, d);
    list.append(d);
  }
}

function series(samples, key) {
  return samples.map((s) => (s[key] === undefined || s[key] === null ? null : s[key]));
}

function chart(id, title, samples, lines) {
  const host = document.getElementById(id);
  const xs = samples.map((s) => s.t / 1000);
  const data = [xs, ...lines.map((l) => l.values)];
  const width = Math.max(280, host.clientWidth || 320);
  const opts = {
    title, width, height: 180,
    series: [{}, ...lines.map((l, i) => ({ label: l.label, stroke: ["#2b6cb0", "#d9480f", "#2f855a", "#6b46c1"][i % 4] }))],
  };
  const old = charts.get(id);
  if (old) old.destroy();
  host.replaceChildren();
  charts.set(id, new uPlot(opts, data, host));
  host.dataset.points = String(xs.length);
}

function renderHistory(h) {
  const s = h.samples;
  chart("heap", "heap after GC (MiB)", s, [
    { label: "after GC", values: series(s, "heapAfterGcBytes").map((v) => (v == null ? null : v / 1048576)) },
    { label: "max", values: series(s, "heapMaxBytes").map((v) => (v == null ? null : v / 1048576)) },
  ]);
  chart("threads", "live threads", s, [{ label: "live", values: series(s, "threadsLive") }]);
  chart("http", "HTTP requests/s and 5xx share", s, [
    { label: "req/s", values: series(s, "httpRequestsPerSecond") },
    { label: "5xx share", values: series(s, "httpErrorShare") },
  ]);
  chart("latency", "HTTP p95 (ms)", s, [{ label: "p95", values: series(s, "httpP95Ms") }]);
  chart("ws", "WebSocket sessions open", s, [{ label: "open", values: series(s, "wsOpen") }]);
  const pools = s.map((x) => Object.values(x.pools || {})[0] || {});
  chart("pools", "pool (first): active, idle, waiting", s, [
    { label: "active", values: pools.map((p) => p.active ?? null) },
    { label: "idle", values: pools.map((p) => p.idle ?? null) },
    { label: "waiting", values: pools.map((p) => p.waiting ?? null) },
  ]);
  chart("gc", "GC share and CPU", s, [
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

function flame(lines) {
  const host = document.getElementById("flame");
  host.replaceChildren();
  const chartFn = flamegraph().width(Math.max(300, host.clientWidth || 600)).cellHeight(16);
  select(host).datum(tree(lines)).call(chartFn);
}

async function refresh() {
  try {
    renderReport(await getJson(""));
    renderHistory(await getJson("/history"));
    document.getElementById("problem").textContent = "";
  } catch (e) {
    document.getElementById("problem").textContent = "could not read the report: " + e.message;
  }
}

function setup() {
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
  actionButtons(["thread-dump", "cpu-profile"], document.getElementById("tools"));
  refresh();
  setInterval(refresh, 10000);
}

setup();
