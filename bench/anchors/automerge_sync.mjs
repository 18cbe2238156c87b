// The Automerge side of `scripts/bench --vs automerge`: the same workloads as
// bench/sync_bench.cc, one scenario per process so each figure is this process's
// own peak RSS. Automerge runs in memory (WASM); "store" is the size of save().
//
//   node automerge_sync.mjs prepare N DIR   builds a document of N one-key changes
//                                           (a.am), a fully synced copy (b.am) and
//                                           both sides' sync states
//   node automerge_sync.mjs SCENARIO N DIR  fresh | one_new | reconnect | concurrent | open
//
// Each change sets key v<i> to an immutable string of 200 bytes (a scalar, not
// collaborative text: weft values are immutable), as tools/fill.cc binds
// Bench.Data.v<i>. A scenario prints one JSON object: seconds, messages,
// round_trips, bytes, peak_rss_mb, in_sync (and store_bytes for open).
import * as A from "@automerge/automerge";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function value(i, salt) {
  let s = salt;
  while (s.length < 200) s += `value-${i}-`;
  return s.slice(0, 200);
}

// One change per key. Through the document's backend: A.change() re-materializes
// the JS view each time, which makes authoring N changes quadratic in N; the
// changes themselves (one put, one commit) are the same either way.
function author(doc, first, count, salt) {
  const backend = A.getBackend(A.clone(doc));
  for (let i = first; i < first + count; i++) {
    backend.put("_root", `v${i}`, value(i, salt), "str");
    backend.commit(null, 0);
  }
  return A.load(backend.save());
}

// Runs the sync loop until both sides are quiet; `first` speaks first. A round
// trip is a message there and (possibly) one back.
function sync(docs, states, first) {
  let messages = 0;
  let bytes = 0;
  let turn = first;
  let quietInARow = 0;
  while (quietInARow < 2) {
    const other = 1 - turn;
    const [s, msg] = A.generateSyncMessage(docs[turn], states[turn]);
    states[turn] = s;
    if (msg) {
      messages++;
      bytes += msg.byteLength;
      const [d, s2] = A.receiveSyncMessage(docs[other], states[other], msg);
      docs[other] = d;
      states[other] = s2;
      quietInARow = 0;
    } else {
      quietInARow++;
    }
    turn = other;
  }
  return { messages, bytes, round_trips: Math.ceil(messages / 2) };
}

function inSync(docs) {
  const a = A.getHeads(docs[0]).sort().join();
  const b = A.getHeads(docs[1]).sort().join();
  return a === b;
}

function timed(fn) {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return { r, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

function rssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

const [cmd, nArg, dir] = process.argv.slice(2);
const n = Number(nArg);
const file = (name) => join(dir, name);
const load = (name) => A.load(new Uint8Array(readFileSync(file(name))));
const loadState = (name) => A.decodeSyncState(new Uint8Array(readFileSync(file(name))));

let out;
if (cmd === "prepare") {
  const a = author(A.init(), 0, n, "");
  writeFileSync(file("a.am"), A.save(a));
  const docs = [a, A.init()];
  const states = [A.initSyncState(), A.initSyncState()];
  sync(docs, states, 1);
  writeFileSync(file("b.am"), A.save(docs[1]));
  writeFileSync(file("a.state"), A.encodeSyncState(states[0]));
  writeFileSync(file("b.state"), A.encodeSyncState(states[1]));
  out = { prepared: n, in_sync: inSync(docs) };
} else if (cmd === "fresh" || cmd === "reconnect") {
  // fresh: a peer with nothing; reconnect: both hold everything, no saved state.
  const docs = [load("a.am"), cmd === "fresh" ? A.init() : load("b.am")];
  const states = [A.initSyncState(), A.initSyncState()];
  const { r, seconds } = timed(() => sync(docs, states, 1));
  out = { seconds, ...r, in_sync: inSync(docs) };
} else if (cmd === "one_new" || cmd === "concurrent") {
  let docs = [load("a.am"), load("b.am")];
  const states = [loadState("a.state"), loadState("b.state")];
  if (cmd === "one_new") {
    docs[0] = author(docs[0], n, 1, "new");
  } else {
    docs[1] = author(docs[1], Math.floor(n / 2), 1000, "fresh-side");
    docs[0] = author(docs[0], Math.floor(n / 2) + 500, 1000, "base-side");
  }
  // The side with news speaks first.
  const { r, seconds } = timed(() => sync(docs, states, 0));
  out = { seconds, ...r, in_sync: inSync(docs) };
} else if (cmd === "open") {
  const bytes = new Uint8Array(readFileSync(file("b.am")));
  const { r, seconds } = timed(() => A.getHeads(A.load(bytes)));
  out = { seconds, heads: r.length, store_bytes: bytes.byteLength };
} else {
  console.error(`usage: automerge_sync.mjs prepare|fresh|one_new|reconnect|concurrent|open N DIR`);
  process.exit(2);
}
out.peak_rss_mb = rssMb();
console.log(JSON.stringify(out));
