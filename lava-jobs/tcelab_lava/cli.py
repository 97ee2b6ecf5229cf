"""`tcelab lava SUBCOMMAND ...` (lava-jobs/README.md)."""
import argparse
import os
import sys

from .errors import LavaError

USAGE = """\
tcelab lava generate MATRIX.yaml --out DIR [--no-check-files]
tcelab lava validate JOB.yaml...
tcelab lava submit --server URL [--identity ID] JOB.yaml...|DIR
tcelab lava run-local JOB.yaml [--results DIR] [--job-id N] [--timeout S]
tcelab lava collect --server URL [--results DIR] JOB_ID...
tcelab lava collect --lava-run-dir DIR... [--results DIR]
"""


def _say(msg):
    print("tcelab lava: %s" % msg, file=sys.stderr)


def cmd_generate(a):
    from . import generate
    index = generate.generate(a.matrix, a.out, check_files=not a.no_check_files, log=_say)
    for j in index["jobs"]:
        print(os.path.join(a.out, j["file"]))
    return 0


def cmd_validate(a):
    from . import generate
    for path in a.jobs:
        generate.validate_file(path)
        print("%s: valid" % path)
    return 0


def cmd_submit(a):
    from . import submit
    return submit.main(a, _say)


def cmd_run_local(a):
    from . import runlocal
    return runlocal.main(a, _say)


def cmd_collect(a):
    from . import collect
    return collect.main(a, _say)


def parser():
    p = argparse.ArgumentParser(prog="tcelab lava", usage=USAGE)
    sub = p.add_subparsers(dest="cmd", metavar="SUBCOMMAND")
    g = sub.add_parser("generate", help="matrix -> LAVA job files")
    g.add_argument("matrix")
    g.add_argument("--out", required=True)
    g.add_argument("--no-check-files", action="store_true",
                   help="do not require local kernel/ramdisk files to exist yet")
    g.set_defaults(func=cmd_generate)
    v = sub.add_parser("validate", help="check job files against LAVA's schema")
    v.add_argument("jobs", nargs="+")
    v.set_defaults(func=cmd_validate)
    s = sub.add_parser("submit", help="submit job files to a LAVA server")
    s.add_argument("--server", help="https://HOST (REST API v0.2); token from LAVA_TOKEN")
    s.add_argument("--identity", help="a lavacli identity (~/.config/lavacli.yaml) instead of --server")
    s.add_argument("--record", help="append 'SERVER JOB_ID FILE' lines here (default: DIR/submitted.txt)")
    s.add_argument("jobs", nargs="+", help="job files, or a folder made by generate")
    s.set_defaults(func=cmd_submit)
    r = sub.add_parser("run-local", help="run one job through lava-run on this machine")
    r.add_argument("job")
    r.add_argument("--results", default=None, help="results folder (default: ./results/lava)")
    r.add_argument("--job-id", type=int, default=None, help="lava-run --job-id (default: from the time)")
    r.add_argument("--timeout", type=int, default=None,
                   help="seconds before lava-run is stopped (default: the job's own timeout + 60)")
    r.add_argument("--no-iperf", action="store_true", help="do not start a local iperf3 server")
    r.set_defaults(func=cmd_run_local)
    c = sub.add_parser("collect", help="LAVA results -> the suite's result JSON")
    c.add_argument("--server", help="https://HOST of a lava-server (REST API v0.2)")
    c.add_argument("--lava-run-dir", nargs="+", default=None, help="run-local results folders")
    c.add_argument("--results", default=None, help="where result JSON goes (default: ./results/lava)")
    c.add_argument("--retries", type=int, default=5)
    c.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request")
    c.add_argument("job_ids", nargs="*")
    c.set_defaults(func=cmd_collect)
    return p


def main(argv):
    p = parser()
    a = p.parse_args(argv)
    if not getattr(a, "func", None):
        p.print_usage(sys.stderr)
        return 2
    try:
        return a.func(a)
    except LavaError as exc:
        _say(str(exc))
        return 1
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
