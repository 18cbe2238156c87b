// Browser tests of the dashboard (docs/design/web.md): real `weft serve`
// processes for two instances on free loopback ports, Debian's Chromium driven by
// playwright-core. Screenshots of each page go to OUT_DIR/screenshots.
// Usage: node dashboard.test.mjs WEFT_BINARY OUT_DIR CHROMIUM
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";

const [weftArg, outArg, chromiumPath] = process.argv.slice(2);
const weft = resolve(weftArg);
const out = resolve(outArg);
const { chromium } = createRequire(join(out, "/"))("playwright-core");
const shots = join(out, "screenshots");
mkdirSync(shots, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), "weft-browser-"));
const servers = [];
let browser;
const started = Date.now();
const DEADLINE_MS = 240_000;  // the whole test, whatever hangs

function cli(store, ...args) {
  return execFileSync(weft, ["--store", join(dir, store), ...args],
                      { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
}
function source(store, text) {
  const file = join(dir, `${store}-${Date.now()}-${Math.random()}.weft`);
  writeFileSync(file, text + "\n");
  cli(store, "add", file);
  cli(store, "commit", "-m", "edit on " + store);
}

// Starts `weft serve` on a free port and resolves with its URL.
function serve(store, ...flags) {
  return new Promise((resolve, reject) => {
    const p = spawn(weft, ["--store", join(dir, store), "serve", "--listen", "127.0.0.1:0", "--quiet", ...flags],
                    { stdio: ["ignore", "pipe", "inherit"] });
    servers.push(p);
    let text = "";
    const timer = setTimeout(() => reject(new Error(`weft serve for ${store} did not start in 15 s`)), 15_000);
    p.stdout.on("data", (chunk) => {
      text += chunk;
      const m = text.match(/serving at (https?:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    p.on("exit", (code) => { clearTimeout(timer); reject(new Error(`weft serve for ${store} exited ${code}`)); });
  });
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  for (const p of servers) p.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
const watchdog = setTimeout(async () => {
  console.error(`browser tests: over ${DEADLINE_MS / 1000} s, stopping`);
  await cleanup();
  process.exit(1);
}, DEADLINE_MS);

const results = [];
async function step(name, fn) {
  const t0 = Date.now();
  await fn();
  results.push(name);
  console.log(`ok  ${name}  (${Date.now() - t0} ms)`);
}

// Navigates and waits until the view's content is in; returns the milliseconds.
async function load(page, url, selector) {
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector(selector, { timeout: 10_000 });
  return Date.now() - t0;
}

try {
  cli("a", "init", "--name", "laptop");
  cli("b", "init", "--name", "desktop");
  const urlA = await serve("a");
  const urlB = await serve("b");
  cli("a", "peer", "add", "desktop", urlB);
  cli("b", "peer", "add", "laptop", urlA);
  source("a", 'fn Demo.Greet.hello name = "Hello, " ++ name\nfn Demo.Greet.loud name = Demo.Greet.hello name ++ "!"');
  cli("a", "sync", "desktop");

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const pageA = await context.newPage();
  const pageB = await context.newPage();
  const errors = [];
  for (const p of [pageA, pageB]) {
    p.on("pageerror", (e) => errors.push(e.message));
    p.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  }

  await step("the overview shows each instance and its peer", async () => {
    const ms = await load(pageA, urlA + "/#/overview", "#overview-cards");
    assert.equal(await pageA.textContent("#instance"), "laptop");
    assert.match(await pageA.textContent("#overview-cards"), /laptop/);
    assert.match(await pageA.textContent("#overview-peers"), /desktop/);
    await pageA.screenshot({ path: join(shots, "overview-laptop.png"), fullPage: true });
    await load(pageB, urlB + "/#/overview", "#overview-cards");
    assert.equal(await pageB.textContent("#instance"), "desktop");
    assert.match(await pageB.textContent("#overview-cards"), /desktop/);
    await pageB.screenshot({ path: join(shots, "overview-desktop.png"), fullPage: true });
    console.log(`    overview loaded in ${ms} ms`);
  });

  await step("peers show address, reachability, the sparkline and sync now", async () => {
    await load(pageA, urlA + "/#/peers", ".peer[data-peer=desktop]");
    await pageA.waitForSelector(".peer[data-peer=desktop] .reach.ok", { timeout: 10_000 });
    assert.match(await pageA.textContent(".peer[data-peer=desktop] .reach"), /reachable: 0 to pull, 0 to push/);
    assert.equal(await pageA.locator(".peer[data-peer=desktop] svg.spark rect").count(), 1);
    await pageA.click(".peer[data-peer=desktop] button");
    await pageA.waitForFunction(() => document.querySelectorAll(".peer svg.spark rect").length === 2, null, { timeout: 10_000 });
    await pageA.screenshot({ path: join(shots, "peers.png"), fullPage: true });
  });

  await step("a race appears without a reload and is resolved by keep theirs", async () => {
    await load(pageA, urlA + "/#/races", "#no-races");
    await load(pageB, urlB + "/#/races", "#no-races");
    await pageA.evaluate(() => { window.notReloaded = true; });
    await pageB.evaluate(() => { window.notReloaded = true; });
    source("a", 'fn Demo.Greet.hello name = "Hi, " ++ name');
    source("b", 'fn Demo.Greet.hello name = "Good day, " ++ name');
    cli("b", "sync", "laptop");  // over HTTP into a's server: a's heads move
    await pageA.waitForSelector("#races a.race", { timeout: 15_000 });
    assert.equal(await pageA.evaluate(() => window.notReloaded), true);
    assert.match(await pageA.textContent("#races"), /Demo\.Greet\.hello/);
    await pageA.screenshot({ path: join(shots, "races.png"), fullPage: true });
    await pageA.click("#races a.race");
    await pageA.waitForSelector(".sides .side >> nth=1");
    const sides = await pageA.textContent(".sides");
    assert.match(sides, /Hi, /);
    assert.match(sides, /Good day, /);
    assert.match(await pageA.textContent("pre.diff"), /Good day/);
    await pageA.screenshot({ path: join(shots, "race-detail.png"), fullPage: true });
    await pageA.click("text=Keep theirs");
    await pageA.waitForSelector("#no-races", { timeout: 10_000 });
    // The race on hello, and the one on loud tied to it (loud was re-pointed on
    // both sides): one click settles both.
    const resolved = JSON.parse(cli("a", "conflicts", "--all", "--json"));
    assert.deepEqual(resolved.map((c) => c.location).sort(), ["Demo.Greet.hello", "Demo.Greet.loud"]);
    for (const c of resolved) assert.equal(c.state, "resolved", JSON.stringify(c));
    const kept = JSON.parse(cli("a", "show", "Demo.Greet.hello", "--json"));
    assert.match(kept.source, /Good day, /);
  });

  await step("the other instance shows the resolution after its next sync", async () => {
    // desktop saw the race too when it synced; it is settled there once the
    // resolution arrives, and its page updates by itself.
    cli("b", "sync", "laptop");
    await pageB.waitForSelector("#no-races", { timeout: 15_000 });
    assert.equal(await pageB.evaluate(() => window.notReloaded), true);
    const onB = JSON.parse(cli("b", "conflicts", "--all", "--json"));
    assert.equal(onB.length, 2);
    for (const c of onB) assert.equal(c.state, "resolved", JSON.stringify(c));
    await load(pageB, urlB + "/#/item/Demo.Greet.hello", "#item-source");
    assert.match(await pageB.textContent("#item-source"), /Good day, /);
    await pageB.screenshot({ path: join(shots, "item-desktop.png"), fullPage: true });
  });

  await step("the items browser lists modules and a module's names", async () => {
    await load(pageA, urlA + "/#/items", "#modules");
    assert.match(await pageA.textContent("#modules"), /Demo\.Greet\s+2 names/);
    await pageA.click("#modules summary");
    await pageA.waitForSelector("#modules .names li >> nth=1", { timeout: 10_000 });
    assert.deepEqual(await pageA.locator("#modules .names a").allTextContents(),
                     ["Demo.Greet.hello", "Demo.Greet.loud"]);
    await pageA.screenshot({ path: join(shots, "items-modules.png"), fullPage: true });
  });

  await step("an item search finds a name, and its page links its dependents", async () => {
    await load(pageA, urlA + "/#/items", "#item-search");
    await pageA.fill("#item-search", "loud");
    await pageA.waitForSelector("#found a", { timeout: 10_000 });
    assert.match(await pageA.textContent("#found"), /Demo\.Greet\.loud/);
    await pageA.screenshot({ path: join(shots, "items-search.png"), fullPage: true });
    await pageA.click("#found a");
    await pageA.waitForSelector("#item-source");
    assert.match(await pageA.textContent("main"), /Demo\.Greet\.hello/);  // its dependency, as a link
  });

  await step("the log lists changes and filters by instance", async () => {
    await load(pageA, urlA + "/#/log?instance=desktop", "#log details");
    const text = await pageA.textContent("#log");
    assert.match(text, /desktop/);
    assert.doesNotMatch(text, /laptop/);
    await pageA.click("#log details >> nth=0");
    await pageA.screenshot({ path: join(shots, "log.png"), fullPage: true });
  });

  await step("a state change without the CSRF token, or from another site, is refused", async () => {
    const noToken = await pageA.evaluate(async () =>
      (await fetch("/v1/peers/desktop/sync", { method: "POST", body: "{}" })).status);
    assert.equal(noToken, 403);
    const session = await pageA.evaluate(async () => (await fetch("/v1/session")).json());
    const withToken = await pageA.evaluate(async (csrf) =>
      (await fetch("/v1/peers/desktop/sync", { method: "POST", body: "{}", headers: { "X-Weft-CSRF": csrf } })).status,
      session.csrf);
    assert.equal(withToken, 200);
    // A page of another site (no CSP of ours) whose script posts to laptop's
    // server: a form (no preflight) and a no-cors fetch. Neither may sync.
    const before = JSON.parse(cli("a", "sync", "events", "--json")).length;
    const evil = createServer((req, res) => {
      res.setHeader("Content-Type", "text/html");
      res.end(`<form id=f method=POST action="${urlA}/v1/peers/desktop/sync" enctype="text/plain">
        <input name='{"a":"' value='"}'></form>
        <script>fetch("${urlA}/v1/peers/desktop/sync", {method: "POST", mode: "no-cors", body: "{}"})
          .finally(() => document.getElementById("f").submit());</script>`);
    });
    await new Promise((ok) => evil.listen(0, "127.0.0.1", ok));
    const evilPage = await context.newPage();
    const answered = evilPage.waitForResponse((r) => r.url().endsWith("/v1/peers/desktop/sync") &&
                                              r.request().resourceType() === "document", { timeout: 10_000 });
    await evilPage.goto(`http://127.0.0.1:${evil.address().port}/`);
    assert.equal((await answered).status(), 403);
    assert.match(await evilPage.textContent("body"), /another site/);
    await evilPage.close();
    evil.close();
    assert.equal(JSON.parse(cli("a", "sync", "events", "--json")).length, before);
  });

  await step("from another machine (TLS) a browser needs the login token's cookie", async () => {
    const tlsUrl = await serve("a", "--tls");
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(tlsUrl + "/");
    await page.waitForSelector("#login:not([hidden])", { timeout: 10_000 });
    assert.equal(await page.isVisible("#nav"), false);  // nothing to navigate before the login
    const refused = await page.evaluate(async () => (await fetch("/v1/overview")).status);
    assert.equal(refused, 401);
    await page.screenshot({ path: join(shots, "login.png"), fullPage: true });
    await page.fill("#login-token", "0".repeat(64));
    await page.click("#login-form button");
    await page.waitForSelector("#login-error:not(:empty)");
    const token = JSON.parse(cli("a", "dashboard", "token", "--json")).token;
    await page.fill("#login-token", token);
    await page.click("#login-form button");
    await page.waitForSelector("#overview-cards", { timeout: 10_000 });
    const cookies = await ctx.cookies();
    const login = cookies.find((c) => c.name === "weft_login");
    assert.ok(login && login.httpOnly && login.secure && login.sameSite === "Strict");
    assert.equal(await page.evaluate(() => document.cookie), "");  // HttpOnly: not readable by script
    // A new token retires the old one at once.
    cli("a", "dashboard", "token");
    assert.equal(await page.evaluate(async () => (await fetch("/v1/overview")).status), 401);
    await ctx.close();
  });

  await step("the pages fit a phone's screen", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    for (const [name, hash, sel] of [["phone-overview", "#/overview", "#overview-cards"],
                                     ["phone-item", "#/item/Demo.Greet.hello", "#item-source"]]) {
      await load(page, urlA + "/" + hash, sel);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} is ${overflow} px wider than the screen`);
      await page.screenshot({ path: join(shots, name + ".png"), fullPage: true });
    }
    await phone.close();
  });

  assert.deepEqual(errors, [], "the pages logged no script errors");
  console.log(`browser tests: ${results.length} passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`);
  clearTimeout(watchdog);
  await cleanup();
} catch (e) {
  console.error("browser tests FAILED:", e && e.stack ? e.stack : e);
  clearTimeout(watchdog);
  await cleanup();
  process.exit(1);
}
