"""lava test: the collector against a real lava-server 2023.01.

Starts, in a throw-away folder, a PostgreSQL cluster of its own (unix socket
only), lava-server (migrated database, a superuser with a token, a worker, a
qemu device whose dictionary comes from lava-jobs/devices), gunicorn on
127.0.0.1, lava-scheduler and lava-worker (which runs lava-run). Then:
submits tcelab jobs with `tcelab lava submit` (REST, token from LAVA_TOKEN),
lets the worker run them in the emulated lab, cancels one, and collects all
with `tcelab lava collect --server` (REST API v0.2): measurements as the
server recorded them and as the guest printed them, a failed workload as a
failed case, the cancelled job and the job error with LAVA's failure class,
re-collecting without duplicates, a 401, a 404 and a server that is down.
Everything it started is stopped and removed at the end.

Needs root, lava-server, lava-dispatcher, gunicorn, PostgreSQL 15 and the
guest image; exits 77 (skipped) without them. Takes 3 to 5 minutes."""
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import requests
import yaml

import common
from tcelab_lava import generate, lavalog, results

IMAGE = os.environ.get("TCELAB_GUEST_IMAGE") or os.path.join(common.REPO, "build", "guest-image")
TCELAB = os.path.join(common.REPO, "tcelab")
PG_BIN = "/usr/lib/postgresql/15/bin"

MATRIX = """\
name: srv
kind: qemu-pseries
kernels:
  - name: guest
    kernel: %(image)s/vmlinux
    ramdisk: %(image)s/guest.cpio.gz
devices:
  - name: nvme
    dut: "0001:00:00.0"
    fio_bdf: "0000:00:02.0"
workloads:
  - name: fio-verify
    engine: fio
    args: [verify-pattern.fio]
  - name: dma-map-v2
    engine: dma-map
    args: [--iommu=spapr-v2, --pattern=pairs, --sizes=4k-1m, --iterations=8]
  - name: dma-map-bad
    engine: dma-map
    args: [--iommu=spapr-v1, --sizes=no-such-size]
timeouts: {job: 12, boot: 3, test: 8}
"""


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def skip(why):
    print("SKIP: %s" % why)
    sys.exit(common.SKIP)


class Failed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failed(what)
    log("ok: %s" % what)


