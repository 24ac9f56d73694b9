#!/usr/bin/env python3
"""gen_policies.py — a generated policy framework for the acknowledgement benchmark: PEOPLE
people, a top-level policy and DOCS-1 topic-specific policies, all published (written by one
ISMS manager, approved by another or by top management), and acknowledgements of the version
in force by about half of everyone, recorded on paper through the API (validated and logged
like any write). Prints the id of the first document, of the first person, and the number of
acknowledgements.
usage: gen_policies.py BASE_URL MANAGER_TOKEN APPROVER_TOKEN BOSS_TOKEN PEOPLE DOCS [THREADS]"""
import random
import sys

from api import Api

url, manager, approver, boss = sys.argv[1:5]
people_n, docs_n = int(sys.argv[5]), int(sys.argv[6])
api = Api(url, manager, int(sys.argv[7]) if len(sys.argv) > 7 else 8)
rnd = random.Random(11)

conn = api.conn()
people = api.post_all("/api/v1/people", [{"name": f"Person {i:05d}"} for i in range(people_n)])
docs, versions = [], []
for i in range(docs_n):
    top = i == 0
    d = api.req(conn, "POST", "/api/v1/documents", {
        "identifier": f"POL-{i + 1:03d}", "title": f"Policy {i + 1:03d}",
        "kind": "information_security_policy" if top else "topic_specific_policy",
        **({} if top else {"parent": docs[0]}), "owner": rnd.choice(people)})
    v = api.req(conn, "POST", "/api/v1/document-versions",
                {"document": d["id"], "body": f"# Policy {i + 1}\n\n" + "A rule to follow.\n" * 40})
    path = f"/api/v1/document-versions/{v['id']}/actions/"
    api.req(conn, "POST", path + "submit", {})
    api.req(conn, "POST", path + "approve", {}, token=boss if top else approver)
    api.req(conn, "POST", path + "publish", {})
    docs.append(d["id"])
    versions.append(v["id"])
acks = [{"document_version": v, "person": p, "method": "on_paper"}
        for v in versions for p in people if rnd.random() < 0.5]
api.post_all("/api/v1/acknowledgements", acks)
print(docs[0], people[0], len(acks))
