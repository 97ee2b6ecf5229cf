// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HTML report in a real browser: headless Chromium (Debian's
 * chromium) loads a report of synthetic userspace and in-kernel runs, a
 * probe script added to a copy measures every SVG plot as laid out, and a
 * screenshot is kept in the build tree (report-screenshot.png) for people
 * to look at. Without Chromium the test says so and is skipped (exit 77).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "ktap.h"
#include "result_doc.h"
#include "store.h"

#define SKIP 77

static char tmp[256];

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static const char *find_chromium(void)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome" };
	static char found[512];
	const char *env = getenv("TCELAB_CHROMIUM");

	if (env && env[0])
		return access(env, X_OK) == 0 ? env : NULL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *path = getenv("PATH");
		char *copy = strdup(path ? path : "/usr/bin:/bin"), *save, *dir;

		for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
			snprintf(found, sizeof(found), "%s/%s", dir, names[i]);
			if (access(found, X_OK) == 0) {
				free(copy);
				return found;
			}
		}
		free(copy);
	}
	return NULL;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char *cmd;
	va_list ap;
	int st;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	st = system(cmd);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void fixtures(const char *db)
{
	for (int i = 0; i < 6; i++) {
		bool kern = i >= 3;
		struct fx_metric m[3] = {
			{ "map_ns_per_call", "ns", "lower", "size", "64K", 200, kern ? 9000 : 21000, 0.08, 0, true },
			{ "map_ns_per_tce", "ns", "lower", "size", "64K", 200, kern ? 560 : 1310, 0.08, 0, true },
			{ "iops", "ops/s", "higher", "job", "randread-qd1", 1, kern ? 41000 : 38500, 0.02, 0, false },
		};
		char id[64], at[64], *dir;
		struct fx_run r;
		struct doc_run doc;
		struct store *st;
		struct tl_error e;
		enum ingest_outcome out;

		snprintf(id, sizeof(id), "20261206T0%d0000Z-%s", i, kern ? "kern" : "user");
		snprintf(at, sizeof(at), "2026-12-06T0%d:00:00Z", i);
		r = (struct fx_run){ .id = id, .started = at, .status = "passed", .kernel = "6.12.95",
				     .tce_mode = kern ? "in-kernel" : "userspace",
				     .environment = "hardware", .host_kind = "powernv",
				     .workload = "dma-map-v1", .metrics = m, .nmetrics = 3,
				     .seed = 50 + (uint64_t)i };
		dir = fx_write_run(tmp, &r);
		if (doc_load_run_dir(dir, &doc, &e) || store_open(db, STORE_WRITE, &st, &e) ||
		    store_ingest(st, &doc, false, &out, &e))
			report_info("fixture: %s", e.msg);
		store_close(st);
		doc_run_free(&doc);
		free(dir);
	}
}

/* A copy of the report with a probe that measures each plot as laid out. */
static void instrument(const char *html, const char *copy)
{
	static const char probe[] =
		"<script>window.addEventListener('load',function(){"
		"var s=document.querySelectorAll('svg.plot'),drawn=0,box=0,cdf=0;"
		"s.forEach(function(v){var r=v.getBoundingClientRect(),ink=0;"
		"v.querySelectorAll('path,line,rect').forEach(function(p){var b=p.getBBox();"
		"if(b.width>0||b.height>0)ink++;});"
		"if(r.width>=300&&r.height>=60&&ink>=3)drawn++;"
		"if(v.classList.contains('box'))box++;if(v.classList.contains('cdf'))cdf++;});"
		"var p=document.createElement('pre');p.id='tcelab-probe';"
		"p.textContent='plots='+s.length+' drawn='+drawn+' box='+box+' cdf='+cdf;"
		"document.body.appendChild(p);});</script>";
	size_t len;
	char *text = fx_slurp(html, &len), *end = strstr(text, "</body>"), *out;

	if (!end || asprintf(&out, "%.*s%s%s", (int)(end - text), text, probe, end) < 0)
		abort();
	fx_spit(copy, out, strlen(out));
	free(out);
	free(text);
}

