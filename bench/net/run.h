/* SPDX-License-Identifier: GPL-2.0-only */
/* What net-latency and net-rate share: main() of both. */
#ifndef NET_RUN_H
#define NET_RUN_H

#include "options.h"

/* Parse, check the peer answers, measure each payload size, report.
 * Exit status: 0 passed, 1 failed (the JSON says why), 2 bad input. */
int net_main(enum net_tool tool, int argc, char **argv);

#endif
