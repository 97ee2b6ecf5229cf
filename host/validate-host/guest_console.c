// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_console.h"

void guest_console_init(struct guest_console *g, unsigned want)
{
	memset(g, 0, sizeof(*g));
	g->want = want > GUEST_MAX_BOOTS ? GUEST_MAX_BOOTS : want;
}

static struct guest_boot *current(struct guest_console *g)
{
	return g->nboots ? &g->boots[g->nboots - 1] : NULL;
}

void guest_console_line(struct guest_console *g, const char *line, double t)
{
	char text[400];
	size_t n = strlen(line);
	struct guest_boot *b;

	if (n && line[n - 1] == '\r')
		n--;
	if (n >= sizeof(text))
		n = sizeof(text) - 1;
	memcpy(text, line, n);
	text[n] = '\0';
	snprintf(g->tail[g->ntail % GUEST_TAIL_LINES], sizeof(g->tail[0]), "%s", text);
	g->ntail++;

	if (!strncmp(text, "TCELAB-BOOT ", 12)) {
		if (g->nboots == GUEST_MAX_BOOTS)
			return;
		b = &g->boots[g->nboots++];
		b->started = true;
		b->t_start = t;
		g->t_last = t;
		return;
	}
	b = current(g);
	/* a set-up failure before /init said it started is still this boot's */
	if (!b && !strncmp(text, "TCELAB-ERROR ", 13) && g->nboots < GUEST_MAX_BOOTS) {
		b = &g->boots[g->nboots++];
		b->t_start = t;
	}
	if (!b || b->verified || b->error)
		return;
	if (!strncmp(text, "TCELAB-SMOKE verify rc=", 23)) {
		char *end;
		long rc = strtol(text + 23, &end, 10);

		b->verified = true;
		b->rc = end == text + 23 ? -1 : (int)rc;
		while (*end == ' ')
			end++;
		snprintf(b->verdict, sizeof(b->verdict), "%s", end);
		b->t_end = t;
		g->t_last = t;
	} else if (!strncmp(text, "TCELAB-ERROR ", 13)) {
		b->error = true;
		snprintf(b->verdict, sizeof(b->verdict), "%s", text + 13);
		b->t_end = t;
		g->t_last = t;
	}
}

bool guest_console_done(const struct guest_console *g)
{
	const struct guest_boot *b = g->nboots ? &g->boots[g->nboots - 1] : NULL;

	if (b && (b->error || (b->verified && b->rc != 0)))
		return true;
	return g->nboots >= g->want && b && b->verified;
}

void guest_console_tail(const struct guest_console *g, void (*fn)(void *arg, const char *line),
			void *arg)
{
	unsigned first = g->ntail > GUEST_TAIL_LINES ? g->ntail - GUEST_TAIL_LINES : 0;

	for (unsigned i = first; i < g->ntail; i++)
		fn(arg, g->tail[i % GUEST_TAIL_LINES]);
}
