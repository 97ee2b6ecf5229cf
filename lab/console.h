/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest's console markers (docs/lab-protocol.md, "Console markers"). */
#ifndef LAB_CONSOLE_H
#define LAB_CONSOLE_H

#include <stdbool.h>

#include "plan.h"

/* The exit status init gives a step it killed at TCELAB_STEP_TIMEOUT. */
#define STEP_RC_TIMEOUT 124

enum marker_kind {
	MARKER_NONE,       /* any other console line */
	MARKER_BOOT,       /* TCELAB-BOOT kernel=K */
	MARKER_STEP_BEGIN, /* TCELAB-STEP I/N NAME begin */
	MARKER_STEP_END,   /* TCELAB-STEP I/N NAME end rc=R secs=S */
	MARKER_ERROR,      /* TCELAB-ERROR TEXT */
	MARKER_PLAN_END,   /* TCELAB-PLAN end steps=N failed=F */
};

struct marker {
	enum marker_kind kind;
	int index, total;            /* STEP: I/N */
	char name[PLAN_NAME_MAX + 1]; /* STEP */
	int rc, secs;                /* STEP end */
	int steps, failed;           /* PLAN end */
	char text[256];              /* BOOT: the kernel; ERROR: the message */
};

/*
 * Parse one console line (without its line end; a trailing '\r' from the
 * hvc console is ignored). A line that starts like a marker but does not
 * parse is MARKER_NONE: the console is also the kernel's, and a garbled
 * line must not end the run.
 */
struct marker console_parse(const char *line);

#endif
