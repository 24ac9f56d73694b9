#!/usr/bin/env python3
"""gen_impact.py — a planned change for the impact-trace benchmark, on an organization made
by gen_org.py (200 assets, 2,000 controls, 10,000 risks): the change touches ASSETS assets
(about 50 risks each), names 5 risks, 5 controls and 3 documents. Prints its id and the
number of risks on the touched assets.
usage: gen_impact.py BASE_URL TOKEN [ASSETS]"""
import sys
from api import Api

api = Api(sys.argv[1], sys.argv[2])
n = int(sys.argv[3]) if len(sys.argv) > 3 else 5
conn = api.conn()
assets = [a["id"] for a in api.req(conn, "GET", f"/api/v1/assets?limit={n}")["items"]]
risks = [r["id"] for r in api.req(conn, "GET", "/api/v1/risks?limit=5&offset=5000")["items"]]
controls = [c["id"] for c in api.req(conn, "GET", "/api/v1/controls?limit=5&offset=1000")["items"]]
docs = api.post_all("/api/v1/documents", [{"identifier": f"PRC-9{i:02d}", "title": f"Procedure {i}", "kind": "procedure"}
                                          for i in range(3)])
change = api.req(conn, "POST", "/api/v1/isms-changes", {
    "title": "Move the platform to a second cloud region",
    "purpose": "Resilience: run the product from two regions.",
    "assets": assets, "risks": risks, "controls": controls, "documents": docs})
touched = sum(api.req(conn, "GET", f"/api/v1/risks?assets={a}&limit=1")["total"] for a in assets)
print(change["id"], touched)
