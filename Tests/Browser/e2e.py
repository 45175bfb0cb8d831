#!/usr/bin/env python3
"""Drives `jiance serve` in a real headless Chromium over WebDriver (chromedriver), as a school
and then the bureau would use it. Standard library only. Called by Tests/WebTests/BrowserTests.swift,
which starts the server and checks what this script reports and downloads.

Usage: e2e.py BASE_URL SCHOOL_USER COUNTY_USER PASSWORD SCHOOL_CODE TERM UPLOAD_FILE OUT_DIR [SCREENSHOT_DIR]
Prints one JSON object with what it saw; exits 1 with a message on the first thing that fails.
"""
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class Failure(Exception):
    pass


class Browser:
    """A WebDriver session of headless Chromium."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        driver = os.environ.get("CHROMEDRIVER", "chromedriver")
        self.driver = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.root = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if self.call("GET", "/status")["value"]["ready"]:
                    break
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        binary = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        options = {
            "binary": binary,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1700", "--lang=zh-CN"],
        }
        session = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})
        self.session = session["value"]["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.root + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise Failure(f"WebDriver {method} {path}: {error.read()[:500]!r}")

    def command(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)["value"]

    def open(self, url):
        self.command("POST", "/url", {"url": url})

    def find(self, css):
        return self.command("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def count(self, css):
        return len(self.command("POST", "/elements", {"using": "css selector", "value": css}))

    def type(self, css, text):
        self.command("POST", f"/element/{self.find(css)}/value", {"text": text})

    def click(self, css):
        self.command("POST", f"/element/{self.find(css)}/click", {})

    def source(self):
        return self.command("GET", "/source")

    def url(self):
        return self.command("GET", "/url")

    def wait_for(self, text, seconds=120):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if text in self.source():
                return
            time.sleep(0.3)
        raise Failure(f"page {self.url()} never showed {text!r}")

    def screenshot(self, folder, name):
        if folder:
            with open(os.path.join(folder, name), "wb") as file:
                file.write(base64.b64decode(self.command("GET", "/screenshot")))

    def cookie_header(self):
        return "; ".join(f"{c['name']}={c['value']}" for c in self.command("GET", "/cookie"))

    def quit(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.driver.terminate()
            try:
                self.driver.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.driver.kill()
                self.driver.wait()


def login(browser, base, user, password):
    browser.open(base + "/login")
    browser.type("input[name=username]", user)
    browser.type("input[name=password]", password)
    browser.click("form.card button[type=submit]")
    browser.wait_for("退出")


def main():
    base, school_user, county_user, password, school_code, term, upload, out = sys.argv[1:9]
    shots = sys.argv[9] if len(sys.argv) > 9 else None
    report = {}
    browser = Browser()
    try:
        # A school signs in, sees its own dashboard, and uploads its fitness file by the form.
        login(browser, base, school_user, password)
        report["school_dashboard_svgs"] = browser.count("svg")
        browser.screenshot(shots, "school-dashboard.png")
        browser.open(base + "/imports")
        browser.click("select[name=kind] option[value=fitness]")
        browser.type("input[name=term]", term)
        browser.type("input[type=file]", os.path.abspath(upload))
        browser.click("form[enctype] button[type=submit]")
        browser.wait_for("导入结果")
        page = browser.source()
        report["imported"] = "已导入" in page
        report["findings_rows"] = page.count("<tr><td><span class=\"error\">") + page.count("<tr><td><span class=\"warning\">")
        browser.screenshot(shots, "school-import.png")
        browser.click("a[href^='/imports/']")
        browser.wait_for("导入批次")
        report["batch_page"] = browser.url()

        # The ledger, downloaded with the browser's own session.
        request = urllib.request.Request(f"{base}/schools/{urllib.parse.quote(school_code)}/ledger.xlsx",
                                         headers={"Cookie": browser.cookie_header()})
        with urllib.request.urlopen(request, timeout=120) as response:
            ledger = os.path.join(out, "ledger.xlsx")
            with open(ledger, "wb") as file:
                file.write(response.read())
            report["ledger"] = ledger
            report["ledger_disposition"] = response.headers.get("Content-Disposition", "")
        # A child's health record, as the school prints it from the browser.
        browser.open(f"{base}/schools/{urllib.parse.quote(school_code)}/students")
        browser.click("td a[href*='/students/']")
        browser.wait_for("学生健康档案")
        report["record_tables"] = browser.count("table")
        browser.screenshot(shots, "student-record.png")
        browser.click("form.logout button")
        browser.wait_for("登录")

        # The bureau signs in and sees the county's targets with the server's SVG charts.
        login(browser, base, county_user, password)
        report["county_dashboard_svgs"] = browser.count("svg")
        report["county_tiles"] = browser.count(".tile")
        browser.screenshot(shots, "county-dashboard.png")
        browser.open(base + "/schools")
        browser.wait_for("学校")
        browser.screenshot(shots, "county-schools.png")
    finally:
        browser.quit()
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        print(f"浏览器测试失败：{failure}", file=sys.stderr)
        sys.exit(1)
