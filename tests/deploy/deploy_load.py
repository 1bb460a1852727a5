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


def main() -> int:
    port, pages, new = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    minimum, max_seconds = int(sys.argv[4]), float(sys.argv[5])
    deadline = time.monotonic() + max_seconds
    stats = {"requests": 0, "requests_before_stop": 0, "page_errors": 0, "asset_errors": 0,
             "asset_404": 0, "torn": 0, "old_after_new": 0, "versions": {}}
    first_new = [None]
    stopped = threading.Event()
    ready = threading.Event()
    lock = threading.Lock()

    def count(key: str, n: int = 1) -> None:
        with lock:
            stats[key] += n

    def reader(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

        def get(path: str) -> tuple[int, bytes]:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            with lock:
                stats["requests"] += 1
                stats["requests_before_stop"] += not stopped.is_set()
                if stats["requests"] >= 200:
                    ready.set()
            return response.status, body

        while time.monotonic() < deadline and stats["requests"] < minimum + 100_000:
            done, before = stats["requests"], stats["requests_before_stop"]
            if stopped.is_set() and done >= minimum and done - before >= AFTER_STOP:
                break
            sent = time.monotonic()
            status, body = get(f"/a/{rng.randrange(pages)}/")
            found = VERSION_RE.search(body) if status == 200 else None
            if status != 200:
                count("page_errors")
                continue
            if not found or found[1] != found[3]:
                count("torn")
                continue
            version = found[1].decode()
            with lock:
                stats["versions"][version] = stats["versions"].get(version, 0) + 1
                if version == new and first_new[0] is None:
                    first_new[0] = time.monotonic()
                elif version != new and first_new[0] is not None and sent > first_new[0]:
                    stats["old_after_new"] += 1
            status, _ = get(found[2].decode())
            if status != 200:
                count("asset_errors")
                count("asset_404", status == 404)
        conn.close()

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    ready.wait(timeout=max_seconds)
    print("ready", flush=True)
    sys.stdin.readline()
    stopped.set()
    for thread in threads:
        thread.join()
    print(json.dumps(stats), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
