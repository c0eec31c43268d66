// Drives /debug/nova/ui in Debian's headless Chromium (playwright-core), as a person would, and
// prints what it saw as one JSON line; the Java test (UiBrowserIT) asserts on it.
//   node test/page-check.mjs <leak|heap|traffic|pool|grpc> <admin base URL> <token> <screenshot.png>
import { chromium } from "playwright-core";

const [mode, base, token, shot] = process.argv.slice(2);
const WAIT = { timeout: 60000 };
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** The points each line of a plot has, as the page wrote them on the plot's element. */
async function lines(page, id) {
  return JSON.parse((await page.getAttribute("#" + id, "data-series")) || "{}");
}

/** Waits until a plot has a line whose label passes {@code label} with at least {@code n} points. */
async function awaitLine(page, id, label, n) {
  await page.waitForFunction(([id, label, n]) => {
    const s = JSON.parse(document.getElementById(id).dataset.series || "{}");
    return Object.entries(s).some(([k, v]) => k.includes(label) && v >= n);
  }, [id, label, n], WAIT);
}

try {
  // a phone's width, but for the traffic run, which is a desktop's
  const viewport = mode === "traffic" ? { width: 1280, height: 900 } : { width: 390, height: 844 };
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  const outside = [];
  const urls = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text() + " @ " + JSON.stringify(m.location())); });
  page.on("pageerror", (e) => errors.push(String(e) + " " + (e.stack || "")));
  page.on("request", (r) => { urls.push(r.url()); if (!r.url().startsWith(base + "/")) outside.push(r.url()); });
  await page.goto(base + "/debug/nova/ui");
  if (mode !== "traffic") await page.waitForSelector(".finding .code", WAIT); // the host's fault
  await awaitLine(page, "heap", "after GC", 2);
  const seen = { mode, errors, outside };
  seen.heapPoints = (await lines(page, "heap"))["after GC (MiB)"];

  if (mode === "leak") {
    await awaitLine(page, "threads", "MemoryHost.startWorker", 1);
    seen.threads = await lines(page, "threads");
    seen.httpShown = await page.textContent("#http"); // a host without HTTP: words, no empty plot
    const leak = page.locator('.finding[data-code="THREAD_LEAK"]');
    await page.fill("#token", "not-the-token");
    await page.click("#use-token");
    const dry = leak.locator("button.dry").first();
    seen.dryName = await dry.textContent();
    await dry.click();
    await leak.locator(".answer.error").waitFor(WAIT);
    seen.wrong = await leak.locator(".answer.error").textContent();

    await page.fill("#token", token);
    await page.click("#use-token");
    await dry.click();
    await leak.locator(".answer:not(.error):not([hidden])").waitFor(WAIT);
    seen.answer = await leak.locator(".answer").textContent();
    // at a phone's width nothing, an answer included, is wider than the screen: no sideways scroll
    seen.overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    // the answer is still there after the page's next refresh (every 10 s)
    const refreshes = Number(await page.getAttribute("body", "data-refreshes"));
    await page.waitForFunction((n) => Number(document.body.dataset.refreshes) > n, refreshes, WAIT);
    seen.answerAfterRefresh = await leak.locator(".answer").textContent();
    seen.stored = await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
  } else if (mode === "heap") {
    await awaitLine(page, "heap", "trend", 2);
    seen.heap = await lines(page, "heap");
    seen.heapNote = await page.textContent("#heap-note");
    seen.codes = await page.$$eval(".finding .code", (els) => els.map((e) => e.textContent));
  } else if (mode === "grpc") {
    await awaitLine(page, "grpc", "calls/s", 2);
    await awaitLine(page, "grpc-errors", "all", 1);
    await awaitLine(page, "grpc-latency", "all", 1);
    seen.plots = {};
    for (const id of ["grpc", "grpc-errors", "grpc-latency"]) seen.plots[id] = await lines(page, id);
    seen.grpcErrorPeak = JSON.parse(await page.getAttribute("#grpc-errors", "data-peaks")).all;
    seen.httpShown = await page.textContent("#http");
  } else if (mode === "traffic") {
    await awaitLine(page, "latency", "/api/v1/streams/{id}", 2);
    await awaitLine(page, "errors", "/fail", 1);
    await awaitLine(page, "ws-codes", "code 1006", 1);
    await awaitLine(page, "ws-codes", "code 1000", 1);
    seen.plots = {};
    for (const id of ["heap", "http", "errors", "latency", "ws", "ws-codes", "gc", "threads"]) seen.plots[id] = await lines(page, id);
    await page.fill("#token", token);
    await page.click("#use-token");
    const profile = page.locator('#tools [data-action="cpu-profile"]');
    await profile.locator('input[name="seconds"]').fill("2");
    await profile.locator("button.dry").click();
    await profile.locator("button.run:not([hidden])").waitFor(WAIT);
    seen.profileDry = await profile.locator(".answer").textContent();
    // a parameter changed after the dry run: the run is hidden until a dry run answers for it
    await profile.locator('input[name="seconds"]').fill("3");
    seen.runHiddenAfterChange = await profile.locator("button.run").isHidden();
    await profile.locator("button.dry").click();
    await profile.locator("button.run:not([hidden])").waitFor(WAIT);
    await profile.locator("button.run").click();
    await page.waitForFunction(() => Number(document.getElementById("flame").dataset.stacks) > 0, null, WAIT);
    // drawn once the frames have grown to their width (d3-flame-graph animates them)
    await page.waitForFunction(() => [...document.querySelectorAll("#flame .d3-flame-graph-label")]
      .filter((l) => l.textContent.length > 0 && l.getBoundingClientRect().width > 0).length >= 3, null, WAIT);
    seen.flameFrames = await page.$$eval("#flame svg g.frame", (els) => els.length);
    await page.locator("#wide-flame").screenshot({ path: shot.replace(/\.png$/, "-flame.png") });
    seen.flameNames = await page.$$eval("#flame svg g.frame", (els) => els.slice(0, 400).map((e) => e.getAttribute("name")));
    seen.flameNote = await page.textContent("#flame-note");
    seen.runHiddenAfterRun = await profile.locator("button.run").isHidden(); // one run per dry run
    seen.flameLabels = await page.$$eval("#flame .d3-flame-graph-label", (els) => els.filter((l) => l.textContent).length);
  } else if (mode === "pool") {
    await awaitLine(page, "pools", "active", 2);
    seen.pools = await lines(page, "pools");
    seen.poolPeaks = JSON.parse(await page.getAttribute("#pools", "data-peaks"));
    seen.poolTitle = await page.textContent("#pools .u-title");
    await page.click("#jdbc"); // who holds the pool: a read, no token needed
    await page.waitForFunction(() => document.getElementById("tools-answer").textContent.includes("borrowedAt"), null, WAIT);
    seen.holders = await page.textContent("#tools-answer");
    await page.fill("#token", token);
    await page.click("#use-token");
    const close = page.locator('.finding[data-code="DB_CONNECTION_LEAK"] [data-action="connection-close-leaked"]');
    await close.locator('input[name="olderThan"]').fill("100ms");
    await close.locator("button.dry").click();
    await close.locator("button.run:not([hidden])").waitFor(WAIT);
    seen.closeDry = await close.locator(".answer").textContent();
    await close.locator("button.run").click();
    await page.waitForFunction(() => {
      const a = document.querySelector('[data-action="connection-close-leaked"] .answer');
      return a && a.textContent.includes('"closed"');
    }, null, WAIT);
    seen.closeRun = await close.locator(".answer").textContent();
    const dump = page.locator('#tools [data-action="thread-dump"]');
    await dump.locator("button.dry").click();
    await dump.locator("button.run:not([hidden])").waitFor(WAIT);
    await dump.locator("button.run").click();
    await page.waitForFunction(() => {
      const a = document.querySelector('#tools [data-action="thread-dump"] .answer');
      return a && a.textContent.includes('"threads"');
    }, null, WAIT);
    seen.dump = (await dump.locator(".answer").textContent()).slice(0, 20000);
    // an incident bundle written from the tools, listed at the next refresh, downloaded with the token
    const incident = page.locator('#tools [data-action="incident"]');
    await incident.locator("button.dry").click();
    await incident.locator("button.run:not([hidden])").waitFor(WAIT);
    await incident.locator("button.run").click();
    await page.waitForFunction(() => Number(document.getElementById("incidents").dataset.count) > 0, null, WAIT);
    const [file] = await Promise.all([page.waitForEvent("download", WAIT), page.click("#incidents button[data-name]")]);
    seen.incidentFile = file.suggestedFilename();
    const { statSync } = await import("node:fs");
    seen.incidentBytes = statSync(await file.path()).size;
    seen.incidentListed = await page.textContent("#incidents");
    // the autopilot's dry runs of its rule, a row each
    await page.waitForFunction(() => Number(document.getElementById("autopilot").dataset.runs) > 0, null, WAIT);
    seen.autopilot = await page.textContent("#autopilot");
  }
  seen.codes = await page.$$eval(".finding .code", (els) => els.map((e) => e.textContent));
  seen.tokenInUrl = urls.some((u) => u.includes(token));
  await page.screenshot({ path: shot, fullPage: true });

  if (mode === "leak") {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const p2 = await plain.newPage();
    await p2.goto(base + "/debug/nova/ui");
    seen.text = (await p2.textContent("#text pre")).slice(0, 4000);
    seen.liveHidden = await p2.getAttribute("#live", "hidden");
  }
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
