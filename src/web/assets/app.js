// The weft dashboard: one page over the JSON API under /v1/ (docs/design/web.md).
// Every text from the store goes into the page as text, never as markup.
"use strict";

const state = { csrf: "", latest: 0, epoch: "", rendering: false, again: false };
const $ = (id) => document.getElementById(id);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const short = (hex) => (hex ? hex.slice(0, 8) : "");
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "never");

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, options = {}) {
  const init = { credentials: "same-origin", headers: {} };
  if (options.body !== undefined || options.post) {
    init.method = "POST";
    init.headers["X-Weft-CSRF"] = state.csrf;
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body || {});
  }
  const res = await fetch(path, init);
  if (res.status === 204) return null;
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, text.trim() || res.statusText);
  return JSON.parse(text);
}

function toast(message, bad) {
  const t = $("toast");
  t.textContent = message;
  t.className = bad ? "error" : "";
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

function card(label, value, cls) {
  return h("div", { class: "card" }, h("div", { class: "k" }, label),
           h("div", { class: "v " + (cls || "") }, value));
}

// ---- overview --------------------------------------------------------------

async function overview() {
  const o = await api("/v1/overview");
  const s = o.status;
  const d = s.daemon;
  const parts = [
    h("h2", {}, "This instance"),
    h("div", { class: "cards", id: "overview-cards" },
      card("instance", s.instance), card("Release", s.release), card("branch", s.branch),
      card("changes in the log", s.changes.toLocaleString()),
      card("projections folded", s.folded.toLocaleString()),
      card("heads", s.heads.map(short).join(" ") || "(none)"),
      card("races awaiting review", s.conflicts_awaiting_review,
           s.conflicts_awaiting_review ? "warning" : ""),
      card("daemon", d.running ? `running since ${when(d.since)}` : "not running",
           d.running ? "ok" : "muted")),
  ];
  if (o.warnings.length) {
    parts.push(h("h2", {}, "Warnings"),
               h("ul", { class: "plain", id: "warnings" },
                 o.warnings.map((w) => h("li", { class: "warning" }, w))));
  }
  parts.push(h("h2", {}, "Peers"));
  if (!s.peers.length) parts.push(h("p", { class: "muted" }, "No sync has run yet."));
  else {
    parts.push(h("div", { class: "scroll" }, h("table", { id: "overview-peers" },
      h("tr", {}, h("th", {}, "peer"), h("th", {}, "last sync"), h("th", {}, "last error")),
      s.peers.map((p) => h("tr", {},
        h("td", {}, h("a", { href: "#/peers" }, p.peer)),
        h("td", {}, p.last_success ? when(p.last_success.at) : "never"),
        h("td", { class: "error" }, p.last_error ? `${when(p.last_error.at)}: ${p.last_error.error}` : ""))))));
  }
  return parts;
}

// ---- peers -----------------------------------------------------------------

function sparkline(events) {
  // Oldest on the left: one bar per cycle, its height the changes moved (log scale).
  const cycles = events.slice().reverse();
  const w = 6, gap = 2, height = 28;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "spark");
  svg.setAttribute("width", String(Math.max(1, cycles.length) * (w + gap)));
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${cycles.length} recent sync cycles`);
  cycles.forEach((e, i) => {
    const moved = e.pulled + e.pushed;
    const bar = e.error ? height : 4 + Math.min(height - 4, Math.log2(1 + moved) * 4);
    const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    r.setAttribute("x", String(i * (w + gap)));
    r.setAttribute("y", String(height - bar));
    r.setAttribute("width", String(w));
    r.setAttribute("height", String(bar));
    r.setAttribute("class", e.error ? "bad" : "good");
    const t = document.createElementNS("http://www.w3.org/2000/svg", "title");
    t.textContent = `${when(e.at)}: ${e.error ? "error: " + e.error : `pulled ${e.pulled}, pushed ${e.pushed}`}`;
    r.append(t);
    svg.append(r);
  });
  return svg;
}

async function syncNow(name, button) {
  button.disabled = true;
  try {
    const r = await api(`/v1/peers/${encodeURIComponent(name)}/sync`, { post: true });
    const p = r.peers[0];
    toast(p.error ? `${name}: ${p.error}` : `${name}: received ${p.received}, sent ${p.sent}`, !!p.error);
  } catch (e) {
    toast(e.message, true);
  }
  button.disabled = false;
  render();
}

async function peers() {
  const list = await api("/v1/peers");
  if (!list.length) return [h("p", { class: "muted" }, "No peers. Add one: weft peer add NAME ADDRESS --id DEVICE")];
  return list.map((row) => {
    const p = row.peer;
    const reach = h("div", { class: "muted reach" }, "checking…");
    api(`/v1/peers/${encodeURIComponent(p.name)}/check`).then((c) => {
      reach.className = c.possible ? "ok reach" : "error reach";
      reach.textContent = c.possible
        ? `reachable: ${c.to_pull} to pull, ${c.to_push} to push`
        : `not reachable: ${c.reason}`;
    }).catch((e) => { reach.className = "error reach"; reach.textContent = e.message; });
    const button = h("button", { type: "button" }, "Sync now");
    button.addEventListener("click", () => syncNow(p.name, button));
    return h("div", { class: "peer", "data-peer": p.name },
      h("h3", {}, p.name),
      h("div", {}, p.address || "(calls in)"),
      h("div", { class: "hash muted" }, p.device_id || ""),
      reach,
      h("div", {}, "last sync: ", row.last_success ? when(row.last_success.at) : "never"),
      row.last_error ? h("div", { class: "error" }, `last error ${when(row.last_error.at)}: ${row.last_error.error}`) : null,
      sparkline(row.recent),
      button);
  });
}

// ---- races -----------------------------------------------------------------

async function races() {
  const list = await api("/v1/conflicts");
  if (!list.length) return [h("p", { class: "muted", id: "no-races" }, "No races awaiting review.")];
  return [h("ul", { class: "plain", id: "races" }, list.map((c) => h("li", {},
    h("a", { href: `#/races/${c.id}`, class: "race" }, c.location), " ",
    h("span", { class: "muted" }, `${c.slot} · ${c.candidates.map((x) => x.instance).join(" vs ")}` +
      (c.dependents.length ? ` · ${c.dependents.length} dependent(s)` : "")))))];
}

