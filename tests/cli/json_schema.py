#!/usr/bin/env python3
"""Every command's --json output against its schema in docs/json.md.

Usage: json_schema.py WEFT DOCS_JSON_MD

Reads the schemas (one per `### \`weft COMMAND\`` section, with the shared
definitions), lists every command that takes --json from the command tree
(`weft completion bash`), runs a scenario that exercises each of them on real
stores (two instances, a race, a branch, a peer served over HTTP for `eval --on`),
and validates each output. Fails when a command takes --json but has no schema,
when a schema names no such command, when a documented command was never run
here, or when an output does not match.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import urllib.error
import urllib.request

import jsonschema

WEFT, DOCS = sys.argv[1], sys.argv[2]
PG_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hub", "pg.sh")
LIMIT = 120  # seconds per weft run
failures = []
passes = 0
validated = set()


def load_schemas(path):
    text = open(path, encoding="utf-8").read()
    blocks = re.findall(r"^(#+ [^\n]*)\n(?:(?!#)[^\n]*\n)*?```json\n(.*?)^```", text, re.M | re.S)
    shared, schemas = None, {}
    for heading, body in blocks:
        doc = json.loads(body)
        if heading.startswith("## Shared definitions"):
            shared = doc
            continue
        m = re.match(r"### `weft ([a-z ]+)`$", heading)
        if not m:
            sys.exit(f"docs/json.md: a JSON block under an unexpected heading: {heading}")
        schemas[m.group(1)] = doc
    if shared is None:
        sys.exit("docs/json.md: no '## Shared definitions' block")
    for name, schema in schemas.items():
        schema["definitions"] = {**shared, **schema.get("definitions", {})}
        jsonschema.Draft7Validator.check_schema(schema)
    return schemas


def json_commands():
    """Command paths whose options include --json, from the generated completion."""
    out = subprocess.run([WEFT, "completion", "bash"], capture_output=True, text=True,
                         timeout=LIMIT, check=True).stdout
    paths = set()
    for path, words in re.findall(r'^\s+"((?: [a-z]+)+)"\) words="([^"]*)"', out, re.M):
        if "--json" in words.split():
            paths.add(path.strip())
    return paths


def fail(what, detail=""):
    failures.append(what)
    print(f"FAIL {what}")
    if detail:
        print("    " + detail.replace("\n", "\n    "))


def weft(home, *args, want_rc=0, env=None):
    cmd = [WEFT, "--store", home, *args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=LIMIT,
                       env={**os.environ, **(env or {})})
    if r.returncode != want_rc:
        fail(f"weft {' '.join(args)}: exit {r.returncode} (want {want_rc})", r.stderr.strip())
        return None
    return r.stdout


def check(command, home, *args, env=None, want_rc=0, expect=None):
    """Runs `weft ARGS --json` and validates its output against `command`'s schema."""
    out = weft(home, *args, "--json", want_rc=want_rc, env=env)
    if out is None:
        return None
    try:
        doc = json.loads(out)
    except json.JSONDecodeError as e:
        fail(f"weft {' '.join(args)} --json is not one JSON document: {e}", out[:400])
        return None
    return validate(f"weft {' '.join(args)} --json", command, doc, expect)


