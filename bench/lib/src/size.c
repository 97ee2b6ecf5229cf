// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/size.h"

/* Parse [start, end) of text as one size. */
static int parse_one(const char *start, const char *end, uint64_t *out, const char *what,
		     struct tl_error *e)
{
	char buf[64], *suffix;
	unsigned long long v;
	unsigned shift = 0;

	if (end - start <= 0 || (size_t)(end - start) >= sizeof(buf))
		return tl_err(e, "%s: empty or overlong size in '%.*s'", what, (int)(end - start),
			      start);
	memcpy(buf, start, end - start);
	buf[end - start] = '\0';
	if (!isdigit((unsigned char)buf[0]))
		return tl_err(e, "%s: '%s' is not a size (expected e.g. 4096, 4k, 16M)", what, buf);
	errno = 0;
	v = strtoull(buf, &suffix, 10);
	if (errno)
		return tl_err(e, "%s: '%s' is out of range", what, buf);
	switch (tolower((unsigned char)*suffix)) {
	case '\0': break;
	case 'k': shift = 10; suffix++; break;
	case 'm': shift = 20; suffix++; break;
	case 'g': shift = 30; suffix++; break;
	default:
		return tl_err(e, "%s: '%s' has an unknown unit (use k, M or G)", what, buf);
	}
	if (shift && (!strcasecmp(suffix, "ib") || !strcasecmp(suffix, "b")))
		suffix += strlen(suffix);
	if (*suffix)
		return tl_err(e, "%s: '%s' has trailing text '%s'", what, buf, suffix);
	if (v == 0)
		return tl_err(e, "%s: size must be greater than 0", what);
	if (v > (UINT64_MAX >> shift))
		return tl_err(e, "%s: '%s' is out of range", what, buf);
	*out = (uint64_t)v << shift;
	return 0;
}

int size_parse(const char *text, uint64_t *out, const char *what, struct tl_error *e)
{
	return parse_one(text, text + strlen(text), out, what, e);
}

int size_list_parse(const char *text, uint64_t *out, size_t max, size_t *n, const char *what,
		    struct tl_error *e)
{
	const char *item = text;

	*n = 0;
	for (;;) {
		const char *comma = strchr(item, ',');
		const char *end = comma ? comma : item + strlen(item);
		const char *dash = memchr(item, '-', end - item);
		uint64_t lo, hi;

		if (parse_one(item, dash ? dash : end, &lo, what, e))
			return -1;
		hi = lo;
		if (dash && parse_one(dash + 1, end, &hi, what, e))
			return -1;
		if (hi < lo)
			return tl_err(e, "%s: range '%.*s' runs downward", what, (int)(end - item),
				      item);
		for (uint64_t s = lo; s <= hi; s *= 2) {
			if (*n == max)
				return tl_err(e, "%s: more than %zu sizes", what, max);
			out[(*n)++] = s;
			if (s > UINT64_MAX / 2)
				break;
		}
		if (!comma)
			return 0;
		item = comma + 1;
	}
}

const char *size_format(uint64_t size, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (size >= 1024 && size % 1024 == 0 && u < 5) {
		size /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64, size);
	else
		snprintf(buf, len, "%" PRIu64 "%c", size, units[u]);
	return buf;
}
