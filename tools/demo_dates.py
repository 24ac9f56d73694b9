#!/usr/bin/env python3
"""demo_dates.py — dates the demo organization (data/demo.json) over its year of history.

Every entry gets "on": the day it was keyed in (an entry may say "after": a day it comes after). An entry's day is the later of its phase's
day (the order in which the organization built its ISMS: people and roles first, then
context, scope, assets, risks, controls, documents, acknowledgements) and the latest past
date among its own fields (a review held, evidence of a meeting, a role taken up: it was
recorded once it had happened). An entry never comes before what it refers to, so entries
are then put in date order, keeping the file's order among entries of one day and after
every entry they depend on. Run it after adding entries:

    python3 tools/demo_dates.py data/demo.json

It rewrites the file in place (one space indentation, as the file is kept).
"""
import datetime
import json
import re
import sys

TODAY = datetime.date.today().isoformat()
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})$")

# Phase per (type, action): the day such entries are keyed in when their fields say nothing
# later, as a span (first, last) over which the entries of the phase are spread in order.
PHASES = [
    (("people", None), ("2025-12-01", "2025-12-02")),
    (("users", None), ("2025-12-02", "2025-12-02")),
    (("roles", None), ("2025-12-03", "2025-12-03")),
    (("role-assignments", None), ("2025-12-04", "2025-12-04")),
    (("context-issues", None), ("2026-01-12", "2026-01-16")),
    (("climate-decisions", None), ("2026-01-16", "2026-01-16")),
    (("interested-parties", None), ("2026-01-19", "2026-01-21")),
    (("requirements", None), ("2026-01-21", "2026-01-30")),
    (("scopes", None), ("2026-02-02", "2026-02-02")),
    (("scopes", "submit"), ("2026-02-04", "2026-02-04")),
    (("scopes", "approve"), ("2026-02-10", "2026-02-10")),
    (("processes", None), ("2026-02-16", "2026-02-18")),
    (("assets", None), ("2026-02-23", "2026-03-13")),
    (("risk-methods", None), ("2026-03-16", "2026-03-16")),
    (("controls", None), ("2026-03-23", "2026-04-10")),
    (("risks", None), ("2026-04-13", "2026-05-22")),
    (("treatment-actions", None), ("2026-05-25", "2026-05-29")),
    (("isms-risks", None), ("2026-06-01", "2026-06-03")),
    (("risk-assessments", None), ("2026-06-03", "2026-06-03")),
    (("soa", None), ("2026-06-08", "2026-06-26")),
    (("documents", None), ("2026-06-29", "2026-07-03")),
    (("document-versions", None), ("2026-07-06", "2026-09-11")),
    (("raci", None), ("2026-09-14", "2026-09-25")),
    (("leadership-evidence", None), ("2026-01-05", "2026-01-05")),
    (("resources", None), ("2025-12-08", "2026-03-03")),
    (("acknowledgements", None), ("2026-09-14", "2026-11-20")),
    (("soa-versions", None), ("2026-11-23", "2026-11-23")),
    (("soa-versions", "approve"), ("2026-11-24", "2026-11-24")),
    (("management-reviews", None), ("2026-09-07", "2026-11-25")),
    (("management-reviews", "prepare"), ("2026-09-23", "2026-09-23")),
    (("management-reviews", "hold"), ("2026-09-24", "2026-09-24")),
    (("review-actions", None), ("2026-09-24", "2026-09-24")),
]


def kind(entry):
    t = entry.get("type") or entry.get("update") or entry.get("attach")
    return t, entry.get("action")


def phase_of(entry):
    t, action = kind(entry)
    for (pt, pa), span in PHASES:
        if pt == t and (pa == action or (pa is None and not any(
                q == (t, action) for q, _ in PHASES))):
            return (pt, pa), span
    return None, None


def refs(value, out):
    """Keys ("@key") and look-ups ("@@…") an entry refers to."""
    if isinstance(value, str) and value.startswith("@"):
        out.add(value[2:] if value.startswith("@@") else value[1:])
    elif isinstance(value, list):
        for v in value:
            refs(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            refs(v, out)


def past_dates(value, out):
    if isinstance(value, str) and DATE.match(value) and value <= TODAY:
        out.append(value)
    elif isinstance(value, list):
        for v in value:
            past_dates(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            past_dates(v, out)


def spread(span, k, n):
    a = datetime.date.fromisoformat(span[0])
    b = datetime.date.fromisoformat(span[1])
    return (a + datetime.timedelta(days=((b - a).days * k) // max(n - 1, 1))).isoformat()


def main(path):
    doc = json.load(open(path, encoding="utf-8"))
    entries = doc["records"]
    for e in entries:
        e.pop("on", None)
    # How many entries each phase has, to spread them over its span.
    counts, seen = {}, {}
    for e in entries:
        p, _ = phase_of(e)
        counts[p] = counts.get(p, 0) + 1
    last_touch = {}  # key -> index of the last entry that made or changed it
    last_ref = {}  # key -> index of the last entry that referred to it in any way
    last_update = {}  # plural -> index of its last update (SoA versions wait for the SoA)
    day = []
    deps = []
    for i, e in enumerate(entries):
        p, span = phase_of(e)
        k = seen.get(p, 0)
        seen[p] = k + 1
        own = []
        past_dates(e.get("fields") or {}, own)
        past_dates(e.get("body") or {}, own)
        base = spread(span, k, counts[p]) if span else (day[-1] if day else TODAY)
        # "after": a day the entry is known to come after (kept in the file).
        d = max([base] + own + ([e["after"]] if e.get("after") else []))
        mine = set()
        refs({x: v for x, v in e.items() if x in ("fields", "record", "body")}, mine)
        dep = {last_touch[r] for r in mine if r in last_touch}
        for r in mine:  # "@@plural:field=value": the entry that made that record
            m = re.match(r"^([a-z-]+):([a-z_]+)=(.*)$", r)
            if m:
                dep |= {j for j, x in enumerate(entries[:i]) if x.get("type") == m.group(1)
                        and not x.get("action")
                        and str((x.get("fields") or {}).get(m.group(2))) == m.group(3)}
        target = e.get("record")
        if isinstance(target, str) and target.startswith("@") and not target.startswith("@@"):
            # An action or update comes after everything said about its record so far (the
            # treatment actions of a risk come before its plan is approved).
            if target[1:] in last_ref:
                dep.add(last_ref[target[1:]])
        if e.get("type") == "soa-versions" and not e.get("action") and "soa" in last_update:
            dep.add(last_update["soa"])
        if e.get("type") == "risks" or e.get("update") == "risks":
            dep |= {j for j, x in enumerate(entries[:i]) if kind(x) == ("risk-methods", "approve")}
        for j in dep:
            d = max(d, day[j])
        day.append(min(d, TODAY))
        deps.append(dep)
        for key in [e.get("key")] + ([e["record"][1:]] if isinstance(e.get("record"), str)
                                      and e["record"].startswith("@")
                                      and not e["record"].startswith("@@") else []):
            if key:
                last_touch[key] = i
        if e.get("update"):
            last_update[e["update"]] = i
        for r in mine:
            last_ref[r] = i
    order = sorted(range(len(entries)), key=lambda i: (day[i], i))
    placed = set()
    result = []
    for i in order:
        assert deps[i] <= placed, f"entry {i + 1} would come before what it refers to"
        placed.add(i)
        entries[i]["on"] = day[i]
        result.append(entries[i])
    doc["records"] = result
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"{path}: {len(result)} entries dated {day and min(day)} to {day and max(day)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/demo.json")
