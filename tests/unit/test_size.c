// SPDX-License-Identifier: GPL-2.0-only
/* Size options: units, lists, doubling ranges and the errors. */
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/size.h"
#include "../ktap.h"

int main(void)
{
	uint64_t v[32];
	struct tl_error e;
	size_t n;
	char buf[24];

	report(size_parse("4096", v, "x", &e) == 0 && v[0] == 4096, "plain bytes");
	report(size_parse("4k", v, "x", &e) == 0 && v[0] == 4096, "4k");
	report(size_parse("16M", v, "x", &e) == 0 && v[0] == 16u << 20, "16M");
	report(size_parse("1GiB", v, "x", &e) == 0 && v[0] == 1u << 30, "1GiB");
	report(size_parse("0", v, "--sizes", &e) && strstr(e.msg, "--sizes"),
	       "zero is refused, naming the option");
	report(size_parse("4q", v, "x", &e) && strstr(e.msg, "unknown unit"), "unknown unit");
	report(size_parse("k", v, "x", &e) && strstr(e.msg, "not a size"), "no number");
	report(size_parse("99999999999999999999", v, "x", &e) && strstr(e.msg, "out of range"),
	       "overflow");

	report(size_list_parse("4k-16m", v, 32, &n, "x", &e) == 0 && n == 13 && v[0] == 4096 &&
		       v[12] == 16u << 20,
	       "4k-16m is 13 doubling sizes");
	report(size_list_parse("4k,64k-256k,1m", v, 32, &n, "x", &e) == 0 && n == 5 &&
		       v[1] == 65536 && v[3] == 262144 && v[4] == 1u << 20,
	       "lists mix with ranges");
	report(size_list_parse("16m-4k", v, 32, &n, "--sizes", &e) && strstr(e.msg, "downward"),
	       "a downward range is refused");
	report(size_list_parse("4k-1g", v, 4, &n, "x", &e) && strstr(e.msg, "more than 4"),
	       "too many sizes is refused");
	report(size_list_parse("4k,,8k", v, 32, &n, "x", &e) != 0, "empty item is refused");

	report(!strcmp(size_format(16u << 20, buf, sizeof(buf)), "16M"), "format 16M");
	report(!strcmp(size_format(1536, buf, sizeof(buf)), "1536"), "format 1536");
	report(!strcmp(size_format(4096, buf, sizeof(buf)), "4K"), "format 4K");
	return report_summary();
}
