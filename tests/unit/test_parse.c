// SPDX-License-Identifier: GPL-2.0-only
/* Command-line numbers and /proc "key : value" lines. */
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/parse.h"
#include "../ktap.h"

int main(void)
{
	struct tl_error e;
	uint64_t v;
	unsigned u;
	double s;
	char out[64];
	const char *cpuinfo = "processor\t: 0\ncpu family\t: 6\ncpu\t\t: POWER9 (raw)  \n"
			      "timebase\t: 512000000\n";

	report(parse_u64("42", "--n", 0, 100, &v, &e) == 0 && v == 42, "decimal");
	report(parse_u64("0x10", "--n", 0, 100, &v, &e) == 0 && v == 16, "0x hex");
	report(parse_u64("010", "--n", 0, 100, &v, &e) == 0 && v == 10,
	       "a leading zero is not octal");
	report(parse_u64("-1", "--qd", 0, 100, &v, &e) && strstr(e.msg, "--qd") &&
		       strstr(e.msg, "from 0 to 100"),
	       "a sign is refused, the error names the option and the range");
	report(parse_u64("+1", "--n", 0, 100, &v, &e) != 0, "a plus sign too");
	report(parse_u64("", "--n", 0, 100, &v, &e) != 0, "empty");
	report(parse_u64("7x", "--n", 0, 100, &v, &e) != 0, "trailing text");
	report(parse_u64("101", "--n", 0, 100, &v, &e) != 0, "above max");
	report(parse_u64("99999999999999999999999", "--n", 0, UINT64_MAX, &v, &e) != 0,
	       "overflow");
	report(parse_unsigned("4096", "--qd", 1, 4096, &u, &e) == 0 && u == 4096, "unsigned max");
	report(parse_seconds("0.5", "--time", 10, &s, &e) == 0 && s == 0.5, "fractional seconds");
	report(parse_seconds("0", "--time", 10, &s, &e) && strstr(e.msg, "--time"),
	       "zero seconds refused");
	report(parse_seconds("nan", "--time", 10, &s, &e) != 0, "nan refused");

	report(text_field(cpuinfo, "cpu", out, sizeof(out)) && !strcmp(out, "POWER9 (raw)"),
	       "text_field: 'cpu', not 'cpu family', trailing blanks dropped (got '%s')", out);
	report(text_field(cpuinfo, "timebase", out, sizeof(out)) && !strcmp(out, "512000000"),
	       "text_field: last line");
	report(!text_field(cpuinfo, "model", out, sizeof(out)), "text_field: a missing key");
	return report_summary();
}
