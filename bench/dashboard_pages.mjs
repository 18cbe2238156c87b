// Page loads of the dashboard on a large store (docs/design/web.md): `weft serve`
// on the store, Debian's Chromium driven by playwright-core, each page opened
// fresh (a navigation, not a click) RUNS times; prints a JSON summary with the
// median and the slowest load of each page, in milliseconds. A load ends when
// the view's content is in the page (every API call it waits on answered).
// Usage: node dashboard_pages.mjs WEFT STORE_DIR NODE_MODULES_DIR [RUNS]
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { resolve, join } from "node:path";

const [weftArg, storeArg, modulesArg, runsArg] = process.argv.slice(2);
const weft = resolve(weftArg), store = resolve(storeArg);
const runs = Number(runsArg || 7);
const { chromium } = createRequire(join(resolve(modulesArg), "/"))("playwright-core");

const server = spawn(weft, ["--store", store, "serve", "--listen", "127.0.0.1:0", "--quiet"],
                     { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((ok, fail) => {
  let text = "";
  const timer = setTimeout(() => fail(new Error("weft serve did not start in 30 s")), 30_000);
  server.stdout.on("data", (c) => {
    text += c;
    const m = text.match(/serving at (\S+)/);
    if (m) { clearTimeout(timer); ok(m[1]); }
  });
});
let browser;
try {
  // A name of the store, for the item page and the search.
  const names = await (await fetch(url + "/v1/names?limit=1")).json();
  const name = names[0].location;
  const last = name.slice(name.lastIndexOf(".") + 1);
  const pages = [
    ["overview", "#/overview", "#overview-cards"],
    ["peers", "#/peers", "main > *"],
    ["races", "#/races", "main > *"],
    ["items (modules)", "#/items", "#modules"],
    ["items (search)", "#/items?q=" + encodeURIComponent(last.slice(0, 3)), "#found"],
    ["item", "#/item/" + encodeURIComponent(name), "#item-source"],
    ["log", "#/log", "#log"],
    ["log (by instance)", "#/log?instance=" + encodeURIComponent((await (await fetch(url + "/v1/session")).json()).instance), "#log"],
  ];
  browser = await chromium.launch({
    executablePath: process.env.WEFT_CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  const result = {};
  for (const [label, hash, selector] of pages) {
    const times = [];
    for (let i = 0; i <= runs; ++i) {
      // From a page of the same origin (a small asset), so that each load is a
      // whole page load but not a new renderer process, as between two pages of
      // a site; the hash differs each time, so nothing is a same-document jump.
      await page.goto(url + "/app.css");
      await page.goto(url + "/" + hash, { waitUntil: "commit" });
      // The page's own clock (from the navigation's start) at the first frame
      // that shows the content: what a person waits, without the driver's turns.
      const at = await page.waitForFunction(
        (sel) => document.querySelector(sel) && performance.now(), selector,
        { polling: "raf", timeout: 30_000 });
      if (i > 0) times.push(await at.jsonValue());  // the first warms the server's caches
    }
    times.sort((a, b) => a - b);
    result[label] = { median_ms: Math.round(times[Math.floor(times.length / 2)]),
                      max_ms: Math.round(times[times.length - 1]) };
  }
  // And each API call alone, from here (the server's share of a page).
  const api = {};
  for (const path of ["/v1/session", "/v1/overview", "/v1/peers", "/v1/conflicts", "/v1/modules",
                      "/v1/names?limit=200", "/v1/find?q=" + encodeURIComponent(last.slice(0, 3)),
                      "/v1/item?name=" + encodeURIComponent(name), "/v1/log?limit=50"]) {
    const times = [];
    for (let i = 0; i <= runs; ++i) {
      const t0 = performance.now();
      const r = await fetch(url + path);
      await r.arrayBuffer();
      if (i > 0) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    api[path.split("?")[0]] = Math.round(times[Math.floor(times.length / 2)]);
  }
  const changes = (await (await fetch(url + "/v1/overview")).json()).status.changes;
  console.log(JSON.stringify({ changes, runs, pages: result, api_median_ms: api }, null, 2));
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
}
