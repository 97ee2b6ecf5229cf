// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/json_writer.h"
#include "tcelab/result.h"
#include "tcelab/stats.h"
#include "tcelab/timing.h"
#include "report.h"

void report_latency_human(FILE *f, const struct net_options *o, const struct latency_result *r)
{
	struct stats_summary s;

	fprintf(f, "net-latency %s payload=%llu: %llu of %llu replies, %llu lost", o->peer_text,
		(unsigned long long)r->payload, (unsigned long long)r->replies,
		(unsigned long long)r->sent, (unsigned long long)r->lost);
	if (r->late)
		fprintf(f, " (%llu came late)", (unsigned long long)r->late);
	if (r->replies && stats_summarize(r->rtt_ns, r->replies, &s) == 0)
		fprintf(f, ", rtt us min %.1f p50 %.1f p99 %.1f p99.9 %.1f max %.1f", s.min / 1e3,
			s.median / 1e3, s.p99 / 1e3, s.p999 / 1e3, s.max / 1e3);
	fprintf(f, "%s\n", r->stopped ? " (interrupted)" : "");
}

void report_tx_human(FILE *f, const struct net_options *o, const struct rate_tx_result *r)
{
	double sent = rate_tx_sent_pps(r), got = rate_tx_delivered_pps(r);

	fprintf(f, "net-rate %s payload=%llu tx batch=%u: sent %.0f pkt/s (%.2f MB/s, %llu in "
		   "%.2f s, %llu sendmmsg calls",
		o->peer_text, (unsigned long long)r->payload, o->batch, sent,
		sent * (double)r->payload / 1e6, (unsigned long long)r->sent, r->secs,
		(unsigned long long)r->send_calls);
	if (r->send_retries)
		fprintf(f, ", %llu retried", (unsigned long long)r->send_retries);
	fprintf(f, ")");
	if (r->peer_known)
		fprintf(f, ", delivered %.0f pkt/s (%.2f MB/s), %llu of %llu arrived (%.1f %% lost)",
			got, got * (double)r->payload / 1e6, (unsigned long long)r->peer.packets,
			(unsigned long long)r->sent,
			r->sent ? 100.0 * (double)(r->sent - (r->peer.packets < r->sent ?
								r->peer.packets : r->sent)) /
					  (double)r->sent
				: 0);
	else
		fprintf(f, ", delivered unknown (the peer's counts did not come back)");
	fprintf(f, "%s\n", r->stopped ? " (interrupted)" : "");
}

void report_echo_human(FILE *f, const struct net_options *o, const struct rate_echo_result *r)
{
	double pps = rate_echo_pps(r);

	fprintf(f, "net-rate %s payload=%llu echo window=%u: %.0f round trips/s (%.2f MB/s "
		   "each way), %llu of %llu echoed in %.2f s, %llu lost%s\n",
		o->peer_text, (unsigned long long)r->payload, o->batch, pps,
		pps * (double)r->payload / 1e6, (unsigned long long)r->received,
		(unsigned long long)r->sent, r->secs, (unsigned long long)r->lost,
		r->stopped ? " (interrupted)" : "");
}

/* A metric measured once, with labels payload (and mode, side when given). */
static void value(struct json_writer *w, const char *name, const char *unit,
		  enum result_direction dir, uint64_t payload, const char *mode, const char *side,
		  double v)
{
	result_metric_begin(w, name, unit, dir);
	jw_object_begin(w, "labels");
	jw_uint(w, "payload", payload);
	if (mode)
		jw_string(w, "mode", mode);
	if (side)
		jw_string(w, "side", side);
	jw_object_end(w);
	result_metric_value(w, v);
	result_metric_end(w);
}

static void latency_metrics(struct json_writer *w, const struct net_run *run)
{
	for (size_t i = 0; i < run->done; i++) {
		const struct latency_result *r = &run->lat[i];

		if (r->replies) {
			result_metric_begin(w, "rtt", "ns", RESULT_LOWER_IS_BETTER);
			jw_object_begin(w, "labels");
			jw_uint(w, "payload", r->payload);
			jw_object_end(w);
			result_metric_samples(w, r->rtt_ns, r->replies, run->o->samples);
			result_metric_end(w);
		}
		value(w, "replies", "count", RESULT_HIGHER_IS_BETTER, r->payload, NULL, NULL,
		      (double)r->replies);
		value(w, "lost", "count", RESULT_LOWER_IS_BETTER, r->payload, NULL, NULL,
		      (double)r->lost);
		value(w, "late", "count", RESULT_LOWER_IS_BETTER, r->payload, NULL, NULL,
		      (double)r->late);
	}
}

