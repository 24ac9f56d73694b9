#!/usr/bin/env python3
"""gen_review.py — a generated organization for the management review benchmark: 100 people,
CONTROLS applied controls, RISKS risks (each owned by a person, treated by 1–3 controls),
FINDINGS treatment actions (some overdue, some done), 200 context issues, 50 interested
parties with 300 requirements, 200 inbound communication records, 12 objectives with a
monthly result over the past three years, and 40 ISMS risks and opportunities. Everything is
POSTed through the API (validated and logged like any write). Prints nothing.
usage: gen_review.py BASE_URL MANAGER_TOKEN RISKS CONTROLS FINDINGS [THREADS]"""
import datetime
import random
import sys

from api import Api

url, manager = sys.argv[1:3]
risks_n, controls_n, findings_n = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
api = Api(url, manager, int(sys.argv[6]) if len(sys.argv) > 6 else 8)
rnd = random.Random(9)
today = datetime.date.today()


def day(back):
    return (today - datetime.timedelta(days=back)).isoformat()


people = api.post_all("/api/v1/people", [{"name": f"Person {i:03d}"} for i in range(100)])
controls = api.post_all("/api/v1/controls", [{"name": f"Control {i:05d}", "owner": rnd.choice(people)}
                                             for i in range(controls_n)])
risks = api.post_all("/api/v1/risks", [
    {"title": f"Risk {i:05d}", "owner": rnd.choice(people), "controls": rnd.sample(controls, rnd.randint(1, 3))}
    for i in range(risks_n)])
api.post_all("/api/v1/treatment-actions", [
    {"risk": rnd.choice(risks), "action": f"Treatment {i:04d}", "owner": rnd.choice(people),
     "due_date": day(rnd.randint(-180, 700)),
     **({"status": "done", "done_on": day(rnd.randint(1, 700))} if i % 3 == 0 else {})}
    for i in range(findings_n)])
api.post_all("/api/v1/context-issues", [
    {"title": f"Issue {i:03d}", "origin": "internal" if i % 2 else "external",
     "category": "culture" if i % 2 else "economic"} for i in range(200)])
parties = api.post_all("/api/v1/interested-parties", [
    {"name": f"Party {i:02d}", "origin": "external", "kind": "customer"} for i in range(50)])
api.post_all("/api/v1/requirements", [
    {"description": f"Requirement {i:03d}", "party": rnd.choice(parties), "source": "contractual"}
    for i in range(300)])
api.post_all("/api/v1/communication-records", [
    {"communicated_on": day(rnd.randint(0, 3 * 365)), "direction": "inbound", "summary": f"Feedback {i:03d}",
     "interested_parties": [rnd.choice(parties)]} for i in range(200)])
objectives = api.post_all("/api/v1/objectives", [
    {"statement": f"Objective {i:02d}", "level": "tactical", "direction": "at_least", "frequency": "monthly"}
    for i in range(12)])
api.post_all("/api/v1/objective-results", [
    {"objective": o, "measured_on": day(30 * m + 1), "value": rnd.randint(50, 100)}
    for o in objectives for m in range(36)])
api.post_all("/api/v1/isms-risks", [
    {"title": f"ISMS item {i:02d}", "kind": "opportunity" if i % 2 else "risk"} for i in range(40)])
