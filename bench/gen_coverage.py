#!/usr/bin/env python3
"""gen_coverage.py — the internal audit part of the coverage benchmark, on top of
gen_org.py's organization (10,000 risks, 2,000 controls): one audit programme, 8 audits
(each a few clauses and a slice of the Annex A controls; six in fieldwork, two planned) and
FINDINGS findings spread over the audits in fieldwork, all POSTed through the API. Prints
the programme's id.
usage: gen_coverage.py BASE_URL TOKEN FINDINGS [THREADS]"""
import random, sys
from api import Api
api = Api(sys.argv[1], sys.argv[2], int(sys.argv[4]) if len(sys.argv) > 4 else 8)
findings_n = int(sys.argv[3])
rnd = random.Random(7)
req, post_all = api.req, api.post_all
conn = api.conn()
catalog = [c["id"] for c in req(conn, "GET", "/api/v1/catalog-controls?limit=500")["items"]]
kinds = [k["id"] for k in req(conn, "GET", "/api/v1/finding-kinds")["items"]]
lead = post_all("/api/v1/people", [{"name": "Independent Auditor"}])[0]
prog = post_all("/api/v1/audit-programmes", [{"title": "Programme 2026-2028", "period_start": "2026-01-01",
                                               "period_end": "2028-12-31", "cycle_years": 3}])[0]
clauses = ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.2", "6.3", "7.1",
           "7.2", "7.3", "7.4", "7.5", "8.1", "8.2", "8.3", "9.1", "9.2", "9.3", "10.1", "10.2"]
scopes = []
for k in range(8):
    scopes.append({"clauses": clauses[k * 3:(k + 1) * 3], "controls": catalog[k * 11:(k + 1) * 11]})
audits = post_all("/api/v1/audits", [{"programme": prog, "title": f"Audit {k}", "lead_auditor": lead,
                                      "planned_start": f"2026-0{k + 1}-01", "planned_end": f"2026-0{k + 1}-10",
                                      **scopes[k]} for k in range(8)])
for a in audits[:6]:
    req(conn, "POST", f"/api/v1/audits/{a}/actions/start_fieldwork", {"actual_start": "2026-06-01"})
items = []
for i in range(findings_n):
    k = rnd.randrange(6)
    row = {"clause": rnd.choice(scopes[k]["clauses"])} if rnd.random() < .3 else {"control": rnd.choice(scopes[k]["controls"])}
    items.append({"audit": audits[k], "kind": rnd.choice(kinds[2:]), "statement": f"Finding {i:04d}", **row})
post_all("/api/v1/audit-findings", items)
print(prog)
