/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The run's disk images: sparse raw files in a folder under /tmp, not in
 * the results (they hold nothing worth keeping), removed after the run.
 */
#ifndef LAB_SCRATCH_H
#define LAB_SCRATCH_H

#include "topology.h"

struct tl_error;

struct scratch {
	char *dir;                  /* NULL: none made */
	char *disk[LAB_NROLES];     /* image path per role, NULL where none */
};

int scratch_create(struct scratch *s, struct tl_error *e);
void scratch_remove(struct scratch *s);

#endif
