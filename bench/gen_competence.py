#!/usr/bin/env python3
"""gen_competence.py — a generated organization for the competence benchmark: PEOPLE people,
ROLES roles held by them (each person holds one role, from 2025 on), 12 competences (half of
them certifications valid 36 months), 3 requirements per role, and a training record for
about 85 % of the required competences of each holder, obtained over the past three years
(some expired, some expiring soon). Everything is POSTed through the API (validated and
logged like any write). Prints the id of the first role and the numbers of role
assignments and training records.
usage: gen_competence.py BASE_URL MANAGER_TOKEN PEOPLE ROLES [THREADS]"""
import datetime
import random
import sys

from api import Api

url, manager = sys.argv[1:3]
people_n, roles_n = int(sys.argv[3]), int(sys.argv[4])
api = Api(url, manager, int(sys.argv[5]) if len(sys.argv) > 5 else 8)
rnd = random.Random(7)
today = datetime.date.today()

people = api.post_all("/api/v1/people", [{"name": f"Person {i:05d}"} for i in range(people_n)])
roles = api.post_all("/api/v1/roles", [{"name": f"Role {i:03d}", "responsibilities": "Keeps things safe."}
                                       for i in range(roles_n)])
comps = api.post_all("/api/v1/competences", [
    {"name": f"Competence {i:02d}", "kind": "certification" if i % 2 else "skill",
     **({"validity_months": 36} if i % 2 else {})} for i in range(12)])
required = {r: rnd.sample(comps, 3) for r in roles}
api.post_all("/api/v1/competence-requirements",
             [{"role": r, "competence": c} for r in roles for c in required[r]])
holder_role = {p: roles[i % len(roles)] for i, p in enumerate(people)}
assignments = [{"person": p, "role": r, "starts_on": "2025-01-01"} for p, r in holder_role.items()]
api.post_all("/api/v1/role-assignments", assignments)
records = []
for p, r in holder_role.items():
    for c in required[r]:
        if rnd.random() < 0.85:
            obtained = today - datetime.timedelta(days=rnd.randint(1, 3 * 365))
            records.append({"person": p, "competence": c, "obtained_on": obtained.isoformat()})
api.post_all("/api/v1/training-records", records)
print(roles[0], len(assignments), len(records))
