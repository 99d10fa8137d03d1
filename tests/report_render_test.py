#!/usr/bin/env python3
"""The HTML report, rendered in a real browser (CTest `report_render`).

Runs `kepler fit` on the gas-piston sensor log with --report and --json, `kepler report` on the
JSON (the two pages must be the same bytes), and a small `kepler bench feynman` run (its
report.html), then loads each page in headless Chromium with every host name unresolvable and
checks the DOM after rendering: every plot drawn (an SVG of Vega marks in each plot, points in
the scatter plots), the law typeset (KaTeX's MathML), no error recorded by the page (script
errors, console.error, requests blocked by its Content-Security-Policy), and no network
reference in the markup. A copy of the page with one remote image must come out with an error
recorded, so the check can fail. Screenshots are saved in ARTEFACTS as test artefacts.

Usage: report_render_test.py KEPLER SOURCE_DIR ARTEFACTS_DIR
Chromium must be installed (tools/install-deps.sh installs Debian's `chromium`); without it the
test fails.
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

KEPLER, SOURCE, ARTEFACTS = sys.argv[1:4]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("report_render_test: no chromium on PATH; run `bash tools/install-deps.sh` (installs Debian's chromium)")


BROWSER = chromium()


def browser(page, *extra):
    """Chromium headless on `page` with a fresh profile, no background traffic, no DNS."""
    with tempfile.TemporaryDirectory(prefix="kepler-chromium-") as profile:
        command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-default-apps", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                   "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=10000",
                   "--enable-logging=stderr", "--v=0", *extra,
                   "file://" + os.path.abspath(page)]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        return done, time.monotonic() - started


class Dom(html.parser.HTMLParser):
    """The rendered DOM: <html>'s attributes, each plot's SVG marks, the typeset law, errors."""

    def __init__(self):
        super().__init__()
        self.root = {}
        self.plots = {}  # data-plot -> {"rendered", "svg", "symbols"}
        self.stack = []  # (tag, plot name or None, in best law, in errors)
        self.math_in_law = 0
        self.errors_text = ""
        self.markup_urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if value and name in ("src", "href", "action", "srcset", "poster", "data", "xlink:href") and \
                    re.match(r"\s*(https?:|//)", value, re.I):
                self.markup_urls.append((tag, name, value))
        parent = self.stack[-1] if self.stack else (None, None, False, False)
        plot, in_law, in_errors = parent[1], parent[2], parent[3]
        if tag == "html":
            self.root = a
        if "plot" in (a.get("class") or "").split() and a.get("data-plot"):
            plot = a["data-plot"]
            self.plots[plot] = {"rendered": a.get("data-rendered") == "true", "svg": 0, "symbols": 0}
        if plot and tag == "svg" and "marks" in (a.get("class") or ""):
            self.plots[plot]["svg"] += 1
        if plot and tag == "path" and self.stack and self.stack[-1][0] == "g" and self.stack[-1][4]:
            self.plots[plot]["symbols"] += 1
        if a.get("id") == "best-law":
            in_law = True
        if in_law and tag == "math":
            self.math_in_law += 1
        if a.get("id") == "kepler-errors":
            in_errors = True
        classes = (a.get("class") or "").split()
        symbol_group = tag == "g" and "role-mark" in classes and ("mark-symbol" in classes or "mark-rect" in classes)
        if tag not in ("meta", "link", "br", "img", "input", "hr"):
            self.stack.append((tag, plot, in_law, in_errors, symbol_group))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][3]:
            self.errors_text += data


def rendered(page, name, plots, scatter_points):
    """Loads `page`, checks its DOM; returns the parsed DOM, the render time in seconds and the DOM's text."""
    done, seconds = browser(page, "--dump-dom")
    check(done.returncode == 0, f"{name}: chromium exit code {done.returncode}: {done.stderr[-2000:]}")
    dom = Dom()
    dom.feed(done.stdout)
    check(dom.root.get("data-status") == "rendered", f"{name}: page status {dom.root.get('data-status')!r}, "
          f"errors: {dom.errors_text.strip()[:2000]}")
    check(dom.root.get("data-errors") == "0" and not dom.errors_text.strip(),
          f"{name}: errors recorded by the page: {dom.errors_text.strip()[:2000]}")
    check(dom.root.get("data-plots") == str(len(dom.plots)), f"{name}: {dom.root.get('data-plots')} plots drawn, "
          f"{len(dom.plots)} in the DOM")
    for plot in plots:
        p = dom.plots.get(plot)
        check(p is not None and p["rendered"] and p["svg"] == 1, f"{name}: plot {plot} not drawn: {p}")
    for plot, least in scatter_points.items():
        p = dom.plots.get(plot) or {"symbols": 0}
        check(p["symbols"] >= least, f"{name}: plot {plot} has {p['symbols']} points, expected at least {least}")
    check(not dom.markup_urls, f"{name}: network references in the rendered DOM: {dom.markup_urls[:5]}")
    # Chromium's own log of the page's console: no uncaught error, no blocked request.
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line and
               ("Uncaught" in line or "Content Security Policy" in line or "ERR_" in line)]
    check(not console, f"{name}: errors in Chromium's console log: {console[:5]}")
    return dom, seconds, done.stdout