class Server:
    def __init__(self, tmp):
        self.tmp = tmp
        self.procs = []
        self.port = self.free_port()
        self.pg_port = self.free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.env = dict(os.environ)
        self.token = None

    @staticmethod
    def free_port():
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        s.close()
        return p

    def run(self, *cmd, capture=False, **kw):
        p = subprocess.run(list(cmd), env=self.env, cwd=self.tmp, capture_output=True, text=True, timeout=600, **kw)
        if p.returncode != 0:
            raise Failed("%s: exit %d: %s" % (" ".join(cmd[:4]), p.returncode, (p.stderr or p.stdout)[-800:]))
        return p.stdout

    def start(self, name, *cmd):
        out = open(os.path.join(self.tmp, name + ".out"), "w")
        p = subprocess.Popen(list(cmd), env=self.env, cwd=self.tmp, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        self.procs.append((name, p))
        return p

    def setup(self):
        t = self.tmp
        for d in ("pg", "sock", "devices", "media", "health-checks", "worker"):
            os.makedirs(os.path.join(t, d))
        shutil.chown(os.path.join(t, "pg"), "postgres", "postgres")
        shutil.chown(os.path.join(t, "sock"), "postgres", "postgres")
        os.chmod(t, 0o755)
        log("PostgreSQL cluster in %s/pg" % t)
        self.run("runuser", "-u", "postgres", "--", PG_BIN + "/initdb", "-D", t + "/pg", "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.run("runuser", "-u", "postgres", "--", PG_BIN + "/pg_ctl", "-D", t + "/pg", "-l", t + "/sock/pg.log",
                 "-o", "-k %s/sock -p %d -c listen_addresses=''" % (t, self.pg_port), "-w", "start")
        self.pg_started = True
        self.run("psql", "-h", t + "/sock", "-p", str(self.pg_port), "-U", "postgres", "-c", "create database lavaserver")
        settings = {
            "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "lavaserver",
                                      "USER": "postgres", "PASSWORD": "", "HOST": t + "/sock",
                                      "PORT": str(self.pg_port)}},
            "DEVICES_PATH": t + "/devices", "HEALTH_CHECKS_PATH": t + "/health-checks",
            "MEDIA_ROOT": t + "/media/", "DJANGO_LOGFILE": t + "/django.log",
            "DEVICE_TYPES_PATHS": [os.path.join(common.LAVA_JOBS, "device-types"),
                                   "/usr/share/lava-server/device-types"],
        }
        self.env["LAVA_JSON_SETTINGS"] = base64.b64encode(json.dumps(settings).encode()).decode()
        log("lava-server manage migrate")
        self.run("lava-server", "manage", "migrate", "--noinput")
        self.run("lava-server", "manage", "users", "add", "--superuser", "--staff", "--passwd",
                 "tcelab-test-pass", "tcelab")
        self.token = self.run("lava-server", "manage", "tokens", "add", "--user", "tcelab",
                              "--description", "tcelab test").strip().split()[-1]
        wtoken = re.search(r"Token: (\S+)", self.run("lava-server", "manage", "workers", "add", "tcelab-worker")).group(1)
        with open(t + "/worker.token", "w") as f:
            f.write(wtoken)
        os.chmod(t + "/worker.token", 0o600)
        self.run("lava-server", "manage", "device-types", "add", "qemu")
        self.run("lava-server", "manage", "devices", "add", "--device-type", "qemu", "--worker", "tcelab-worker",
                 "qemu-tcelab01")
        # the same dictionary as `tcelab lava run-local` uses
        shutil.copy(os.path.join(common.LAVA_JOBS, "devices", "qemu-local.jinja2"),
                    os.path.join(t, "devices", "qemu-tcelab01.jinja2"))
        self.run("lava-server", "manage", "devices", "update", "--health", "GOOD", "qemu-tcelab01")
        self.start_web()
        self.start("scheduler", "lava-server", "manage", "lava-scheduler", "--level", "DEBUG",
                   "--log-file", t + "/scheduler.log")
        self.start("worker", "lava-worker", "--name", "tcelab-worker", "--url", self.url + "/",
                   "--token-file", t + "/worker.token", "--worker-dir", t + "/worker",
                   "--log-file", t + "/worker.log", "--level", "DEBUG")

    def start_web(self):
        self.web = self.start("gunicorn", "gunicorn3", "lava_server.wsgi", "--bind", "127.0.0.1:%d" % self.port,
                              "--workers", "2", "--worker-class", "eventlet", "--timeout", "120",
                              "--log-file", self.tmp + "/gunicorn.log")
        for _ in range(60):
            try:
                if requests.get(self.url + "/api/v0.2/system/version/", timeout=5).ok:
                    log("lava-server %s on %s" % (requests.get(self.url + "/api/v0.2/system/version/").json()["version"],
                                                   self.url))
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise Failed("gunicorn did not answer on %s" % self.url)

    def stop(self, name):
        for n, p in self.procs:
            if n == name and p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(30)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass

    def cleanup(self):
        for name, _ in reversed(self.procs):
            self.stop(name)
        if getattr(self, "pg_started", False):
            subprocess.run(["runuser", "-u", "postgres", "--", PG_BIN + "/pg_ctl", "-D", self.tmp + "/pg",
                            "-m", "fast", "-w", "stop"], capture_output=True, timeout=120)

    def job(self, jid):
        return requests.get("%s/api/v0.2/jobs/%s/" % (self.url, jid), timeout=30).json()

    def wait(self, jid, states, limit=600):
        t0 = time.time()
        while time.time() - t0 < limit:
            j = self.job(jid)
            if j["state"] in states:
                return j
            time.sleep(3)
        raise Failed("job %s still %s after %d s" % (jid, j["state"], limit))


def tcelab(env, *args):
    p = subprocess.run([TCELAB, "lava"] + list(args), env=env, capture_output=True, text=True, timeout=900)
    return p.returncode, p.stdout, p.stderr


