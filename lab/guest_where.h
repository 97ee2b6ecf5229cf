/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a run was measured, for results the guest's tools do not write
 * themselves: what the guest saw (out/guest.env) plus what only the runner
 * knows (the machine is emulated, and so are its TCE hypercalls).
 */
#ifndef LAB_GUEST_WHERE_H
#define LAB_GUEST_WHERE_H

#include "tcelab/result.h"

struct lab_machine;

/* Fields guest.env lacks (or a missing file) read "unknown". */
void guest_where(const char *guest_env_path, const struct lab_machine *m,
		 struct result_where *where);

/* One KEY's value from KEY=VALUE text into buf; false when absent or empty. */
bool guest_env_value(const char *text, const char *key, char *buf, size_t len);

#endif
