// Drives /debug/nova/ui in Debian's headless Chromium (playwright-core), as a person would, and
// prints what it saw as one JSON line; the Java test (UiBrowserIT) asserts on it.
import { chromium } from "playwright-core";

const [base, token, shot] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } }); // a phone
  const page = await context.newPage();
  const errors = [];
  const outside = [];
  const urls = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { urls.push(r.url()); if (!r.url().startsWith(base + "/")) outside.push(r.url()); });
  await page.goto(base + "/debug/nova/ui");
  await page.waitForSelector(".finding .code", { timeout: 60000 });
  const codes = await page.$$eval(".finding .code", (els) => els.map((e) => e.textContent));
  await page.waitForFunction(() => Number(document.getElementById("heap").dataset.points) >= 2, null, { timeout: 60000 });
  const heapPoints = Number(await page.getAttribute("#heap", "data-points"));

  await page.fill("#token", "not-the-token");
  await page.click("#use-token");
  const dry = page.locator(".finding button.dry").first();
  const dryName = await dry.textContent();
  await dry.click();
  await page.waitForSelector(".finding .answer.error", { timeout: 30000 });
  const wrong = await page.textContent(".finding .answer.error");

  await page.fill("#token", token);
  await page.click("#use-token");
  await page.locator(".finding button.dry").first().click();
  await page.waitForFunction(() => {
    const a = document.querySelector(".finding .answer");
    return a && !a.hidden && !a.classList.contains("error");
  }, null, { timeout: 30000 });
  const answer = await page.textContent(".finding .answer");
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
  const tokenInUrl = urls.some((u) => u.includes(token));
  await page.screenshot({ path: shot, fullPage: true });

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await plain.newPage();
  await p2.goto(base + "/debug/nova/ui");
  const text = await p2.textContent("#text pre");
  const liveHidden = await p2.getAttribute("#live", "hidden");
  console.log(JSON.stringify({ codes, heapPoints, errors, outside, dryName, wrong, answer, stored, tokenInUrl,
    text: text.slice(0, 4000), liveHidden }));
} finally {
  await browser.close();
}