def validate(label, command, doc, expect=None):
    """Validates `doc` against `command`'s schema; `expect` checks it says what was made."""
    global passes
    schema = SCHEMAS.get(command)
    if schema is None:
        fail(f"no schema for weft {command}")
        return doc
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        fail(f"{label} does not match the schema of `weft {command}`",
             "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))
        return doc
    try:
        as_made = expect is None or expect(doc)
    except (KeyError, IndexError, TypeError) as e:
        as_made = False
        print(f"    (the check raised {e!r})")
    if not as_made:
        fail(f"{label}: the document is not what the scenario made",
             json.dumps(doc)[:400])
        return doc
    validated.add(command)
    passes += 1
    return doc


def api(base, path, method="GET", body=None, csrf=None, want=200):
    """A request to the dashboard's API: its JSON document, or None (a failure noted)."""
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    if csrf:
        req.add_header("X-Weft-CSRF", csrf)
    try:
        with urllib.request.urlopen(req, timeout=LIMIT) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    if status != want:
        fail(f"{method} {path}: {status} (want {want})", text.strip())
        return None
    return json.loads(text) if want == 200 else text


SCHEMAS = load_schemas(DOCS)
tmp = tempfile.mkdtemp(prefix="weft-json-")
server = None
daemon_home = None
try:
    a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
    src = os.path.join(tmp, "demo.weft")
    with open(src, "w") as f:
        f.write("fn Js.M.inc x = x + 1\nval Js.M.answer = 42\nfn Js.M.twice x = Js.M.inc (Js.M.inc x)\n"
                "type Js.M.Pair = { a: Int, b: Int }\n")

    check("init", a, "init", "--name", "laptop",
          expect=lambda d: d["instance"] == "laptop" and d["change"] is None)
    check("init", b, "init", "--name", "desktop")
    added = check("add", a, "add", src, expect=lambda d: len(d["added"]) == 4 and d["staged"])
    check("status", a, "status", "-v", expect=lambda d: len(d["staged_ops"]) == len(added["staged"]))
    check("diff", a, "diff", expect=lambda d: d["change"] is None and len(d["names"]) == 4)
    first = check("commit", a, "commit", "-m", "first",
                  expect=lambda d: d["change"]["message"] == "first" and len(d["change"]["ops"]) == 8)
    h = first["change"]["hash"] if first else "0" * 64
    check("diff", a, "diff", h[:10], expect=lambda d: d["change"]["hash"] == h)
    check("diff", a, "diff", "#" + h[:8], expect=lambda d: len(d["names"]) == 4)
    check("log", a, "log", expect=lambda d: d[0]["hash"] == h)
    check("log", a, "log", "Js.M.inc", expect=lambda d: d["changes"][0]["hash"] == h)
    check("ls", a, "ls")
    check("ls", a, "ls", "--modules", expect=lambda d: d == [{"module": "Js.M", "names": 4}])
    check("show", a, "show", "Js.M.inc", expect=lambda d: d["source"].startswith("fn Js.M.inc"))
    check("show", a, "show", "Js.M.inc", "--dependents",
          expect=lambda d: d["dependents"][0]["names"] == ["Js.M.twice"])
    check("show", a, "show", "Js.M.twice", "--deps")
    check("find", a, "find", "twi")
    check("find", a, "find", "--source", "+ 1")
    check("eval", a, "eval", "Js.M.twice 40", expect=lambda d: d["value"] == 42)
    check("eval", a, "eval", '{ a = [1, 2], b = "x" }', expect=lambda d: d["value"]["b"] == "x")
    check("eval", a, "eval", "fun x -> x", expect=lambda d: d["value"] is None)
    check("run", a, "run", "Js.M.inc", "1", expect=lambda d: d["value"] == 2)
    check("rebuild", a, "rebuild")
    check("fsck", a, "fsck", expect=lambda d: d["findings"] == [])
    check("id", a, "id")

    # Staging commands, then discard and undo.
    check("mv", a, "mv", "Js.M.answer", "Js.M.theAnswer",
          expect=lambda d: [o["op"] for o in d["staged"]] == ["unbind", "bind"])
    check("rm", a, "rm", "Js.M.theAnswer", expect=lambda d: d["staged"][0]["op"] == "unbind")
    check("ls", a, "ls", expect=lambda d: {r["staged"] for r in d} >= {"unbind"})
    check("show", a, "show", "Js.M.answer", expect=lambda d: d["staged"] == "staged: unbind")
    check("discard", a, "discard", expect=lambda d: d["discarded"] == 3)
    check("deprecate", a, "deprecate", "Js.M.inc", "--reason", "old", "--replacement", "Js.M.twice",
          expect=lambda d: d["staged"][0]["replacement"] == "Js.M.twice")
    check("commit", a, "commit", "-m", "deprecate")
    check("show", a, "show", "Js.M.inc", expect=lambda d: d["deprecation_reason"] == "old")
    check("ls", a, "ls", expect=lambda d: any(r["deprecated"] for r in d))
    check("undeprecate", a, "undeprecate", "Js.M.inc")
    check("commit", a, "commit", "-m", "undeprecate")
    check("undo", a, "undo", expect=lambda d: d["change"]["ops"][0]["op"] == "deprecate")
    editor = os.path.join(tmp, "editor.sh")
    with open(editor, "w") as f:
        f.write("#!/bin/sh\nsed -i 's/x + 1/x + 2/' \"$1\"\n")
    os.chmod(editor, 0o755)
    check("edit", a, "edit", "Js.M.inc", env={"EDITOR": editor, "VISUAL": ""},
          expect=lambda d: d["updated"] == ["Js.M.inc"] and "Js.M.twice" in d["repointed"])
    check("commit", a, "commit", "-m", "edit")

    # Branches.
    check("branch create", a, "branch", "create", "feature",
          expect=lambda d: d["change"]["ops"][0]["op"] == "create_branch")
    check("branch switch", a, "branch", "switch", "feature", expect=lambda d: d["change"] is None)
    check("add", a, "add", "fn Js.M.f x = x")
    check("commit", a, "commit", "-m", "on feature")
    check("branch switch", a, "branch", "switch", "main")
    check("branch merge", a, "branch", "merge", "feature",
          expect=lambda d: d["change"] is not None and not d["up_to_date"])
    check("branch merge", a, "branch", "merge", "feature", expect=lambda d: d["up_to_date"])
    check("branch archive", a, "branch", "archive", "feature")
    check("branch list", a, "branch", "list", "--all")
    check("branch", a, "branch")

    # Peers and a race.
    check("peer add", a, "peer", "add", "desktop", b,
          expect=lambda d: d["peer"]["device_id"] is None)
    check("peer ls", a, "peer", "ls")
    check("sync check", a, "sync", "check", "desktop", expect=lambda d: d["possible"])
    check("sync", a, "sync", "desktop", expect=lambda d: d["in_sync"] and len(d["peers"]) == 1)
    weft(b, "add", "val Js.M.answer = 1")
    weft(b, "commit", "-m", "desktop's answer")
    weft(a, "add", "val Js.M.answer = 2")
    weft(a, "commit", "-m", "laptop's answer")
    check("sync", a, "sync", expect=lambda d: d["peers"][0]["received"] == 1)
    races = check("conflicts", a, "conflicts", expect=lambda d: len(d) == 1)
    rid = races[0]["id"] if races else "0" * 64
    check("conflicts show", a, "conflicts", "show", rid[:8],
          expect=lambda d: all("source" in c for c in d["candidates"]))
    check("conflicts ack", a, "conflicts", "ack", rid[:8], expect=lambda d: d["acked"][0]["id"] == rid)
    check("conflicts resolve", a, "conflicts", "resolve", rid[:8], "theirs",
          expect=lambda d: "resolve" in [o["op"] for o in d["change"]["ops"]])
    check("log", a, "log", "Js.M.answer", expect=lambda d: len(d["races"]) == 1)
    check("log", a, "log", "--instance", "desktop",
          expect=lambda d: d and all(c["author"] == "desktop" for c in d))
    check("log", a, "log", "--branch", "nosuch", expect=lambda d: d == [])
    check("sync events", a, "sync", "events")
    check("daemon status", a, "daemon", "status", expect=lambda d: d["running"] is False)
    check("status", a, "status")
    # A running daemon (on a free loopback port, always stopped below).
    if weft(b, "daemon", "start", "--listen", "127.0.0.1:0", "--no-tls") is not None:
        daemon_home = b
        check("daemon status", b, "daemon", "status",
              expect=lambda d: d["running"] and d["pid"] > 0 and d["since"])
        check("status", b, "status", expect=lambda d: d["daemon"]["running"])
        weft(b, "daemon", "stop")
        daemon_home = None
    # A peer that cannot be reached: still one document, the peer with its error.
    check("peer add", a, "peer", "add", "gone", "http://127.0.0.1:9")  # the discard port
    check("sync", a, "sync", "--timeout", "5", want_rc=7,
          expect=lambda d: not d["in_sync"] and "error" in d["peers"][1])
    check("peer rm", a, "peer", "rm", "gone")

    # eval --on: a peer served over HTTP on a free loopback port.
    log = open(os.path.join(tmp, "serve.log"), "w+")
    server = subprocess.Popen([WEFT, "--store", b, "serve", "--listen", "127.0.0.1:0", "--no-tls",
                               "--quiet"], stdout=log, stderr=subprocess.STDOUT)
    url = None
    for _ in range(100):  # at most 10 s
        log.seek(0)
        m = re.search(r"^serving at (\S+)", log.read(), re.M)
        if m:
            url = m.group(1)
            break
        time.sleep(0.1)
    if url is None:
        fail("weft serve did not start")
    else:
        lid = weft(a, "id").strip()
        weft(b, "peer", "add", "laptop", "--id", lid)
        bid = weft(b, "id").strip()
        weft(a, "peer", "add", "desktop-http", url, "--id", bid)
        check("eval", a, "eval", "--on", "desktop-http", "Js.M.twice 1",
              expect=lambda d: d["source"] == "5" and d["peer"] == "desktop-http")
        token = check("dashboard token", b, "dashboard", "token")
        again = check("dashboard token", b, "dashboard", "token",
                      expect=lambda d: token is None or d["token"] != token["token"])
        # The dashboard's API (web/dashboard.h) answers the CLI's own documents.
        doc = api(url, "/v1/overview")
        if doc is not None:
            validate("GET /v1/overview .status", "status", doc["status"],
                     expect=lambda d: d["instance"] == "desktop")
        for row in api(url, "/v1/peers") or []:
            validate("GET /v1/peers .peer", "peer ls", [row["peer"]])
            validate("GET /v1/peers .recent", "sync events", row["recent"])
        listed = api(url, "/v1/conflicts?all=1") or []
        validate("GET /v1/conflicts", "conflicts", listed, expect=lambda d: len(d) >= 1)
        if listed:
            cid = listed[0]["id"]
            doc = api(url, "/v1/conflicts/" + cid)
            if doc is not None:
                validate("GET /v1/conflicts/ID .conflict", "conflicts show", doc["conflict"],
                         expect=lambda d: d["id"] == cid and all("source" in c for c in d["candidates"]))
            api(url, f"/v1/conflicts/{cid}/ack", "POST", {}, want=403)  # no CSRF token
            csrf = (api(url, "/v1/session") or {}).get("csrf")
            acked = api(url, f"/v1/conflicts/{cid}/ack", "POST", {}, csrf=csrf)
            if acked is not None:
                validate("POST /v1/conflicts/ID/ack", "conflicts ack", acked,
                         expect=lambda d: d["acked"][0]["id"] == cid)
        validate("GET /v1/names", "ls", api(url, "/v1/names") or [],
                 expect=lambda d: any(r["location"] == "Js.M.twice" for r in d))
        validate("GET /v1/names (a page)", "ls",
                 api(url, "/v1/names?prefix=Js.M.&after=Js.M.answer&limit=2") or [],
                 expect=lambda d: [r["location"] for r in d] == ["Js.M.f", "Js.M.inc"])
        validate("GET /v1/modules", "ls", api(url, "/v1/modules") or [],
                 expect=lambda d: {"module": "Js.M", "names": 5} in d)
        validate("GET /v1/find", "find", api(url, "/v1/find?q=twice") or [],
                 expect=lambda d: d[0]["location"] == "Js.M.twice")
        doc = api(url, "/v1/item?name=Js.M.twice")
        if doc is not None:
            validate("GET /v1/item .item", "show", doc["item"],
                     expect=lambda d: d["location"] == "Js.M.twice")
            validate("GET /v1/item .dependencies", "show", doc["dependencies"],
                     expect=lambda d: d["dependencies"][0]["names"] == ["Js.M.inc"])
            validate("GET /v1/item .dependents", "show", doc["dependents"])
            validate("GET /v1/item .history", "log", doc["history"],
                     expect=lambda d: d["location"] == "Js.M.twice")
        validate("GET /v1/log", "log", api(url, "/v1/log?limit=5") or [],
                 expect=lambda d: 0 < len(d) <= 5)
        validate("GET /v1/log?instance=laptop", "log", api(url, "/v1/log?instance=laptop") or [],
                 expect=lambda d: d and all(c["author"] == "laptop" for c in d))
        api(url, "/v1/log?limit=x", want=400)
        api(url, "/v1/item?name=No.Such.name", want=404)
    # The hub's commands, against a PostgreSQL of the test's own (tests/hub/pg.sh).
    pg_root = os.path.join(tmp, "pgroot")
    os.makedirs(pg_root)
    os.chmod(tmp, 0o711)  # the postgres user passes through to its cluster
    started = subprocess.run(
        ["bash", "-c", f'source "{PG_SH}" && pg_start "{pg_root}" >/dev/null && echo "$PGURL"'],
        capture_output=True, text=True, timeout=LIMIT)
    pg_url = started.stdout.strip()
    if not pg_url:
        fail("PostgreSQL did not start for the hub's commands", started.stderr.strip())
    else:
        weft(a, "hub", "migrate", "--db", pg_url)
        check("hub tenant create", a, "hub", "tenant", "create", "js", "--db", pg_url,
              expect=lambda d: d["name"] == "js" and d["changes"] == 0 and d["bytes_used"] == 0)
        check("hub tenant ls", a, "hub", "tenant", "ls", "--db", pg_url,
              expect=lambda d: [t["name"] for t in d["tenants"]] == ["js"])
        made = check("hub token create", a, "hub", "token", "create", "--tenant", "js",
                     "--device", "laptop", "--scope", "read", "--db", pg_url,
                     expect=lambda d: d["secret"].startswith("weft_hub_") and d["scope"] == "read")
        check("hub token ls", a, "hub", "token", "ls", "--tenant", "js", "--db", pg_url,
              expect=lambda d: len(d["tokens"]) == 1 and not d["tokens"][0]["revoked"])
        token_file = os.path.join(tmp, "js.token")
        with open(os.open(token_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write((made or {}).get("secret", "x") + "\n")
        check("peer add", a, "peer", "add", "team", "http://127.0.0.1:9", "--tenant", "js",
              "--token-file", token_file, expect=lambda d: d["peer"]["tenant"] == "js")
        weft(a, "peer", "rm", "team")
finally:
    if daemon_home is not None:
        subprocess.run([WEFT, "--store", daemon_home, "daemon", "stop"], capture_output=True,
                       timeout=LIMIT)
    if server is not None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    subprocess.run(["bash", "-c", f'source "{PG_SH}" && pg_dir="{tmp}/pgroot/pg" && pg_stop'],
                   capture_output=True, timeout=LIMIT)
    shutil.rmtree(tmp, ignore_errors=True)

takes_json = json_commands()
for c in sorted(takes_json - set(SCHEMAS)):
    fail(f"weft {c} takes --json but docs/json.md has no schema for it")
for c in sorted(set(SCHEMAS) - takes_json):
    fail(f"docs/json.md has a schema for `weft {c}`, which takes no --json")
for c in sorted(set(SCHEMAS) - validated):
    fail(f"weft {c}: its schema was never exercised here")
print(f"{passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
