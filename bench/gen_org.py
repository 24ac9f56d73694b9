#!/usr/bin/env python3
"""gen_org.py — a generated organization for the export and risk-list benchmarks: 50 people,
200 assets, 2,000 applied controls, 10,000 scored risks, 3,000 treatment actions, all
POSTed through the API (validated and logged like any write).
usage: gen_org.py BASE_URL TOKEN [THREADS]"""
import random, sys
from api import Api
api = Api(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 8)
rnd = random.Random(7)
req, post_all = api.req, api.post_all

conn = api.conn()
catalog = [c["id"] for c in req(conn, "GET", "/api/v1/catalog-controls?limit=500")["items"]]
threats = [t["id"] for t in req(conn, "GET", "/api/v1/threats?limit=500")["items"]]
people = post_all("/api/v1/people", [{"name": f"Owner {i:02d}"} for i in range(50)])
assets = post_all("/api/v1/assets", [{"name": f"Asset {i:03d}", "kind": rnd.choice(
    ["information", "software", "hardware", "service", "site", "supplier"]),
    "owner": rnd.choice(people), "classification": rnd.choice(["internal", "confidential"])}
    for i in range(200)])
def control(i):
    c = {"name": f"Control {i:04d}: measure, \"quoted\"",
         "description": "What is done, where and by whom. " * 3, "owner": rnd.choice(people),
         "status": rnd.choice(["planned", "in_progress", "implemented", "implemented", "not_implemented"]),
         "catalog_controls": rnd.sample(catalog, rnd.randint(1, 3))}
    if c["status"] == "implemented":  # an implemented control says since when
        c["implemented_on"] = "2026-01-15"
    return c
controls = post_all("/api/v1/controls", [control(i) for i in range(2000)])
risks = post_all("/api/v1/risks", [{"title": f"Risk {i:05d}: something bad happens to an asset",
    "scenario": "A threat exploits a weakness, with consequences for the organization.\n" * 2,
    "approach": "asset_based", "threat": rnd.choice(threats),
    "assets": rnd.sample(assets, rnd.randint(1, 3)), "owner": rnd.choice(people),
    "confidentiality": rnd.random() < .5, "integrity": rnd.random() < .5,
    "likelihood": rnd.randint(1, 5), "consequence": rnd.randint(1, 5), "treatment": "modify",
    "treatment_justification": "Controls reduce it.", "controls": rnd.sample(controls, rnd.randint(1, 3)),
    "residual_likelihood": rnd.randint(1, 3), "residual_consequence": rnd.randint(1, 3),
    "last_assessed": "2026-06-01"} for i in range(10000)])
post_all("/api/v1/treatment-actions", [{"risk": rnd.choice(risks), "control": rnd.choice(controls),
    "action": f"Action {i:04d}", "owner": rnd.choice(people),
    "due_date": f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
    "status": rnd.choice(["planned", "in_progress"])} for i in range(3000)])
