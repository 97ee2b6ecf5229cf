// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/json_writer.h"
#include "report.h"

void report_init(struct report *r, FILE *out, bool emulated)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->emulated = emulated;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->checks[i].details);
	free(r->checks);
	r->checks = NULL;
	r->n = r->cap = 0;
}

const char *check_status_name(enum check_status s)
{
	switch (s) {
	case CHECK_PASS: return "pass";
	case CHECK_FAIL: return "fail";
	case CHECK_SKIP: return "skip";
	case CHECK_XFAIL: return "xfail";
	}
	return "?";
}

/* KTAP descriptions must not contain '#' (it starts the directive) or newlines. */
static void clean(char *s)
{
	for (; *s; s++)
		if (*s == '#' || *s == '\n' || *s == '\r')
			*s = *s == '#' ? '%' : ' ';
}

static struct check *add(struct report *r, const char *id, enum check_status status, bool required,
			 const char *reason, const char *fmt, va_list ap)
{
	struct check *c;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct check *grown = realloc(r->checks, cap * sizeof(*grown));

		if (!grown) {
			fprintf(stderr, "tcelab-validate-host: out of memory\n");
			exit(2);
		}
		r->checks = grown;
		r->cap = cap;
	}
	c = &r->checks[r->n++];
	memset(c, 0, sizeof(*c));
	c->number = (unsigned)r->n;
	snprintf(c->id, sizeof(c->id), "%s", id);
	vsnprintf(c->summary, sizeof(c->summary), fmt, ap);
	clean(c->summary);
	c->status = status;
	c->required = required;
	if (reason) {
		snprintf(c->reason, sizeof(c->reason), "%s", reason);
		clean(c->reason);
	}
	switch (status) {
	case CHECK_PASS: r->passed++; break;
	case CHECK_FAIL:
		r->failed++;
		if (required)
			r->required_failed++;
		break;
	case CHECK_SKIP: r->skipped++; break;
	case CHECK_XFAIL: r->xfailed++; break;
	}

	if (!r->started) {
		fprintf(r->out, "KTAP version 1\n");
		r->started = true;
	}
	fprintf(r->out, "%s %u %s: %s", status == CHECK_PASS || status == CHECK_SKIP ? "ok" : "not ok",
		c->number, c->id, c->summary);
	if (status == CHECK_SKIP)
		fprintf(r->out, " # SKIP %s", c->reason);
	else if (status == CHECK_XFAIL)
		fprintf(r->out, " # XFAIL %s", c->reason);
	else if (status == CHECK_FAIL && !required)
		fprintf(r->out, " (advisory)");
	fprintf(r->out, "\n");
	fflush(r->out);
	return c;
}

void check_pass(struct report *r, const char *id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(r, id, CHECK_PASS, false, NULL, fmt, ap);
	va_end(ap);
}

void check_fail(struct report *r, bool required, const char *id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(r, id, CHECK_FAIL, required, NULL, fmt, ap);
	va_end(ap);
}

void check_skip(struct report *r, const char *id, const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(r, id, CHECK_SKIP, false, reason, fmt, ap);
	va_end(ap);
}

void check_fail_emulated(struct report *r, bool required, const char *id, const char *emu_reason,
			 const char *fmt, ...)
{
	char reason[400];
	va_list ap;

	va_start(ap, fmt);
	if (r->emulated) {
		snprintf(reason, sizeof(reason), "known to differ in emulation: %s", emu_reason);
		add(r, id, CHECK_XFAIL, required, reason, fmt, ap);
	} else {
		add(r, id, CHECK_FAIL, required, NULL, fmt, ap);
	}
	va_end(ap);
}

void check_detail(struct report *r, const char *fmt, ...)
{
	char line[600];
	struct check *c;
	size_t old, add_len;
	char *grown;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (char *s = line; *s; s++)
		if (*s == '\n')
			*s = ' ';
	fprintf(r->out, "# %s\n", line);
	fflush(r->out);
	if (!r->n)
		return;
	c = &r->checks[r->n - 1];
	old = c->details ? strlen(c->details) : 0;
	add_len = strlen(line) + 2;
	grown = realloc(c->details, old + add_len);
	if (!grown)
		return;
	c->details = grown;
	snprintf(c->details + old, add_len, "%s\n", line);
}

void report_comment(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->started) {
		fprintf(r->out, "KTAP version 1\n");
		r->started = true;
	}
	fprintf(r->out, "# ");
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fprintf(r->out, "\n");
	fflush(r->out);
}

int report_finish(struct report *r)
{
	if (!r->started)
		fprintf(r->out, "KTAP version 1\n");
	fprintf(r->out, "1..%zu\n", r->n);
	if (r->xfailed)
		fprintf(r->out, "# %u known to differ in emulation (XFAIL), not counted as failed\n",
			r->xfailed);
	if (r->failed)
		fprintf(r->out, "# %u failed: %u required, %u advisory\n", r->failed, r->required_failed,
			r->failed - r->required_failed);
	fprintf(r->out, "%u passed, %u failed, %u skipped\n", r->passed, r->failed, r->skipped);
	fflush(r->out);
	return r->required_failed ? 1 : 0;
}

void report_write_json(const struct report *r, struct json_writer *w)
{
	jw_array_begin(w, "checks");
	for (size_t i = 0; i < r->n; i++) {
		const struct check *c = &r->checks[i];

		jw_object_begin(w, NULL);
		jw_uint(w, "number", c->number);
		jw_string(w, "id", c->id);
		jw_string(w, "status", check_status_name(c->status));
		if (c->status == CHECK_FAIL || c->status == CHECK_XFAIL)
			jw_bool(w, "required", c->required);
		jw_string(w, "summary", c->summary);
		if (c->reason[0])
			jw_string(w, "reason", c->reason);
		jw_array_begin(w, "details");
		for (const char *p = c->details; p && *p;) {
			const char *eol = strchr(p, '\n');
			char line[600];

			snprintf(line, sizeof(line), "%.*s", (int)(eol ? eol - p : (long)strlen(p)), p);
			jw_string(w, NULL, line);
			p = eol ? eol + 1 : NULL;
		}
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
}

const struct check *report_find(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->checks[i].id, id))
			return &r->checks[i];
	return NULL;
}