async function race(id) {
  const detail = await api(`/v1/conflicts/${id}`);
  const c = detail.conflict;
  const act = async (path, body, done) => {
    try {
      await api(`/v1/conflicts/${c.id}/${path}`, { body });
      toast(done);
      location.hash = "#/races";
    } catch (e) { toast(e.message, true); }
  };
  const side = (x) => h("div", { class: "side" + (x.change === c.winner ? " kept" : "") },
    h("div", {}, h("strong", {}, x.mine ? "mine" : "theirs"), ` · ${x.instance} · ${when(x.time)}`),
    h("div", { class: "muted" }, x.outcome, x.change === c.winner ? " · in effect now" : ""),
    h("pre", {}, x.source));
  const parts = [
    h("h2", {}, c.location, " ", h("span", { class: "muted" }, `(${c.slot}, ${c.state})`)),
    h("div", { class: "sides" }, c.candidates.map(side)),
  ];
  if (detail.diff) {
    parts.push(h("h2", {}, "Diff"), h("pre", { class: "diff" }, detail.diff.map((l) =>
      h("div", { class: l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : "" }, l))));
  }
  if (c.dependents.length) parts.push(h("p", {}, `${c.dependents.length} dependent race(s) are settled with it.`));
  const open = c.state === "open";
  parts.push(h("div", { class: "row" },
    h("button", { type: "button", class: "secondary", disabled: !c.awaiting_review,
      onclick: () => act("ack", {}, `acknowledged ${c.location}`) }, "Ack"),
    h("button", { type: "button", disabled: !open,
      onclick: () => act("resolve", { choice: "mine" }, `kept mine for ${c.location}`) }, "Keep mine"),
    h("button", { type: "button", disabled: !open,
      onclick: () => act("resolve", { choice: "theirs" }, `kept theirs for ${c.location}`) }, "Keep theirs")));
  return parts;
}

// ---- items -----------------------------------------------------------------

function moduleOf(location) {
  const i = location.lastIndexOf(".");
  return i < 0 ? "(top)" : location.slice(0, i);
}


