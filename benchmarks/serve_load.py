#!/usr/bin/env python3
"""Load test of `jiance serve` on loopback: every school of a county signs in with its
own account and uploads its own fitness file, 16 at a time, while the county's dashboard is
requested over and over. Checks that every row arrives exactly once and that no request fails;
prints p50/p95 latencies and uploads per second. Standard library only.

Usage: benchmarks/serve_load.py JIANCE_BINARY COUNTY_FITNESS_CSV [--concurrency 16] [--work DIR]
(`make bench-serve` runs it on the 100,000-student county of `make bench`: 250 schools.)
"""
import argparse
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

PASSWORD = "Load-Test-2026"
TERM = "2025-2026-1"


def split_by_school(source, folder):
    """One GB18030 CSV per school (as each school's software exports it), and the school list."""
    text = open(source, "rb").read().decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    by_school = {}
    for row in body:
        by_school.setdefault(row[0], []).append(row)
    files = {}
    for index, (school, school_rows) in enumerate(sorted(by_school.items())):
        path = os.path.join(folder, f"体测成绩_{index + 1:03d}.csv")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(school_rows)
        open(path, "wb").write(out.getvalue().encode("gb18030"))
        files[school] = (path, len(school_rows))
    school_list = os.path.join(folder, "学校名单.csv")
    with open(school_list, "w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["学校标识码", "学校名称"])
        for index, school in enumerate(sorted(by_school)):
            writer.writerow([f"37{index + 1:08d}", school])
    return files, school_list


class Client:
    """A browser's cookies and the session's CSRF token, over urllib."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}
        self.csrf = ""

    def request(self, path, data=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=600)
            status, body, received = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, body, received = error.code, error.read(), error.headers
        for cookie in received.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return status, body.decode("utf-8", "replace")

    def login(self, name):
        _, page = self.request("/login")
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf": token, "username": name, "password": PASSWORD}).encode()
        status, _ = self.request("/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 303:
            raise RuntimeError(f"login of {name}: {status}")
        _, page = self.request("/imports")
        self.csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)

    def upload(self, path):
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {"csrf": self.csrf, "kind": "fitness", "term": TERM}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        name = os.path.basename(path)
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     f"Content-Type: text/csv\r\n\r\n".encode() + open(path, "rb").read() + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("/imports", b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fold(text):
    """Full-width letters, digits and brackets as imports store them (１ → 1, （ → ()."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("csv")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--work")
    arguments = parser.parse_args()
    work = arguments.work or tempfile.mkdtemp(prefix="jiance-load-")
    os.makedirs(work, exist_ok=True)
    database = os.path.join(work, "load.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    files, school_list = split_by_school(arguments.csv, work)
    jiance = [os.path.abspath(arguments.binary)]
    subprocess.run(jiance + ["import", "roster", school_list, "--term", TERM, "--db", database],
                   check=True, stdout=subprocess.DEVNULL)
    names = {}
    started = time.time()
    for index, school in enumerate(sorted(files)):
        names[school] = f"school{index + 1:03d}"
        subprocess.run(jiance + ["user", "add", names[school], "--role", "school", "--school", school,
                                 "--password-stdin", "--db", database],
                       input=PASSWORD + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(jiance + ["user", "add", "county", "--role", "county", "--password-stdin", "--db", database],
                   input=PASSWORD + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
    print(f"{len(files)} schools, {sum(n for _, n in files.values())} rows; accounts made in {time.time() - started:.1f} s")

    server = subprocess.Popen(jiance + ["serve", "--port", "0", "--db", database], stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    base = re.search(r"(http://127\.0\.0\.1:\d+)", line).group(1)
    failures, upload_times, login_times, dashboard_times = [], [], [], []
    done = threading.Event()

    def dashboard():
        client = Client(base)
        client.login("county")
        while not done.is_set():
            begin = time.time()
            status, page = client.request("/")
            dashboard_times.append(time.time() - begin)
            if status != 200:
                failures.append(f"dashboard: {status}")

    def school(item):
        name, (path, _) = item
        client = Client(base)
        begin = time.time()
        client.login(names[name])
        login_times.append(time.time() - begin)
        begin = time.time()
        status, page = client.upload(path)
        upload_times.append(time.time() - begin)
        if status != 200 or "已导入" not in page:
            failures.append(f"{name}: {status}")

    watcher = threading.Thread(target=dashboard)
    watcher.start()
    begin = time.time()
    with ThreadPoolExecutor(arguments.concurrency) as pool:
        list(pool.map(school, sorted(files.items())))
    elapsed = time.time() - begin
    done.set()
    watcher.join()
    server.terminate()
    server.wait(timeout=60)

    # Every row of every file read once by one batch, and every accepted row stored once.
    with sqlite3.connect(database) as db:
        stored = dict(db.execute("SELECT s.name, COUNT(*) FROM fitness_result r JOIN school s ON s.id = r.school_id "
                                 "GROUP BY s.name"))
        batches = {}
        for file_name, read, accepted in db.execute(
                "SELECT file_name, rows_read, rows_accepted FROM import_batch WHERE kind = 'fitness'"):
            batches.setdefault(file_name, []).append((read, accepted))
        duplicates = db.execute("SELECT COUNT(*) FROM (SELECT student_id FROM fitness_result "
                                "GROUP BY student_id, term_id, round HAVING COUNT(*) > 1)").fetchone()[0]
    missing = []
    for school, (path, rows) in files.items():
        batch = batches.get(os.path.basename(path), [])
        if len(batch) != 1 or batch[0][0] != rows or stored.get(fold(school), 0) != batch[0][1]:
            missing.append(f"{school}: {rows} rows, batches {batch}, stored {stored.get(fold(school), 0)}")
    result = {
        "schools": len(files), "concurrency": arguments.concurrency, "seconds": round(elapsed, 2),
        "uploads_per_second": round(len(files) / elapsed, 2),
        "upload_p50_s": round(percentile(upload_times, 0.5), 3), "upload_p95_s": round(percentile(upload_times, 0.95), 3),
        "login_p50_s": round(percentile(login_times, 0.5), 3), "login_p95_s": round(percentile(login_times, 0.95), 3),
        "dashboard_requests": len(dashboard_times),
        "dashboard_p50_s": round(percentile(dashboard_times, 0.5), 3),
        "dashboard_p95_s": round(percentile(dashboard_times, 0.95), 3),
        "rows": sum(rows for _, rows in files.values()), "rows_stored": sum(stored.values()),
        "failed_requests": len(failures), "schools_with_wrong_row_count": len(missing), "duplicate_rows": duplicates,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if failures or missing or duplicates:
        print("失败：" + "; ".join(failures[:5] + missing[:5]), file=sys.stderr)
        sys.exit(1)
    if not arguments.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
