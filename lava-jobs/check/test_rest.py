"""The REST collector against recorded answers of a real lava-server 2023.01
(data/server/: job 1 of the server test, a fio-verify job run by lava-worker),
replayed by a small local HTTP server that can also be slow, down, or answer
401/404/500. The collector against the live server is check/lava_server_test.py."""
import http.server
import json
import os
import socket
import threading
import time
import urllib.parse

import common
from common import DATA, TmpCase
from tcelab_lava import collect, rest
from tcelab_lava.errors import LavaError

SRV = os.path.join(DATA, "server")
SECRET = "s3cr3t-token-never-printed"


def load(name):
    with open(os.path.join(SRV, name), "rb") as f:
        return f.read()


class Stub(http.server.BaseHTTPRequestHandler):
    mode = {}          # path prefix -> list of behaviours, consumed in order
    page = 7           # the stub re-pages recorded lists in pages of this size at most
    hits = []

    def log_message(self, *a):
        pass

    def send(self, code, body, ctype="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the slow-server test)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        Stub.hits.append((u.path, self.headers.get("Authorization")))
        for prefix, behaviours in Stub.mode.items():
            if u.path.startswith(prefix) and behaviours:
                b = behaviours.pop(0)
                if b == "slow":
                    time.sleep(1.5)
                elif isinstance(b, int):
                    return self.send(b, b'{"detail": "boom"}')
        if self.headers.get("Authorization") not in (None, "Token " + SECRET):
            return self.send(401, load("submit-401.json"))
        p = u.path
        if p == "/api/v0.2/jobs/1/":
            doc = json.loads(load("job-1.json"))
            doc["state"] = Stub.state
            return self.send(200, json.dumps(doc).encode())
        if p in ("/api/v0.2/jobs/1/suites/", "/api/v0.2/jobs/1/tests/"):
            full = json.loads(load("job-1-%s.json" % p.split("/")[-2]))["results"]
            limit = min(int(q.get("limit", 50)), Stub.page)
            off = int(q.get("offset", 0))
            nxt = off + limit < len(full)
            return self.send(200, json.dumps({"count": len(full), "next": "http://x/?offset=%d" % (off + limit) if nxt else None,
                                              "previous": None, "results": full[off:off + limit]}).encode())
        if p == "/api/v0.2/jobs/1/logs/":
            return self.send(200, load("job-1-logs.yaml"), "application/yaml")
        return self.send(404, load("job-404.json"))


class Rest(TmpCase):
    @classmethod
    def setUpClass(cls):
        cls.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
        cls.url = "http://127.0.0.1:%d" % cls.httpd.server_address[1]
        threading.Thread(target=cls.httpd.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.httpd.shutdown()

    def setUp(self):
        super().setUp()
        Stub.mode, Stub.hits, Stub.state = {}, [], "Finished"
        self.sleeps = []

    def client(self, **kw):
        kw.setdefault("token", SECRET)
        kw.setdefault("retries", 3)
        kw.setdefault("timeout", 5)
        return rest.Client(self.url, sleep=self.sleeps.append, **kw)

    def collect(self, client=None, job=1):
        return collect.from_server(client or self.client(), job, os.path.join(self.tmp, "res"))

    def files(self):
        out = {}
        for d, _, fs in os.walk(os.path.join(self.tmp, "res")):
            for f in fs:
                with open(os.path.join(d, f), "rb") as fh:
                    out[os.path.relpath(os.path.join(d, f), self.tmp)] = fh.read()
        return out

    def test_collect_with_paging(self):
        folder, job_doc, docs = self.collect()
        self.assertEqual(os.path.basename(folder), "127.0.0.1_%d-1" % self.httpd.server_address[1])
        doc = docs["fio-verify"]
        self.assertEqual(doc["status"], "passed", doc["errors"])
        self.assertEqual(len(doc["metrics"]), 8)
        tests = json.loads(load("job-1-tests.json"))["results"]
        self.assertEqual(len([p for p, _ in Stub.hits if p.endswith("/tests/")]), -(-len(tests) // Stub.page))
        by_name = {t["name"]: t for t in tests}
        from tcelab_lava import results
        for m in doc["metrics"]:
            recorded = by_name[results.case_name(m["name"], list(m["labels"].items()))]["measurement"]
            self.assertAlmostEqual(m["summary"]["median"], float(recorded), places=4)
        self.assertEqual(job_doc["health"], "Complete")
        self.assertTrue(all(a == "Token " + SECRET for _, a in Stub.hits))

    def test_recollect_is_idempotent_and_token_free(self):
        self.collect()
        first = self.files()
        self.collect()
        second = self.files()
        self.assertEqual(sorted(first), sorted(second))
        for name, data in second.items():
            self.assertNotIn(SECRET.encode(), data, name)
        self.assertNotIn(SECRET, repr(self.client()))

    def test_retries_on_5xx_then_success(self):
        Stub.mode = {"/api/v0.2/jobs/1/tests/": [500, 502]}
        _, _, docs = self.collect()
        self.assertEqual(docs["fio-verify"]["status"], "passed")
        self.assertEqual(self.sleeps, [1.0, 2.0])  # exponential backoff

    def test_5xx_gives_up_clearly_and_keeps_earlier_results(self):
        folder, _, _ = self.collect()
        before = self.files()
        Stub.mode = {"/api/v0.2/jobs/1/": [503] * 10}
        with self.assertRaises(LavaError) as cm:
            self.collect()
        msg = str(cm.exception)
        self.assertIn(self.url, msg)
        self.assertIn("job 1", msg)
        self.assertIn("HTTP 503", msg)
        self.assertIn("after 4 attempts", msg)
        self.assertNotIn(SECRET, msg)
        self.assertEqual(before, self.files())  # nothing lost

    def test_slow_server(self):
        Stub.mode = {"/api/v0.2/jobs/1/logs/": ["slow", "slow"]}
        _, _, docs = self.collect(self.client(timeout=0.5))
        self.assertEqual(docs["fio-verify"]["status"], "passed")
        self.assertEqual(len(self.sleeps), 2)
        Stub.mode = {"/api/v0.2/jobs/1/": ["slow"] * 5}
        with self.assertRaises(LavaError) as cm:
            self.collect(self.client(timeout=0.5, retries=1))
        self.assertIn("timed out", str(cm.exception))

    def test_server_down(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        c = rest.Client("http://127.0.0.1:%d" % port, token=SECRET, retries=2, sleep=self.sleeps.append)
        with self.assertRaises(LavaError) as cm:
            self.collect(c)
        self.assertIn("cannot connect: Connection refused (after 3 attempts)", str(cm.exception))
        self.assertNotIn(SECRET, str(cm.exception))

    def test_401_404(self):
        with self.assertRaises(LavaError) as cm:
            self.collect(self.client(token="wrong-token"))
        self.assertIn("HTTP 401", str(cm.exception))
        self.assertIn("the token was rejected", str(cm.exception))
        self.assertNotIn("wrong-token", str(cm.exception))
        with self.assertRaises(LavaError) as cm:
            self.collect(job=77)
        self.assertIn("job 77: not found (HTTP 404)", str(cm.exception))
        self.assertEqual(self.sleeps, [])  # no retry on 4xx

    def test_unfinished_job(self):
        Stub.state = "Running"
        with self.assertRaises(LavaError) as cm:
            self.collect()
        self.assertIn("job 1 is Running: not collected yet", str(cm.exception))

    def test_lavacli_identity(self):
        conf = self.write("lavacli.yaml", "lab:\n  uri: https://lava.example/RPC2\n  username: u\n  token: %s\n" % SECRET)
        self.assertEqual(rest.token_from_lavacli("lab", conf), ("https://lava.example/RPC2", SECRET))
        with self.assertRaises(LavaError) as cm:
            rest.token_from_lavacli("other", conf)
        self.assertIn("identity 'other' not found", str(cm.exception))
        self.assertNotIn(SECRET, str(cm.exception))

    def test_base_url(self):
        for given in ("http://h:8000", "http://h:8000/", "http://h:8000/api/v0.2/", "http://h:8000/RPC2"):
            self.assertEqual(rest.base_url(given), "http://h:8000/")
        self.assertEqual(rest.server_key("https://lava.example/sub/RPC2"), "lava.example_sub")
        with self.assertRaises(LavaError):
            rest.base_url("lava.example")


if __name__ == "__main__":
    common.main()