int main(void)
{
	char db[300], html[300], probe_html[300], dom[300], profile[300];
	const char *chromium;
	char *text, *d;
	int nbox, ncdf, st;
	size_t len;

	snprintf(tmp, sizeof(tmp), "/tmp/tcelab-test-browser-XXXXXX");
	if (!mkdtemp(tmp))
		return 1;
	snprintf(db, sizeof(db), "%s/store.db", tmp);
	snprintf(html, sizeof(html), "%s/report.html", tmp);
	snprintf(probe_html, sizeof(probe_html), "%s/probe.html", tmp);
	snprintf(dom, sizeof(dom), "%s/dom.html", tmp);
	snprintf(profile, sizeof(profile), "%s/profile", tmp);
	fixtures(db);

	/* base vs cand split by TCE mode: the TCE section points at the comparison */
	st = sh("%s --db %s --out %s 'tce_mode=userspace' 'tce_mode=in-kernel' >/dev/null", TCELAB_REPORT,
		db, html);
	text = fx_slurp(html, &len);
	report(st == 0 && text && strstr(text, "The comparison above is this one") &&
		       count(text, "<svg class=\"plot box\"") == 3,
	       "base userspace vs cand in-kernel: the TCE section says the comparison is it");
	free(text);
	/* one selection, both modes: the TCE section compares them itself */
	st = sh("%s --db %s --out %s 'date=2026-12-06' >/dev/null", TCELAB_REPORT, db, html);
	text = fx_slurp(html, &len);
	report(st == 0 && text, "tcelab report wrote %s", html);
	if (!text)
		return report_summary();
	nbox = count(text, "<svg class=\"plot box\"");
	ncdf = count(text, "<svg class=\"plot cdf\"");
	report(nbox == 3 + 3 && ncdf == 2 + 2,
	       "a box plot per metric, a CDF per latency, in the TCE section and run by run "
	       "(%d box, %d cdf)", nbox, ncdf);
	report(!strstr(text, "<script") && !strstr(text, "src=") && !strstr(text, "http://www.w3.org/1999") &&
		       !strstr(text, "href=\"http") && !strstr(text, "url(") && !strstr(text, "@import"),
	       "self-contained: no script, no src, nothing fetched");
	report(strstr(text, "In-kernel vs userspace TCE") && strstr(text, "with <b>userspace</b> TCE") &&
		       strstr(text, "Measured on HARDWARE"),
	       "the TCE section compares the modes; the banner says where");
	free(text);

	chromium = find_chromium();
	if (!chromium) {
		report_skip("chromium is not installed (apt-get install chromium; or set TCELAB_CHROMIUM)",
			    "the report renders in headless Chromium");
		report_summary();
		sh("rm -rf '%s'", tmp);
		return SKIP;
	}
	instrument(html, probe_html);
	st = sh("timeout 120 '%s' --headless --no-sandbox --disable-gpu --disable-background-networking "
		"--disable-component-update --disable-sync --no-first-run --user-data-dir=%s "
		"--virtual-time-budget=5000 --dump-dom 'file://%s' >%s 2>/dev/null",
		chromium, profile, probe_html, dom);
	text = fx_slurp(dom, &len);
	d = text ? strstr(text, "id=\"tcelab-probe\">") : NULL;
	{
		int plots = -1, drawn = -1, box = -1, cdf = -1;

		if (d)
			sscanf(d, "id=\"tcelab-probe\">plots=%d drawn=%d box=%d cdf=%d", &plots, &drawn, &box,
			       &cdf);
		report(st == 0 && plots == nbox + ncdf && drawn == plots && box == nbox && cdf == ncdf,
		       "Chromium laid out every plot with ink in it: %d plots, %d drawn", plots, drawn);
	}
	free(text);
	st = sh("timeout 120 '%s' --headless --no-sandbox --disable-gpu --disable-background-networking "
		"--disable-component-update --disable-sync --no-first-run --user-data-dir=%s "
		"--hide-scrollbars --window-size=1280,1600 --screenshot=%s 'file://%s' >/dev/null 2>&1",
		chromium, profile, SCREENSHOT, html);
	text = fx_slurp(SCREENSHOT, &len);
	report(st == 0 && text && len > 30000 && memcmp(text, "\x89PNG\r\n\x1a\n", 8) == 0,
	       "a screenshot: %s (%zu bytes)", SCREENSHOT, text ? len : 0);
	free(text);
	sh("rm -rf '%s'", tmp);
	return report_summary();
}
