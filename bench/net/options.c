// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/parse.h"
#include "options.h"
#include "proto.h"

/* Every option, documented where it is defined; "latency" or "rate" says
 * which tool takes it (the other refuses it). */
static const struct option long_options[] = {
	/* ADDR:PORT of tcelab-udp-peer, an IPv4 address (required; the
	 * engines pass TCELAB_UDP_PEER:TCELAB_UDP_PEER_PORT) */
	{ "peer", required_argument, NULL, 'p' },
	/* UDP payload sizes in bytes, comma-separated, each 64 to 1472
	 * (default latency: 64,1472; rate: 64,256,512,1024,1472) */
	{ "payload", required_argument, NULL, 's' },
	/* latency: measured request/response round trips per payload
	 * (default 1000) */
	{ "count", required_argument, NULL, 'c' },
	/* latency: unmeasured round trips before them, per payload (default 10) */
	{ "warmup", required_argument, NULL, 'W' },
	/* rate: seconds per payload and mode, fractions allowed (default 2) */
	{ "time", required_argument, NULL, 't' },
	/* rate: datagrams per sendmmsg/recvmmsg call, 1 to 1024; in echo mode
	 * also the datagrams in flight (default 32) */
	{ "batch", required_argument, NULL, 'b' },
	/* rate: tx (a stream to the peer's sink, which counts what arrived),
	 * echo (bursts of --batch datagrams echoed back), or tx,echo (default) */
	{ "mode", required_argument, NULL, 'm' },
	/* how long to wait for a reply, 1 to 60000 ms (default 1000); the
	 * first probe is tried 3 times, and 5 requests (or echo bursts) in a
	 * row without any reply end the run with an error */
	{ "timeout-ms", required_argument, NULL, 'T' },
	/* latency: keep every round trip time in the JSON, not just the summary */
	{ "samples", no_argument, NULL, 'S' },
	/* write the result JSON here */
	{ "json", required_argument, NULL, 'j' },
	/* workload name in the result (default: the tool's name) */
	{ "name", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

const char *net_tool_name(enum net_tool tool)
{
	return tool == NET_LATENCY ? "net-latency" : "net-rate";
}

void net_usage(enum net_tool tool, FILE *f)
{
	if (tool == NET_LATENCY)
		fprintf(f, "usage: net-latency --peer ADDR:PORT [--payload LIST] [--count N] [--warmup N]\n"
			   "                   [--timeout-ms MS] [--samples] [--json FILE] [--name NAME]\n");
	else
		fprintf(f, "usage: net-rate --peer ADDR:PORT [--payload LIST] [--time SECS] [--batch N]\n"
			   "                [--mode tx|echo|tx,echo] [--timeout-ms MS] [--json FILE] [--name NAME]\n");
}

int net_parse_payloads(const char *text, struct net_options *o, struct tl_error *e)
{
	char buf[256], *item, *save = NULL;

	if (strlen(text) >= sizeof(buf) || !*text)
		return tl_err(e, "--payload: '%s' is not a list of sizes such as 64,1472", text);
	snprintf(buf, sizeof(buf), "%s", text);
	o->npayloads = 0;
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(item, &end, 10);
		if (*item < '0' || *item > '9' || *end || errno || v < NETP_PAYLOAD_MIN ||
		    v > NETP_PAYLOAD_MAX)
			return tl_err(e, "--payload: '%s' is not a UDP payload size the tools know: "
					 "%d to %d bytes (%d fills a 1500-byte MTU after the IPv4 "
					 "and UDP headers; below %d the header would not fit)",
				      item, NETP_PAYLOAD_MIN, NETP_PAYLOAD_MAX, NETP_PAYLOAD_MAX,
				      NETP_PAYLOAD_MIN);
		if (o->npayloads == NET_MAX_PAYLOADS)
			return tl_err(e, "--payload: more than %d sizes", NET_MAX_PAYLOADS);
		o->payloads[o->npayloads++] = v;
	}
	if (!o->npayloads)
		return tl_err(e, "--payload: '%s' is not a list of sizes such as 64,1472", text);
	return 0;
}

int net_parse_peer(const char *text, struct net_options *o, struct tl_error *e)
{
	char buf[64], *colon;
	uint64_t port = 0;

	snprintf(buf, sizeof(buf), "%s", text);
	colon = strrchr(buf, ':');
	if (!colon || strlen(text) >= sizeof(buf))
		return tl_err(e, "--peer: '%s' is not ADDR:PORT (e.g. 10.0.2.2:40000)", text);
	*colon = '\0';
	memset(&o->peer, 0, sizeof(o->peer));
	o->peer.sin_family = AF_INET;
	if (inet_pton(AF_INET, buf, &o->peer.sin_addr) != 1)
		return tl_err(e, "--peer: '%s' is not an IPv4 address (no names: the guest has no "
				 "resolver)", buf);
	if (parse_u64(colon + 1, "--peer PORT", 1, 65535, &port, e))
		return -1;
	o->peer.sin_port = htons((uint16_t)port);
	snprintf(o->peer_text, sizeof(o->peer_text), "%s:%u", buf, (unsigned)port);
	return 0;
}

static int parse_modes(const char *text, unsigned *modes, struct tl_error *e)
{
	if (!strcmp(text, "tx"))
		*modes = NET_MODE_TX;
	else if (!strcmp(text, "echo"))
		*modes = NET_MODE_ECHO;
	else if (!strcmp(text, "tx,echo") || !strcmp(text, "echo,tx"))
		*modes = NET_MODE_TX | NET_MODE_ECHO;
	else
		return tl_err(e, "--mode: unknown mode '%s' (known: tx, echo, tx,echo)", text);
	return 0;
}

/* Which tool an option belongs to: 0 both. */
static enum net_tool only_for(int c, bool *restricted)
{
	*restricted = true;
	switch (c) {
	case 'c': case 'W': case 'S': return NET_LATENCY;
	case 't': case 'b': case 'm': return NET_RATE;
	}
	*restricted = false;
	return NET_LATENCY;
}

int net_parse_options(enum net_tool tool, int argc, char **argv, struct net_options *o,
		      struct tl_error *e)
{
	bool payload_set = false;
	uint64_t v = 0;
	int c;

	*o = (struct net_options){ .tool = tool, .count = 1000, .warmup = 10, .time_s = 2,
				   .batch = 32, .modes = NET_MODE_TX | NET_MODE_ECHO,
				   .timeout_ms = 1000, .name = net_tool_name(tool) };
	optind = 1; /* ":" first in the option string: getopt reports, we print */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:s:c:W:t:b:m:T:Sj:n:h", long_options, NULL)) !=
	       -1) {
		bool restricted;
		enum net_tool owner = only_for(c, &restricted);
		int ret = 0;

		if (restricted && owner != tool)
			return tl_err(e, "%s applies to %s only", argv[optind - 1],
				      net_tool_name(owner));
		switch (c) {
		case 'p': ret = net_parse_peer(optarg, o, e); break;
		case 's': ret = net_parse_payloads(optarg, o, e); payload_set = true; break;
		case 'c': ret = parse_u64(optarg, "--count", 1, 10000000, &o->count, e); break;
		case 'W': ret = parse_u64(optarg, "--warmup", 0, 1000000, &o->warmup, e); break;
		case 't': ret = parse_seconds(optarg, "--time", 3600, &o->time_s, e); break;
		case 'b': ret = parse_u64(optarg, "--batch", 1, 1024, &v, e);
			  o->batch = (unsigned)v; break;
		case 'm': ret = parse_modes(optarg, &o->modes, e); break;
		case 'T': ret = parse_u64(optarg, "--timeout-ms", 1, 60000, &v, e);
			  o->timeout_ms = (unsigned)v; break;
		case 'S': o->samples = true; break;
		case 'j': o->json_path = optarg; break;
		case 'n': o->name = optarg; break;
		case 'h': net_usage(tool, stdout); exit(0);
		case ':': return tl_err(e, "%s needs a value", argv[optind - 1]);
		default: return tl_err(e, "unknown option '%s' (see --help)", argv[optind - 1]);
		}
		if (ret)
			return -1;
	}
	if (optind < argc)
		return tl_err(e, "unexpected argument '%s'", argv[optind]);
	if (!o->peer_text[0])
		return tl_err(e, "--peer ADDR:PORT is required (tcelab-udp-peer's address as the "
				 "guest reaches it)");
	if (!payload_set) {
		static const uint64_t lat[] = { 64, 1472 }, rate[] = { 64, 256, 512, 1024, 1472 };
		const uint64_t *d = tool == NET_LATENCY ? lat : rate;
		size_t n = tool == NET_LATENCY ? 2 : 5;

		memcpy(o->payloads, d, n * sizeof(*d));
		o->npayloads = n;
	}
	return 0;
}
