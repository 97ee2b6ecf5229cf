// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/parse.h"

int parse_u64(const char *text, const char *what, uint64_t min, uint64_t max, uint64_t *out,
	      struct tl_error *e)
{
	bool hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	const char *digits = hex ? text + 2 : text;
	unsigned long long v;
	char *end;

	/* base 10 unless 0x: a leading 0 is not octal on a command line */
	errno = 0;
	v = isxdigit((unsigned char)digits[0]) ? strtoull(digits, &end, hex ? 16 : 10) : 0;
	if (!isxdigit((unsigned char)digits[0]) || *end || errno || v < min || v > max)
		return tl_err(e, "%s: '%s' is not a number from %" PRIu64 " to %" PRIu64, what, text,
			      min, max);
	*out = v;
	return 0;
}

int parse_unsigned(const char *text, const char *what, unsigned min, unsigned max,
		   unsigned *out, struct tl_error *e)
{
	uint64_t v = 0;

	if (parse_u64(text, what, min, max, &v, e))
		return -1;
	*out = (unsigned)v;
	return 0;
}

int parse_size_t(const char *text, const char *what, size_t min, size_t max, size_t *out,
		 struct tl_error *e)
{
	uint64_t v = 0;

	if (parse_u64(text, what, min, max, &v, e))
		return -1;
	*out = (size_t)v;
	return 0;
}

int parse_seconds(const char *text, const char *what, double max, double *out,
		  struct tl_error *e)
{
	char *end;
	double v = strtod(text, &end);

	if (!*text || *end || !isfinite(v) || v <= 0 || v > max)
		return tl_err(e, "%s: '%s' is not a number of seconds above 0, at most %g", what,
			      text, max);
	*out = v;
	return 0;
}

bool text_field(const char *text, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);

	for (const char *line = text; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);

		if (n > klen && !strncmp(line, key, klen)) {
			const char *v = line + klen;

			while (*v == ' ' || *v == '\t')
				v++;
			if (*v == ':') {
				size_t vlen;

				v++;
				while (*v == ' ' || *v == '\t')
					v++;
				vlen = n - (size_t)(v - line);
				while (vlen && isspace((unsigned char)v[vlen - 1]))
					vlen--;
				snprintf(out, len, "%.*s", (int)vlen, v);
				return true;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return false;
}
