"""api.py — what the benchmark generators share: JSON requests to isms with a bearer token
(exiting on any error status), and many POSTs of one kind over keep-alive connections in
threads, every record validated and logged like any write."""
import http.client
import json
import sys
import threading
import urllib.parse


class Api:
    def __init__(self, url, token, threads=8):
        self.url = urllib.parse.urlsplit(url)
        self.token = token
        self.threads = threads

    def conn(self):
        return http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=120)

    def req(self, conn, method, path, body=None, token=None):
        h = {"Authorization": "Bearer " + (token or self.token),
             "Content-Type": "application/json"}
        conn.request(method, path, json.dumps(body) if body is not None else None, h)
        r = conn.getresponse()
        data = r.read()
        if r.status >= 300:
            sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data) if data else None

    def post_all(self, path, records):
        """POSTs every record, in order of index; returns their ids."""
        ids, nxt, lock = [None] * len(records), [0], threading.Lock()

        failed = []

        def worker():
            conn = self.conn()
            while not failed:
                with lock:
                    k = nxt[0]
                    nxt[0] += 1
                if k >= len(records):
                    break
                try:
                    ids[k] = self.req(conn, "POST", path, records[k])["id"]
                except SystemExit as stop:  # a refused write: stop every worker, then exit
                    failed.append(stop.code)

        ts = [threading.Thread(target=worker) for _ in range(self.threads)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        if failed:
            sys.exit(failed[0])
        return ids
