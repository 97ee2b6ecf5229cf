// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target for the result parsers tcelab ingest trusts: every input is
 * read as a tcelab-result/1 document and as a run.json (tcelab-run/1).
 * Built two ways (reports/tests/CMakeLists.txt):
 *  - with clang's libFuzzer (-fsanitize=fuzzer,address,undefined) when clang
 *    is there: LLVMFuzzerTestOneInput below, run for a bounded time;
 *  - always, with the compiler at hand and ASan/UBSan where it has them, as
 *    a deterministic mutation fuzzer (FUZZ_MUTATE): seeded mutations of the
 *    seed files, a fixed count, the same inputs every run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result_doc.h"
#include "tcelab/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_result r;
	struct doc_run run;
	struct tl_error e;

	if (doc_parse_result((const char *)data, size, "fuzz", &r, &e) == 0) {
		/* what the store would bind must be there */
		if (!r.workload || !r.parameters || !r.errors || (r.nmetrics && !r.metrics))
			abort();
		for (size_t i = 0; i < r.nmetrics; i++)
			if (!r.metrics[i].labels || !r.metrics[i].labels_text ||
			    (r.metrics[i].nsamples && !r.metrics[i].samples))
				abort();
		doc_result_free(&r);
	} else if (!e.msg[0]) {
		abort(); /* an error must say why */
	}
	if (doc_parse_run((const char *)data, size, "fuzz", &run, &e) == 0)
		doc_run_free(&run);
	else if (!e.msg[0])
		abort();
	return 0;
}

#ifdef FUZZ_MUTATE
#include "tcelab/rng.h"

/* Fragments that make JSON interesting where they land. */
static const char *const tokens[] = {
	"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "null", "true", "false", "-0",
	"1e308", "1e999", "-1e999", "0.5", "4294967297", "18446744073709551616", "NaN", "\"samples\":",
	"\"summary\":{\"n\":", "\"labels\":{\"size\":", "\"schema\":\"tcelab-result/1\"",
	"\"schema\":\"tcelab-run/1\"", "\"metrics\":[", "\"steps\":[{\"name\":\"x\",\"rc\":null}]",
	"\"better\":\"higher\"", "\xff", "\xc3\x28", "\t", "\n",
};

#define NTOKENS (sizeof(tokens) / sizeof(tokens[0]))

static size_t mutate(struct tl_rng *rng, const char *seed, size_t len, char *out, size_t cap)
{
	size_t n = len < cap ? len : cap;
	int rounds = 1 + (int)tl_rng_below(rng, 4);

	memcpy(out, seed, n);
	while (rounds--) {
		size_t at = n ? (size_t)tl_rng_below(rng, n) : 0;

		switch (tl_rng_below(rng, 7)) {
		case 0: /* flip a bit */
			if (n)
				out[at] ^= (char)(1u << tl_rng_below(rng, 8));
			break;
		case 1: /* truncate */
			n = at;
			break;
		case 2: /* delete a run of bytes */
			if (n) {
				size_t k = 1 + (size_t)tl_rng_below(rng, 16);

				k = at + k > n ? n - at : k;
				memmove(out + at, out + at + k, n - at - k);
				n -= k;
			}
			break;
		case 3: { /* insert a token */
			const char *t = tokens[tl_rng_below(rng, NTOKENS)];
			size_t k = strlen(t);

			if (n + k <= cap) {
				memmove(out + at + k, out + at, n - at);
				memcpy(out + at, t, k);
				n += k;
			}
			break;
		}
		case 4: { /* duplicate a slice (nesting, repeated members) */
			size_t k = 1 + (size_t)tl_rng_below(rng, 64);

			k = at + k > n ? n - at : k;
			if (n + k <= cap) {
				/* after the move both copies of the slice are there */
				memmove(out + at + k, out + at, n - at);
				n += k;
			}
			break;
		}
		case 5: /* a digit for a digit */
			if (n && out[at] >= '0' && out[at] <= '9')
				out[at] = (char)('0' + tl_rng_below(rng, 10));
			break;
		default: /* deep nesting */
			if (n + 300 <= cap) {
				memmove(out + at + 300, out + at, n - at);
				memset(out + at, tl_rng_below(rng, 2) ? '[' : '{', 300);
				n += 300;
			}
			break;
		}
	}
	return n;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		if (f)
			fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* usage: fuzz_result_mutate COUNT SEED_FILE... */
int main(int argc, char **argv)
{
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	struct tl_rng rng;
	size_t cap = 1 << 20;
	char *buf = malloc(cap);

	if (argc < 3 || count <= 0 || !buf) {
		fprintf(stderr, "usage: %s COUNT SEED_FILE...\n", argv[0]);
		return 2;
	}
	tl_rng_seed(&rng, 20261125);
	printf("KTAP version 1\n");
	for (int s = 2; s < argc; s++) {
		size_t len;
		char *seed = slurp(argv[s], &len);

		if (!seed) {
			printf("not ok %d %s: cannot read\n", s - 1, argv[s]);
			return 1;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)seed, len);
		for (long i = 0; i < count; i++) {
			size_t n = mutate(&rng, seed, len, buf, cap);

			LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
		}
		printf("ok %d %ld mutations of %s: no crash, every error said why\n", s - 1, count, argv[s]);
		free(seed);
	}
	printf("1..%d\n%d passed, 0 failed, 0 skipped\n", argc - 2, argc - 2);
	free(buf);
	return 0;
}
#endif
