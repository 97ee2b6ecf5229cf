// SPDX-License-Identifier: GPL-2.0-only
#include "progress.h"

#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "plan.h"

void progress_init(struct progress *p, FILE *out, const struct plan *plan, double now)
{
	*p = (struct progress){ .out = out, .plan = plan, .started = now };
	p->seen = xcalloc(plan->nsteps, sizeof(*p->seen));
}

static void close_line(struct progress *p, const char *verdict)
{
	if (p->line_open)
		fprintf(p->out, "%s\n", verdict);
	p->line_open = false;
}

static struct step_seen *seen_step(struct progress *p, const char *name)
{
	for (size_t i = 0; i < p->plan->nsteps; i++)
		if (strcmp(p->plan->steps[i].name, name) == 0)
			return &p->seen[i];
	return NULL;
}

static void step_begin(struct progress *p, const struct marker *m)
{
	struct step_seen *s = seen_step(p, m->name);

	close_line(p, "");
	if (!s || s->begun) /* not ours, or a repeated line: keep the first */
		return;
	s->begun = true;
	fprintf(p->out, "[%d/%d] %s ... ", m->index, m->total, m->name);
	p->line_open = true;
}

static void step_end(struct progress *p, const struct marker *m)
{
	struct step_seen *s = seen_step(p, m->name);
	char verdict[96];

	if (!s || s->ended)
		return;
	s->begun = s->ended = true;
	s->rc = m->rc;
	s->secs = m->secs;
	if (m->rc == 0)
		snprintf(verdict, sizeof(verdict), "ok (%d s)", m->secs);
	else if (m->rc == STEP_RC_TIMEOUT)
		snprintf(verdict, sizeof(verdict), "FAILED: killed at the step timeout (%d s)", m->secs);
	else
		snprintf(verdict, sizeof(verdict), "FAILED: exit status %d (%d s)", m->rc, m->secs);
	if (!p->line_open) /* its begin line was cut by other output */
		fprintf(p->out, "[%d/%d] %s ... ", m->index, m->total, m->name);
	p->line_open = true;
	close_line(p, verdict);
}

void progress_feed(struct progress *p, const char *line, double now)
{
	struct marker m = console_parse(line);

	switch (m.kind) {
	case MARKER_NONE:
		break;
	case MARKER_BOOT:
		if (p->booted)
			break;
		p->booted = true;
		snprintf(p->kernel, sizeof(p->kernel), "%s", m.text);
		close_line(p, "");
		fprintf(p->out, "guest up after %.0f s (kernel %s)\n", now - p->started, m.text);
		break;
	case MARKER_STEP_BEGIN:
		step_begin(p, &m);
		break;
	case MARKER_STEP_END:
		step_end(p, &m);
		break;
	case MARKER_ERROR:
		close_line(p, "");
		fprintf(p->out, "guest error: %s\n", m.text);
		strv_push(&p->guest_errors, m.text);
		break;
	case MARKER_PLAN_END:
		if (p->plan_ended)
			break;
		p->plan_ended = true;
		close_line(p, "");
		fprintf(p->out, "guest done: %d steps, %d failed\n", m.steps, m.failed);
		break;
	}
	fflush(p->out);
}

void progress_abort(struct progress *p, const char *why)
{
	close_line(p, why);
	fflush(p->out);
}

void progress_free(struct progress *p)
{
	free(p->seen);
	strv_free(&p->guest_errors);
	p->seen = NULL;
}