static void rate_metrics(struct json_writer *w, const struct net_run *run)
{
	const struct net_options *o = run->o;

	for (size_t i = 0; i < run->done; i++) {
		const struct rate_tx_result *t = &run->tx[i];
		const struct rate_echo_result *x = &run->echo[i];

		if (o->modes & NET_MODE_TX) {
			double sent = rate_tx_sent_pps(t), got = rate_tx_delivered_pps(t);

			value(w, "packet_rate", "packets/s", RESULT_HIGHER_IS_BETTER, t->payload, "tx",
			      "sent", sent);
			value(w, "bandwidth", "bytes/s", RESULT_HIGHER_IS_BETTER, t->payload, "tx",
			      "sent", sent * (double)t->payload);
			value(w, "packets", "count", RESULT_HIGHER_IS_BETTER, t->payload, "tx", "sent",
			      (double)t->sent);
			if (t->peer_known) {
				value(w, "packet_rate", "packets/s", RESULT_HIGHER_IS_BETTER, t->payload,
				      "tx", "delivered", got);
				value(w, "bandwidth", "bytes/s", RESULT_HIGHER_IS_BETTER, t->payload,
				      "tx", "delivered", got * (double)t->payload);
				value(w, "packets", "count", RESULT_HIGHER_IS_BETTER, t->payload, "tx",
				      "delivered", (double)t->peer.packets);
				value(w, "lost", "count", RESULT_LOWER_IS_BETTER, t->payload, "tx", NULL,
				      t->peer.packets < t->sent ? (double)(t->sent - t->peer.packets)
								: 0);
			}
		}
		if (o->modes & NET_MODE_ECHO) {
			double pps = rate_echo_pps(x);

			value(w, "packet_rate", "packets/s", RESULT_HIGHER_IS_BETTER, x->payload,
			      "echo", "echoed", pps);
			value(w, "bandwidth", "bytes/s", RESULT_HIGHER_IS_BETTER, x->payload, "echo",
			      "echoed", pps * (double)x->payload);
			value(w, "packets", "count", RESULT_HIGHER_IS_BETTER, x->payload, "echo",
			      "echoed", (double)x->received);
			value(w, "lost", "count", RESULT_LOWER_IS_BETTER, x->payload, "echo", NULL,
			      (double)x->lost);
		}
	}
}

static void write_parameters(struct json_writer *w, const struct net_options *o)
{
	jw_object_begin(w, "parameters");
	jw_string(w, "peer", o->peer_text);
	jw_array_begin(w, "payloads");
	for (size_t i = 0; i < o->npayloads; i++)
		jw_uint(w, NULL, o->payloads[i]);
	jw_array_end(w);
	if (o->tool == NET_LATENCY) {
		jw_uint(w, "count", o->count);
		jw_uint(w, "warmup", o->warmup);
	} else {
		jw_double(w, "time_s", o->time_s);
		jw_uint(w, "batch", o->batch);
		jw_string(w, "modes", o->modes == (NET_MODE_TX | NET_MODE_ECHO) ? "tx,echo"
				      : o->modes == NET_MODE_TX		 ? "tx"
									 : "echo");
	}
	jw_uint(w, "timeout_ms", o->timeout_ms);
	jw_string(w, "clock", timing_source());
	jw_uint(w, "clock_hz", timing_hz());
	jw_object_end(w);
}

int report_json(const char *path, const struct net_run *run, struct tl_error *e)
{
	struct result_file rf;

	if (result_file_begin(&rf, path, net_tool_name(run->o->tool), run->o->name, e))
		return -1;
	write_parameters(&rf.w, run->o);
	result_metrics_begin(&rf.w);
	if (run->o->tool == NET_LATENCY)
		latency_metrics(&rf.w, run);
	else
		rate_metrics(&rf.w, run);
	result_metrics_end(&rf.w);
	return result_file_end(&rf, run->errors, run->nerrors, e);
}
