#!/usr/bin/env python3
"""gen_policies.py — a generated policy framework for the acknowledgement benchmark: PEOPLE
people, a top-level policy and DOCS-1 topic-specific policies, all published (written by one
ISMS manager, approved by another or by top management), and acknowledgements of the version
in force by about half of everyone, recorded on paper through the API (validated and logged
like any write). Prints the id of the first document and of the first person.
usage: gen_policies.py BASE_URL MANAGER_TOKEN APPROVER_TOKEN BOSS_TOKEN PEOPLE DOCS [THREADS]"""
import http.client, json, random, sys, threading, urllib.parse

url, manager, approver, boss = sys.argv[1:5]
people_n, docs_n = int(sys.argv[5]), int(sys.argv[6])
threads = int(sys.argv[7]) if len(sys.argv) > 7 else 8
u = urllib.parse.urlsplit(url)
rnd = random.Random(11)


def req(conn, token, method, path, body=None):
    h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None


def post_all(path, records):
    ids, nxt, lock = [None] * len(records), [0], threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        while True:
            with lock:
                k = nxt[0]
                nxt[0] += 1
            if k >= len(records):
                break
            ids[k] = req(conn, manager, "POST", path, records[k])["id"]

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    return ids


conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
people = post_all("/api/v1/people", [{"name": f"Person {i:05d}"} for i in range(people_n)])
docs, versions = [], []
for i in range(docs_n):
    top = i == 0
    d = req(conn, manager, "POST", "/api/v1/documents", {
        "identifier": f"POL-{i + 1:03d}", "title": f"Policy {i + 1:03d}",
        "kind": "information_security_policy" if top else "topic_specific_policy",
        **({} if top else {"parent": docs[0]}), "owner": rnd.choice(people)})
    v = req(conn, manager, "POST", "/api/v1/document-versions",
            {"document": d["id"], "body": f"# Policy {i + 1}\n\n" + "A rule to follow.\n" * 40})
    path = f"/api/v1/document-versions/{v['id']}/actions/"
    req(conn, manager, "POST", path + "submit", {})
    req(conn, boss if top else approver, "POST", path + "approve", {})
    req(conn, manager, "POST", path + "publish", {})
    docs.append(d["id"])
    versions.append(v["id"])
acks = [{"document_version": v, "person": p, "method": "on_paper"}
        for v in versions for p in people if rnd.random() < 0.5]
post_all("/api/v1/acknowledgements", acks)
print(docs[0], people[0], len(acks))