async function items(query) {
  const box = h("input", { type: "search", id: "item-search", placeholder: "search names", value: query,
                           "aria-label": "search names" });
  box.addEventListener("input", () => {
    clearTimeout(items.timer);
    items.timer = setTimeout(() => { location.hash = "#/items?q=" + encodeURIComponent(box.value); }, 200);
  });
  const parts = [h("div", { class: "row" }, box)];
  if (query) {
    const found = await api("/v1/find?q=" + encodeURIComponent(query));
    parts.push(found.length
      ? h("ul", { class: "plain", id: "found" }, found.map((f) => h("li", {},
          h("a", { href: "#/item/" + encodeURIComponent(f.location) }, f.location), " ",
          h("span", { class: "muted" }, f.match))))
      : h("p", { class: "muted" }, `Nothing matches ${query}.`));
    return parts;
  }
  const modules = await api("/v1/modules");
  if (!modules.length) {
    parts.push(h("p", { class: "muted" }, "Nothing bound yet."));
    return parts;
  }
  parts.push(h("ul", { class: "plain", id: "modules" }, modules.map((m) => {
    const list = h("ul", { class: "plain names" });
    const more = h("button", { type: "button", class: "secondary", hidden: true }, "More");
    let after = "";
    // A page of the module's names at a time: a module may bind 100,000.
    const page = async () => {
      const q = new URLSearchParams({ prefix: m.module ? m.module + "." : "", after, limit: "200" });
      const rows = await api("/v1/names?" + q);
      for (const n of rows) {
        if (moduleOf(n.location) !== (m.module || "(top)")) continue;
        list.append(h("li", {}, h("a", { href: "#/item/" + encodeURIComponent(n.location) }, n.location), " ",
          h("span", { class: "muted" }, `${n.kind} ${short(n.hash)}`),
          n.deprecated ? h("span", { class: "warning" }, " deprecated") : null,
          n.divergent ? h("span", { class: "error" }, " divergent") : null));
      }
      if (rows.length) after = rows[rows.length - 1].location;
      more.hidden = rows.length < 200;
    };
    more.addEventListener("click", () => page().catch((e) => toast(e.message, true)));
    const open = h("details", { class: "module" },
      h("summary", {}, m.module || "(top level)", " ", h("span", { class: "muted" }, `${m.names} name${m.names === 1 ? "" : "s"}`)),
      list, more);
    open.addEventListener("toggle", () => {
      if (open.open && !list.childElementCount) page().catch((e) => toast(e.message, true));
    });
    return h("li", {}, open);
  })));
  return parts;
}

function links(list) {
  if (!list.length) return h("p", { class: "muted" }, "none");
  return h("ul", { class: "plain" }, list.map((i) => h("li", {},
    i.names.length ? i.names.map((n) => h("a", { href: "#/item/" + encodeURIComponent(n) }, n, " "))
                   : h("span", { class: "hash" }, short(i.hash) + " (not bound here)"))));
}

async function item(name) {
  const d = await api("/v1/item?name=" + encodeURIComponent(name));
  const it = d.item;
  const parts = [
    h("h2", {}, name, " ", h("span", { class: "muted hash" }, `${it.kind} ${short(it.hash)}`)),
  ];
  if (it.deprecated) parts.push(h("p", { class: "warning" }, "deprecated: " + it.deprecation_reason +
    (it.replacement ? ` (use ${it.replacement})` : "")));
  if (it.divergent) parts.push(h("p", { class: "error" }, "divergent: concurrent edits disagree on this name"));
  parts.push(h("pre", { id: "item-source" }, it.source),
             h("div", { class: "hash muted" }, it.hash),
             h("h2", {}, "Depends on"), links(d.dependencies.dependencies),
             h("h2", {}, "Used by"), links(d.dependents.dependents));
  if (d.history) {
    parts.push(h("h2", {}, "History"), h("ul", { class: "plain" }, d.history.changes.map((c) =>
      h("li", {}, h("span", { class: "hash" }, short(c.hash)), ` ${when(c.time)} · ${c.author} · ${c.message}`))));
  }
  return parts;
}

// ---- log -------------------------------------------------------------------

