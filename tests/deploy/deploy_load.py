"""Load generator for the deploy tests: many readers on one nginx while a release switches.

Usage: python tests/deploy/deploy_load.py PORT PAGES NEW MIN_REQUESTS MAX_SECONDS

Runs 8 threads, each with one keep-alive connection to 127.0.0.1:PORT, fetching a random
page `/a/<n>/` (n < PAGES) of a fake build (`fake_build` in tests/deploy/deploy_helpers.py),
then the stylesheet that page links, as a browser would. Prints `ready` once the first 200 requests
are done, keeps going until it reads a line (or end of input) on stdin, then until
MIN_REQUESTS requests are done in all and AFTER_STOP (2,000) since the stop line, so
the new release is read for a while too, never past MAX_SECONDS. Then prints one JSON object:

    requests, requests_before_stop   all requests; those sent before the stop line
    page_errors, asset_errors        responses other than 200 for pages / stylesheets
    asset_404                        stylesheet responses that were 404
    torn                             pages whose start and end name different versions
    old_after_new                    pages of another version than NEW, from requests sent
                                     after the first NEW page had arrived ("-" for NEW
                                     turns this check off)
    versions                         {version: pages}

Bounded in count (at most MIN_REQUESTS + 100,000) and time (MAX_SECONDS).
"""

import http.client
import json
import random
import re
import sys
import threading
import time

VERSION_RE = re.compile(rb"content=(v\d+)>.*?href=\"(/theme/css/[^\"]+)\".*VERSION=(v\d+)", re.S)
AFTER_STOP = 2_000


class Load:
    """The readers' shared counters (`stats`, see the module docstring) and their loop."""

    def __init__(self, port: int, pages: int, new: str, minimum: int, max_seconds: float):
        self.port, self.pages, self.new, self.minimum = port, pages, new, minimum
        self.deadline = time.monotonic() + max_seconds
        self.stats = {"requests": 0, "requests_before_stop": 0, "page_errors": 0,
                      "asset_errors": 0, "asset_404": 0, "torn": 0, "old_after_new": 0,
                      "versions": {}}
        self.first_new = None
        self.stopped, self.ready, self.lock = threading.Event(), threading.Event(), threading.Lock()

    def count(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.stats[key] += n

    def get(self, conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
        """GET `path` on `conn`, counted; (status, body)."""
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        with self.lock:
            self.stats["requests"] += 1
            self.stats["requests_before_stop"] += not self.stopped.is_set()
            if self.stats["requests"] >= 200:
                self.ready.set()
        return response.status, body

    def done(self) -> bool:
        """True once the bounds are reached, or enough was read after the stop line."""
        requests, before = self.stats["requests"], self.stats["requests_before_stop"]
        return (time.monotonic() >= self.deadline or requests >= self.minimum + 100_000
                or (self.stopped.is_set() and requests >= self.minimum
                    and requests - before >= AFTER_STOP))

    def record(self, version: str, sent: float) -> None:
        """Count a whole page of `version`, requested at monotonic time `sent`."""
        with self.lock:
            self.stats["versions"][version] = self.stats["versions"].get(version, 0) + 1
            if version == self.new and self.first_new is None:
                self.first_new = time.monotonic()
            elif version != self.new and self.first_new is not None and sent > self.first_new:
                self.stats["old_after_new"] += 1

    def reader(self, seed: int) -> None:
        """One reader: a page, then the stylesheet it links, until `done`."""
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.done():
            sent = time.monotonic()
            status, body = self.get(conn, f"/a/{rng.randrange(self.pages)}/")
            found = VERSION_RE.search(body) if status == 200 else None
            if status != 200:
                self.count("page_errors")
                continue
            if not found or found[1] != found[3]:
                self.count("torn")
                continue
            self.record(found[1].decode(), sent)
            status, _ = self.get(conn, found[2].decode())
            if status != 200:
                self.count("asset_errors")
                self.count("asset_404", status == 404)
        conn.close()


def main() -> int:
    port, pages, new = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    minimum, max_seconds = int(sys.argv[4]), float(sys.argv[5])
    load = Load(port, pages, new, minimum, max_seconds)
    threads = [threading.Thread(target=load.reader, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    load.ready.wait(timeout=max_seconds)
    print("ready", flush=True)
    sys.stdin.readline()
    load.stopped.set()
    for thread in threads:
        thread.join()
    print(json.dumps(load.stats), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
