"""A small client for LAVA's REST API v0.2 (lava-server 2023.01).

Token auth ("Authorization: Token SECRET"; reads work anonymously on public
jobs), limit/offset paging, retries with exponential backoff on connection
errors, timeouts and 5xx, and one clear error for everything else. The token
is never part of a message."""
import os
import re
import time
import urllib.parse

from .errors import LavaError

PAGE = 50  # lava-server's PAGE_SIZE


def base_url(server):
    """'http://h:8000', 'http://h/api/v0.2/', 'https://h/RPC2' -> 'http://h:8000/'"""
    if not re.match(r"^https?://[^/\s]+", server or ""):
        raise LavaError("server '%s' is not an http(s):// URL" % server)
    u = urllib.parse.urlsplit(server)
    path = re.sub(r"(/RPC2|/api(/v0\.2)?)?/*$", "", u.path)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, path + "/", "", ""))


def server_key(server):
    """The server part of result folder names: host and port, no scheme."""
    u = urllib.parse.urlsplit(base_url(server))
    return re.sub(r"[^A-Za-z0-9.-]+", "_", u.netloc + u.path.rstrip("/"))


def token_from_lavacli(identity, path=None):
    """(uri, token) of a lavacli identity (~/.config/lavacli.yaml)."""
    import yaml
    path = path or os.path.join(os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"),
                                "lavacli.yaml")
    try:
        with open(path, encoding="utf-8") as f:
            conf = yaml.safe_load(f) or {}
    except OSError as exc:
        raise LavaError("lavacli identities: cannot read %s: %s" % (path, exc.strerror))
    except yaml.YAMLError:
        raise LavaError("lavacli identities: %s is not valid YAML" % path)
    ident = conf.get(identity) if isinstance(conf, dict) else None
    if not isinstance(ident, dict) or "uri" not in ident:
        raise LavaError("lavacli identity '%s' not found in %s" % (identity, path))
    return ident["uri"], ident.get("token")


class Client:
    def __init__(self, server, token=None, retries=5, timeout=30.0, backoff=1.0, sleep=time.sleep):
        import requests
        self.requests = requests
        self.base = base_url(server)
        self.api = self.base + "api/v0.2/"
        self.server = self.base.rstrip("/")
        self._token = token
        self.retries = max(0, int(retries))
        self.timeout = timeout
        self.backoff = backoff
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        if token:
            self.session.headers["Authorization"] = "Token %s" % token

    def __repr__(self):
        return "<LAVA REST client %s%s>" % (self.server, " (token set)" if self._token else "")

    def _request(self, method, path, what, params=None, json_body=None, retry=True):
        url = path if path.startswith("http") else self.api + path.lstrip("/")
        attempts = 1 + (self.retries if retry else 0)
        last = None
        for attempt in range(1, attempts + 1):
            try:
                r = self.session.request(method, url, params=params, json=json_body, timeout=self.timeout)
            except (self.requests.ConnectionError, self.requests.Timeout) as exc:
                last = "cannot connect: %s" % _reason(exc)
            else:
                if r.status_code < 400:
                    return r
                if r.status_code >= 500:
                    last = "HTTP %d %s" % (r.status_code, r.reason)
                elif r.status_code in (401, 403):
                    raise LavaError("%s: %s: HTTP %d %s: %s" % (
                        self.server, what, r.status_code, r.reason,
                        "the token was rejected" if self._token else
                        "this needs a token (LAVA_TOKEN, or --identity with a lavacli identity)"))
                elif r.status_code == 404:
                    raise LavaError("%s: %s: not found (HTTP 404)" % (self.server, what))
                else:
                    raise LavaError("%s: %s: HTTP %d %s: %s" % (self.server, what, r.status_code, r.reason,
                                                                _detail(r)))
            if attempt < attempts:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        raise LavaError("%s: %s: %s (after %d attempt%s)" % (self.server, what, last, attempts,
                                                            "s" if attempts > 1 else ""))

    def get_json(self, path, what, params=None):
        r = self._request("GET", path, what, params=params)
        try:
            return r.json()
        except ValueError:
            raise LavaError("%s: %s: the answer is not JSON (is %s a LAVA server?)" % (self.server, what, self.base))

    def get_text(self, path, what, params=None):
        return self._request("GET", path, what, params=params).text

    def paged(self, path, what):
        """Every item of a paged list (limit/offset)."""
        items, offset = [], 0
        while True:
            page = self.get_json(path, "%s (offset %d)" % (what, offset), params={"limit": PAGE, "offset": offset})
            if isinstance(page, list):  # an unpaged list
                return page
            if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise LavaError("%s: %s: not a paged list" % (self.server, what))
            items.extend(page["results"])
            offset += len(page["results"])
            if not page.get("next") or not page["results"] or (
                    isinstance(page.get("count"), int) and offset >= page["count"]):
                return items

    def post_json(self, path, what, body):
        # No retry after the request may have reached the server: a job
        # submitted twice is worse than a clear error.
        r = self._request("POST", path, what, json_body=body, retry=False)
        try:
            return r.json()
        except ValueError:
            raise LavaError("%s: %s: the answer is not JSON" % (self.server, what))


def _reason(exc):
    text = str(exc)
    m = re.search(r"(Connection refused|Name or service not known|timed out|Connection reset[^)']*|"
                  r"Remote end closed connection[^)']*|No route to host|Temporary failure in name resolution)", text)
    return m.group(1) if m else type(exc).__name__


def _detail(r):
    try:
        data = r.json()
    except ValueError:
        return (r.text or "").strip()[:300]
    if isinstance(data, dict):
        return "; ".join("%s: %s" % (k, v) for k, v in data.items())[:500]
    return str(data)[:500]
