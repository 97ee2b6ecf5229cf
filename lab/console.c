// SPDX-License-Identifier: GPL-2.0-only
#include "console.h"

#include <stdio.h>
#include <string.h>

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copy line without a trailing "\r" into buf. */
static void strip_cr(const char *line, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%s", line);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == '\n'))
		buf[--n] = '\0';
}

static struct marker parse_step(const char *args)
{
	struct marker m = { .kind = MARKER_NONE };
	char verb[8];
	int used = 0;

	/* %64s matches PLAN_NAME_MAX. */
	if (sscanf(args, "%d/%d %64s %7s%n", &m.index, &m.total, m.name, verb, &used) != 4 ||
	    m.index < 1 || m.index > m.total || !plan_name_valid(m.name))
		return (struct marker){ .kind = MARKER_NONE };
	if (strcmp(verb, "begin") == 0 && args[used] == '\0')
		m.kind = MARKER_STEP_BEGIN;
	else if (strcmp(verb, "end") == 0 &&
		 sscanf(args + used, " rc=%d secs=%d", &m.rc, &m.secs) == 2)
		m.kind = MARKER_STEP_END;
	else
		return (struct marker){ .kind = MARKER_NONE };
	return m;
}

struct marker console_parse(const char *raw)
{
	struct marker m = { .kind = MARKER_NONE };
	char line[512];

	strip_cr(raw, line, sizeof(line));
	if (starts_with(line, "TCELAB-STEP "))
		return parse_step(line + strlen("TCELAB-STEP "));
	if (starts_with(line, "TCELAB-BOOT kernel=")) {
		m.kind = MARKER_BOOT;
		snprintf(m.text, sizeof(m.text), "%.*s", (int)sizeof(m.text) - 1,
			 line + strlen("TCELAB-BOOT kernel="));
	} else if (starts_with(line, "TCELAB-ERROR ")) {
		m.kind = MARKER_ERROR;
		snprintf(m.text, sizeof(m.text), "%.*s", (int)sizeof(m.text) - 1,
			 line + strlen("TCELAB-ERROR "));
	} else if (sscanf(line, "TCELAB-PLAN end steps=%d failed=%d", &m.steps, &m.failed) == 2) {
		m.kind = MARKER_PLAN_END;
	}
	return m;
}