def static_checks(page, name):
    text = open(page, encoding="utf-8").read()
    check("default-src 'none'" in text, f"{name}: no Content-Security-Policy with default-src 'none'")
    dom = Dom()
    dom.feed(text)
    check(not dom.markup_urls, f"{name}: network references in the markup: {dom.markup_urls[:5]}")
    check(not re.search(r"\bimport\s*\(\s*['\"]https?:", text), f"{name}: a dynamic import from the network")
    return text


def run(*arguments):
    done = subprocess.run([KEPLER, *arguments], capture_output=True, text=True, timeout=300)
    check(done.returncode == 0, f"kepler {' '.join(arguments)}: exit code {done.returncode}: {done.stderr[-2000:]}")
    return done


def main():
    os.makedirs(ARTEFACTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="kepler-report-", dir=ARTEFACTS)
    try:
        fit_page, fit_json = os.path.join(work, "r.html"), os.path.join(work, "r.json")
        run("fit", os.path.join(SOURCE, "datasets/sensor-logs/gas-piston.csv"), "--target", "P", "--max-evals",
            "200000", "--threads", "2", "-q", "--json", fit_json, "--report", fit_page)
        again = os.path.join(work, "again.html")
        run("report", fit_json, "--out", again)
        check(open(fit_page, "rb").read() == open(again, "rb").read(),
              "kepler report of the saved JSON differs from kepler fit --report")
        text = static_checks(fit_page, "fit report")
        check(len(text) < 5_000_000, f"fit report is {len(text)} bytes")
        dom, seconds, _ = rendered(fit_page, "fit report",
                                ["front", "measured-vs-predicted", "residual-T", "residual-V", "residual-time",
                                 "relevance"], {"front": 1, "measured-vs-predicted": 500, "residual-time": 500, "relevance": 2})
        check(dom.math_in_law == 1, f"fit report: the law is not typeset (MathML elements: {dom.math_in_law})")
        print(f"fit report: {len(text)} bytes, rendered in {seconds:.1f} s, plots {dom.plots}")
        shot = os.path.join(ARTEFACTS, "report-gas-piston.png")
        done, _ = browser(fit_page, "--screenshot=" + shot, "--window-size=1200,2400", "--hide-scrollbars")
        check(done.returncode == 0 and os.path.getsize(shot) > 20_000 if os.path.exists(shot) else False,
              f"no screenshot of the fit report at {shot}")

        # The checks can fail: a copy of the page with a remote image, a console.error and a
        # script error gets all three recorded.
        leaky = os.path.join(work, "leaky.html")
        open(leaky, "w", encoding="utf-8").write(text.replace(
            '<main id="kepler-report"', '<img src="https://example.com/x.png"><script>console.error("kepler-test"); '
            'undefined_function();</script><main id="kepler-report"', 1))
        done, _ = browser(leaky, "--dump-dom")
        bad = Dom()
        bad.feed(done.stdout)
        for what in ("blocked request: https://example.com/x.png", "console.error: kepler-test", "undefined_function"):
            check(what in bad.errors_text, f"a page with a remote image and errors did not record {what!r}: "
                  f"{bad.root}, {bad.errors_text!r}")

        bench_dir = os.path.join(work, "bench")
        # I.12.1 (F = mu*Nn) is found at once; I.9.18 (gravity, 9 inputs) is missed in 5,000
        # evaluations, so the page lists it with the formula found.
        run("bench", "feynman", "--only", "I.12.1,I.9.18", "--max-evals", "5000", "--time-limit", "60",
            "--threads", "2", "--out", bench_dir)
        bench_page = os.path.join(bench_dir, "report.html")
        check(os.path.exists(bench_page), "kepler bench wrote no report.html")
        if os.path.exists(bench_page):
            static_checks(bench_page, "bench report")
            _, _, text = rendered(bench_page, "bench report", ["verdicts", "time-per-law"],
                                  {"verdicts": 4, "time-per-law": 2})
            # The laws not solved exactly, and only they, are listed (by results.json).
            results = json.load(open(os.path.join(bench_dir, "results.json"), encoding="utf-8"))["results"]
            missed = re.search(r'<section id="missed">(.*?)</section>', text, re.S)
            listed = set(re.findall(r"<td>(I+\.[0-9.a-z]+)</td>", missed.group(1))) if missed else None
            check(listed == {r["id"] for r in results if not r["exact"]},
                  f"bench report: laws listed as missed {listed}, results.json {[(r['id'], r['exact']) for r in results]}")
            print(f"bench report: laws listed as missed: {sorted(listed or [])}")
            done, _ = browser(bench_page, "--screenshot=" + os.path.join(ARTEFACTS, "report-bench.png"),
                              "--window-size=1200,1400", "--hide-scrollbars")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print("report_render: all checks passed")


main()
