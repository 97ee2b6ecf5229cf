// SPDX-License-Identifier: GPL-2.0-only
/*
 * iperf3's JSON output (-J, iperf3 3.x, TCP and UDP) to the suite's
 * metrics: the totals of the sending and the receiving side
 * (end.sum_sent, end.sum_received; end.sum where an older iperf3 has only
 * that) and the sender's retransmits (TCP); for UDP also what the
 * receiver saw: jitter, datagrams and lost datagrams.
 */
#include <string.h>

#include "engines.h"
#include "normalize.h"
#include "plan.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"

struct side {
	const char *member;    /* under "end" */
	const char *direction; /* its label */
};

static const struct side sides[] = {
	{ "sum_sent", "sent" },
	{ "sum_received", "received" },
};

/* Older iperf3 (UDP) reports one end.sum only. */
static const struct side sum_only = { "sum", "sum" };

static void write_parameters(struct json_writer *w, const struct json_value *doc,
			     const struct plan_step *step)
{
	const struct json_value *test = json_path(doc, "start.test_start");
	double x;

	jw_object_begin(w, "parameters");
	normalize_write_args(w, step);
	jw_string(w, "iperf3_version", json_path_string(doc, "start.version"));
	jw_string(w, "protocol", json_path_string(test, "protocol"));
	if (json_path_number(test, "num_streams", &x))
		jw_int(w, "streams", (int64_t)x);
	if (json_path_number(test, "duration", &x))
		jw_int(w, "duration_s", (int64_t)x);
	if (json_path_number(test, "reverse", &x))
		jw_bool(w, "reverse", x != 0);
	jw_object_end(w);
}

static int write_side(struct json_writer *w, const struct json_value *sum, const struct side *side,
		      struct tl_error *e)
{
	const struct label labels[] = { { "direction", side->direction } };
	double bps, bytes, retransmits;

	if (!json_path_number(sum, "bits_per_second", &bps) || !json_path_number(sum, "bytes", &bytes))
		return tl_err(e, "end.%s without bits_per_second or bytes", side->member);
	normalize_metric_value(w, "bandwidth", "bits/s", RESULT_HIGHER_IS_BETTER, labels, 1, bps);
	normalize_metric_value(w, "bytes", "bytes", RESULT_HIGHER_IS_BETTER, labels, 1, bytes);
	/* Only the sender counts retransmits, and only for TCP. */
	if (json_path_number(sum, "retransmits", &retransmits))
		normalize_metric_value(w, "retransmits", "count", RESULT_LOWER_IS_BETTER, labels, 1,
				       retransmits);
	return 0;
}

/* UDP: the receiver's jitter, datagrams and lost ones (from sum_received,
 * else from the one sum, which carries the server's figures). */
static void write_udp(struct json_writer *w, const struct json_value *end)
{
	const struct label labels[] = { { "direction", "received" } };
	const struct json_value *sum = json_get(end, "sum_received");
	double x;

	if (!sum)
		sum = json_get(end, "sum");
	if (json_path_number(sum, "jitter_ms", &x))
		normalize_metric_value(w, "jitter", "ns", RESULT_LOWER_IS_BETTER, labels, 1, x * 1e6);
	if (json_path_number(sum, "packets", &x))
		normalize_metric_value(w, "packets", "count", RESULT_HIGHER_IS_BETTER, labels, 1, x);
	if (json_path_number(sum, "lost_packets", &x))
		normalize_metric_value(w, "lost_packets", "count", RESULT_LOWER_IS_BETTER, labels, 1,
				       x);
}

int normalize_iperf3(struct json_writer *w, const struct json_value *doc,
		     const struct plan_step *step, struct strv *errors, struct tl_error *e)
{
	const struct json_value *end = json_get(doc, "end");
	const char *error = json_path_string(doc, "error");
	const char *protocol = json_path_string(doc, "start.test_start.protocol");
	bool failed = json_get(doc, "error") != NULL;
	size_t found = 0;

	if (!json_get(doc, "start") || !end || end->type != JSON_OBJECT)
		return tl_err(e, "no \"start\" or \"end\" object: not iperf3's JSON output (-J)");
	if (failed)
		strv_pushf(errors, "iperf3: %s", error ? error : "(error without a message)");
	write_parameters(w, doc, step);
	result_metrics_begin(w);
	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		const struct json_value *sum = json_get(end, sides[i].member);

		if (!sum)
			continue;
		if (write_side(w, sum, &sides[i], e))
			return -1;
		found++;
	}
	if (found == 0 && json_get(end, sum_only.member)) {
		if (write_side(w, json_get(end, sum_only.member), &sum_only, e))
			return -1;
		found++;
	}
	if (found && protocol && strcmp(protocol, "UDP") == 0)
		write_udp(w, end);
	result_metrics_end(w);
	if (found == 0 && !failed)
		strv_push(errors, "iperf3 reported no end.sum_sent, end.sum_received or end.sum");
	return 0;
}
