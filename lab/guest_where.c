// SPDX-License-Identifier: GPL-2.0-only
#include "guest_where.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"
#include "topology.h"

static const char *next_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? nl + 1 : NULL;
}

bool guest_env_value(const char *text, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);

	for (const char *line = text; line; line = next_line(line)) {
		const char *end;

		if (strncmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		line += klen + 1;
		end = line + strcspn(line, "\r\n");
		snprintf(buf, len, "%.*s", (int)(end - line), line);
		return end > line;
	}
	return false;
}

#define SET(field, value) snprintf(field, sizeof(field), "%s", value)

void guest_where(const char *guest_env_path, const struct lab_machine *m,
		 struct result_where *where)
{
	struct tl_error ignored;
	char *text = tl_read_file(guest_env_path, NULL, &ignored);
	const char *env = text ? text : "";

	*where = (struct result_where){ 0 };
	SET(where->environment, LAB_ENVIRONMENT);
	SET(where->host_kind, m->host_kind);
	SET(where->tce_mode, LAB_TCE_MODE);
	if (!guest_env_value(env, "KERNEL", where->kernel, sizeof(where->kernel)))
		SET(where->kernel, "unknown");
	if (!guest_env_value(env, "CPU", where->cpu, sizeof(where->cpu)))
		SET(where->cpu, "unknown");
	if (!guest_env_value(env, "MACHINE", where->machine, sizeof(where->machine)) &&
	    !guest_env_value(env, "MODEL", where->machine, sizeof(where->machine)))
		SET(where->machine, "unknown");
	free(text);
}