def main():
    if os.geteuid() != 0:
        skip("needs root (PostgreSQL via runuser, lava-worker runs lava-run)")
    for tool in ("lava-server", "lava-worker", "lava-run", "gunicorn3", "psql", "runuser"):
        if not shutil.which(tool):
            skip("no %s (scripts/setup-lava --server)" % tool)
    if not os.path.isfile(PG_BIN + "/initdb"):
        skip("no PostgreSQL 15 (scripts/setup-lava --server)")
    for f in ("vmlinux", "guest.cpio.gz"):
        if not os.path.isfile(os.path.join(IMAGE, f)):
            skip("no guest image in %s" % IMAGE)
    tmp = tempfile.mkdtemp(prefix="tcelab-lava-server.")
    srv = Server(tmp)
    ok = False
    try:
        srv.setup()
        with open(os.path.join(tmp, "m.yaml"), "w") as f:
            f.write(MATRIX % {"image": IMAGE})
        gen = os.path.join(tmp, "gen")
        index = generate.generate(os.path.join(tmp, "m.yaml"), gen)
        # one job with all three workloads (one boot), as in the emu test
        jobs = []
        for j in index["jobs"]:
            with open(os.path.join(gen, j["file"])) as f:
                jobs.append(yaml.safe_load(f))
        merged = jobs[0]
        tests = merged["actions"][-1]["test"]
        for other in jobs[1:]:
            tests["definitions"] += other["actions"][-1]["test"]["definitions"]
        merged["job_name"] = "tcelab.srv.merged"
        paths = {}
        for name, data in (("merged", merged), ("cancel", dict(merged, job_name="tcelab.srv.cancel"))):
            paths[name] = os.path.join(gen, name + ".yaml")
            with open(paths[name], "w") as f:
                yaml.safe_dump(data, f, sort_keys=False)
        bad = json.loads(json.dumps(jobs[0]))
        bad["job_name"] = "tcelab.srv.bad-kernel"
        bad["actions"][0]["deploy"]["images"]["kernel"]["url"] = "file:///nonexistent/vmlinux"
        paths["bad"] = os.path.join(gen, "bad.yaml")
        with open(paths["bad"], "w") as f:
            yaml.safe_dump(bad, f, sort_keys=False)

        env = dict(os.environ, LAVA_TOKEN="not-the-token")
        rc, out, err = tcelab(env, "submit", "--server", srv.url, paths["merged"])
        check(rc == 1 and re.search(r"HTTP 40[13]", err) and "token was rejected" in err and "not-the-token" not in err + out,
              "submit with a wrong token: %s" % err.strip().splitlines()[-1])
        env["LAVA_TOKEN"] = srv.token
        rc, out, err = tcelab(env, "submit", "--server", srv.url, paths["merged"], paths["cancel"], paths["bad"])
        check(rc == 0 and srv.token not in out + err, "submit: %s" % out.strip().replace("\n", "; "))
        ids = dict(zip(("merged", "cancel", "bad"), [int(l.split()[1]) for l in out.splitlines()]))

        srv.wait(ids["merged"], ("Finished",))
        srv.wait(ids["cancel"], ("Running", "Finished"))
        r = requests.get("%s/api/v0.2/jobs/%d/cancel/" % (srv.url, ids["cancel"]),
                         headers={"Authorization": "Token " + srv.token}, timeout=30)
        log("cancel job %d: %s" % (ids["cancel"], r.text.strip()))
        for k in ("cancel", "bad"):
            srv.wait(ids[k], ("Finished",))

        res = os.path.join(tmp, "results")
        rc, out, err = tcelab(env, "collect", "--server", srv.url, "--results", res,
                              str(ids["merged"]), str(ids["cancel"]), str(ids["bad"]), "99999")
        log("collect:\n" + err)
        check(rc == 1 and "job 99999: not found (HTTP 404)" in err, "an unknown job is a clear 404")
        key = re.sub(r"[^A-Za-z0-9.-]+", "_", "127.0.0.1:%d" % srv.port)
        folder = os.path.join(res, "%s-%d" % (key, ids["merged"]))
        with open(os.path.join(folder, "job.json")) as f:
            job_doc = json.load(f)
        check(job_doc["health"] == "Complete", "merged job Complete on the server")
        docs = {}
        for n in ("fio-verify", "dma-map-v2", "dma-map-bad"):
            with open(os.path.join(folder, n + ".result.json")) as f:
                docs[n] = json.load(f)
        # what the server recorded, straight from its API (all pages)
        cases, offset = [], 0
        while True:
            page = requests.get("%s/api/v0.2/jobs/%d/tests/" % (srv.url, ids["merged"]),
                                params={"limit": 50, "offset": offset}, timeout=30).json()
            cases += page["results"]
            offset += len(page["results"])
            if not page["next"]:
                break
        check(len(cases) > 50, "%d test cases on the server: paged" % len(cases))
        suites = {s["id"]: s["name"] for s in requests.get("%s/api/v0.2/jobs/%d/suites/" % (srv.url, ids["merged"]),
                                                           timeout=30).json()["results"]}
        server = {(suites[c["suite"]].split("_", 1)[1], c["name"]): c for c in cases if suites[c["suite"]] != "lava"}
        logtext = requests.get("%s/api/v0.2/jobs/%d/logs/" % (srv.url, ids["merged"]), timeout=60).text
        printed = {}
        for line in logtext.splitlines():
            e = lavalog.parse_line(line)
            m = re.search(r"<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=(\S+) RESULT=(\S+)(?: UNITS=\S+)?(?: MEASUREMENT=([^ >]+))?>",
                          str((e or {}).get("msg", ""))) if e and e.get("lvl") == "target" else None
            if m:
                printed.setdefault(m.group(1), m.group(3))
        for n in ("fio-verify", "dma-map-v2"):
            d = docs[n]
            check(d["status"] == "passed" and len(d["metrics"]) >= 4, "%s passed, %d metrics" % (n, len(d["metrics"])))
            for m in d["metrics"]:
                case = results.case_name(m["name"], list(m["labels"].items()))
                rec = float(server[(n, case)]["measurement"])
                pr = float(printed[case])
                med = m["summary"]["median"]
                if abs(rec - med) > 1e-6 * max(1.0, abs(med)) or abs(pr - med) > 1e-6 * max(1.0, abs(med)):
                    raise Failed("%s %s: result %s, server %s, guest %s" % (n, case, med, rec, pr))
            log("ok: %s: every measurement = the server's = the guest's (e.g. %s %s %s)" % (
                n, d["metrics"][0]["name"], d["metrics"][0]["summary"]["median"], d["metrics"][0]["unit"]))
        check(server[("dma-map-bad", "dma-map-bad")]["result"] == "fail" and docs["dma-map-bad"]["status"] == "failed",
              "dma-map-bad is a failed test case on the server and a failed result: %s" % docs["dma-map-bad"]["errors"][0])

        with open(os.path.join(res, "%s-%d" % (key, ids["cancel"]), "job.json")) as f:
            cj = json.load(f)
        check(cj["health"] == "Canceled" and (cj["failure"] or {}).get("error_type") == "Canceled",
              "cancelled job: health %s, LAVA failure %s" % (cj["health"], cj["failure"]))
        with open(os.path.join(res, "%s-%d" % (key, ids["bad"]), "job.json")) as f:
            bj = json.load(f)
        check(bj["health"] == "Incomplete" and (bj["failure"] or {}).get("error_type") == "Job",
              "bad kernel: health %s, LAVA failure %s: %s" % (bj["health"], bj["failure"]["error_type"],
                                                              bj["failure"]["error_msg"].strip()))

        def snapshot():
            return sorted((os.path.relpath(os.path.join(d, f), res), os.path.getsize(os.path.join(d, f)))
                          for d, _, fs in os.walk(res) for f in fs)
        before = snapshot()
        rc, out, err = tcelab(env, "collect", "--server", srv.url, "--results", res, str(ids["merged"]))
        check(rc == 0 and [p for p, _ in snapshot()] == [p for p, _ in before], "collecting again: no duplicates")
        for d, _, fs in os.walk(res):
            for f in fs:
                with open(os.path.join(d, f), "rb") as fh:
                    if srv.token.encode() in fh.read():
                        raise Failed("the token is in %s" % f)
        log("ok: the token is in no result file")

        srv.stop("gunicorn")
        rc, out, err = tcelab(env, "collect", "--server", srv.url, "--results", res, "--retries", "2",
                              str(ids["merged"]))
        check(rc == 1 and "cannot connect: Connection refused (after 3 attempts)" in err,
              "server down: %s" % err.strip().splitlines()[0])
        check([p for p, _ in snapshot()] == [p for p, _ in before], "server down: nothing collected before is lost")
        ok = True
        print("PASS")
    except Failed as exc:
        print("FAIL: %s" % exc)
        for f in ("worker.log", "scheduler.log", "gunicorn.log"):
            p = os.path.join(tmp, f)
            if os.path.exists(p):
                with open(p, errors="replace") as fh:
                    print("--- %s (tail)\n%s" % (f, "".join(fh.readlines()[-15:])))
    finally:
        srv.cleanup()
        if ok or not os.environ.get("TCELAB_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept %s" % tmp)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
