/* SPDX-License-Identifier: GPL-2.0-only */
/* The host tools' unit tests: a recorded input from data/ (TEST_DATA_DIR),
 * read whole; a missing one ends the test program with status 2. */
#ifndef HOST_TESTS_FIXTURE_H
#define HOST_TESTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"

static inline char *fixture(const char *name)
{
	char path[512];
	struct tl_error e;
	char *t;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	t = tl_read_file(path, NULL, &e);
	if (!t) {
		printf("# %s\n", e.msg);
		exit(2);
	}
	return t;
}

#endif
