#!/usr/bin/env python3
"""gen.py — benchmark data for isms: N people, written through the real HTTP API.

    gen.py generate --count 100000 --out people.json
        Writes a JSON array of people (deterministic: --seed). The first --managers records
        have no manager; every later record's "manager" is the 1-based position in the file
        of one of those first records (translated to a real id when posting).

    gen.py post --url http://127.0.0.1:PORT --token TOKEN --file people.json [--threads 8]
        POSTs every record to /api/v1/people over keep-alive connections from several
        threads: first the managers, then the rest with "manager" set to the id the server
        gave that manager. Every record goes through validation and the change log, so
        `isms verify` stays clean. Prints the elapsed time and the rate.

Standard library only. 20 departments, each matching ~5% of the people (~5,000 of 100,000).
"""
import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

DEPARTMENTS = [
    "Engineering", "Sales", "Marketing", "Finance", "Legal", "Human Resources",
    "Operations", "Customer Support", "Security", "IT", "Procurement", "Facilities",
    "Research", "Product", "Quality", "Compliance", "Logistics", "Training",
    "Internal Audit", "Communications",
]
FIRST = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances",
         "Edsger", "Radia", "Tim", "Hedy", "Donald", "Katherine", "John", "Sophie", "Niklaus",
         "Lynn", "Bjarne", "Anita", "Guido", "Shafi", "Leslie", "Joan", "Vint", "Mary", "Whitfield",
         "Adele", "Robin", "Jean", "Ivan"]
LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson",
        "Allen", "Dijkstra", "Perlman", "Berners-Lee", "Lamarr", "Knuth", "Johnson", "McCarthy",
        "Wilson", "Wirth", "Conway", "Stroustrup", "Borg", "van Rossum", "Goldwasser", "Lamport",
        "Clarke", "Cerf", "Shaw", "Diffie", "Goldberg", "Milner", "Sammet", "Sutherland"]
TITLES = ["Analyst", "Engineer", "Senior Engineer", "Manager", "Specialist", "Coordinator",
          "Director", "Associate", "Consultant", "Administrator", "Officer", "Lead"]


def generate(count, managers, seed):
    rnd = random.Random(seed)
    managers = min(managers, count)
    people = []
    for i in range(1, count + 1):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        p = {
            "name": f"{first} {last}",
            "email": f"{first}.{last}.{i}@example.com".lower().replace(" ", ""),
            # Round-robin so every department gets count/20 people exactly (±1).
            "department": DEPARTMENTS[i % len(DEPARTMENTS)],
            "job_title": rnd.choice(TITLES),
            "active": rnd.random() < 0.95,
        }
        if i > managers:
            p["manager"] = rnd.randint(1, managers)
        people.append(p)
    return people


class Poster:
    """One keep-alive connection per thread; records are handed out from a shared index."""

    def __init__(self, url, token):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json",
                        "Connection": "keep-alive"}
        self.lock = threading.Lock()
        self.errors = []

    def run(self, records, threads, on_created):
        """POSTs records[k] for every k; on_created(k, id) is called for each 201."""
        nxt = [0]

        def worker():
            conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            while True:
                with self.lock:
                    k = nxt[0]
                    nxt[0] += 1
                if k >= len(records) or len(self.errors) > 10:
                    break
                body = json.dumps(records[k])
                for attempt in range(3):
                    try:
                        conn.request("POST", "/api/v1/people", body, self.headers)
                        resp = conn.getresponse()
                        data = resp.read()
                        break
                    except (http.client.HTTPException, OSError):
                        conn.close()
                        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                        if attempt == 2:
                            raise
                if resp.status != 201:
                    with self.lock:
                        self.errors.append(f"{resp.status} {data[:300]!r} for {body}")
                    continue
                on_created(k, json.loads(data)["id"])
            conn.close()

        ts = [threading.Thread(target=worker) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        if self.errors:
            sys.exit("gen.py: POST failed:\n  " + "\n  ".join(self.errors[:10]))


def post(url, token, people, threads):
    ids = [None] * len(people)  # file position (0-based) -> server id

    def created(k, rid):
        ids[k] = rid

    nmanagers = next((i for i, p in enumerate(people) if "manager" in p), len(people))
    poster = Poster(url, token)
    t0 = time.monotonic()
    poster.run(people[:nmanagers], threads, created)
    rest = []
    for p in people[nmanagers:]:
        q = dict(p)
        if "manager" in q:
            q["manager"] = ids[q["manager"] - 1]
        rest.append(q)
    poster.run(rest, threads, lambda k, rid: created(nmanagers + k, rid))
    return time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write a JSON array of people")
    g.add_argument("--count", type=int, default=100000)
    g.add_argument("--managers", type=int, default=2000)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--out", required=True)
    p = sub.add_parser("post", help="POST a JSON array of people to a running isms")
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--threads", type=int, default=8)
    a = ap.parse_args()
    if a.cmd == "generate":
        t0 = time.monotonic()
        people = generate(a.count, a.managers, a.seed)
        with open(a.out, "w") as f:
            json.dump(people, f, separators=(",", ":"))
        print(f"gen.py: wrote {len(people)} people to {a.out} in {time.monotonic() - t0:.1f} s",
              file=sys.stderr)
    else:
        with open(a.file) as f:
            people = json.load(f)
        secs = post(a.url, a.token, people, a.threads)
        print(f"gen.py: posted {len(people)} people with {a.threads} threads in {secs:.1f} s "
              f"({len(people) / secs:.0f}/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