async function log(params) {
  const instance = params.get("instance") || "", branch = params.get("branch") || "";
  const q = new URLSearchParams({ limit: "50" });
  if (instance) q.set("instance", instance);
  if (branch) q.set("branch", branch);
  const changes = await api("/v1/log?" + q);
  const inst = h("input", { type: "text", placeholder: "instance", value: instance, "aria-label": "instance" });
  const br = h("input", { type: "text", placeholder: "branch", value: branch, "aria-label": "branch" });
  const form = h("form", { class: "row" }, inst, br, h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (inst.value) p.set("instance", inst.value);
    if (br.value) p.set("branch", br.value);
    location.hash = "#/log?" + p;
  });
  return [form, changes.length ? h("div", { id: "log" }, changes.map((c) => h("details", {},
    h("summary", {}, h("span", { class: "hash" }, short(c.hash)), ` ${when(c.time)} · ${c.author} · [${c.branch}] ${c.message}`),
    h("ul", { class: "plain" }, c.ops.map((o) => h("li", {}, o.text))))))
    : h("p", { class: "muted" }, "No changes.")];
}

// ---- routing, live updates, login ------------------------------------------

function route() {
  const hash = location.hash.replace(/^#\/?/, "") || "overview";
  const [path, query] = hash.split("?");
  const parts = path.split("/").map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query || "") };
}

async function render() {
  if (state.rendering) { state.again = true; return; }
  state.rendering = true;
  const { parts, params } = route();
  const view = parts[0];
  for (const a of document.querySelectorAll("nav a")) {
    a.classList.toggle("current", a.dataset.view === (view === "item" ? "items" : view));
  }
  let content;
  try {
    if (view === "peers") content = await peers();
    else if (view === "races" && parts[1]) content = await race(parts[1]);
    else if (view === "races") content = await races();
    else if (view === "items") content = await items(params.get("q") || "");
    else if (view === "item") content = await item(parts.slice(1).join("/"));
    else if (view === "log") content = await log(params);
    else content = await overview();
  } catch (e) {
    if (e.status === 401) { showLogin(); state.rendering = false; return; }
    content = [h("p", { class: "error" }, e.message)];
  }
  // Keep the search box's focus and caret across a live re-render.
  const focused = document.activeElement && document.activeElement.id;
  $("main").replaceChildren(...content);
  if (focused === "item-search") {
    const box = $("item-search");
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }
  document.body.dataset.view = view;
  updateRaceCount();
  state.rendering = false;
  if (state.again) { state.again = false; render(); }
}

async function updateRaceCount() {
  try {
    const list = await api("/v1/conflicts");
    const badge = $("race-count");
    badge.textContent = String(list.length);
    badge.hidden = list.length === 0;
  } catch (e) { /* the view shows the error */ }
}

// Long polls /v1/events; each new event (the store's heads moved) re-renders.
async function live() {
  const dot = $("live");
  for (;;) {
    try {
      const r = await api(`/v1/events?after=${state.latest}&wait=25`);
      dot.className = "live on";
      const moved = r.epoch !== state.epoch || r.events.length > 0;
      const first = state.epoch === "";
      state.epoch = r.epoch;
      state.latest = r.latest;
      if (moved && !first) render();
    } catch (e) {
      dot.className = "live off";
      if (e.status === 401) return showLogin();
      await new Promise((ok) => setTimeout(ok, 2000));
    }
  }
}

function showLogin() {
  $("main").hidden = true;
  $("nav").hidden = true;
  $("live").hidden = true;
  $("login").hidden = false;
}

async function logIn(event) {
  event.preventDefault();
  try {
    await api("/v1/login", { body: { token: $("login-token").value } });
    location.reload();
  } catch (e) {
    $("login-error").textContent = e.message;
  }
}

async function start() {
  $("login-form").addEventListener("submit", logIn);
  try {
    const s = await api("/v1/session");
    state.csrf = s.csrf;
    $("instance").textContent = s.instance;
    document.title = `weft · ${s.instance}`;
  } catch (e) {
    if (e.status === 401) return showLogin();
    $("main").replaceChildren(h("p", { class: "error" }, e.message));
    return;
  }
  window.addEventListener("hashchange", render);
  await render();
  live();
  // Peers' reachability and last syncs change without the heads moving.
  setInterval(() => { if (document.body.dataset.view === "peers" || document.body.dataset.view === "overview") render(); }, 15000);
}

document.addEventListener("DOMContentLoaded", start);
