// SPDX-License-Identifier: GPL-2.0-only
/* net-latency's and net-rate's command lines: defaults, every option, bad input. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>

#include "tcelab/error.h"
#include "options.h"
#include "argv.h"
#include "ktap.h"

static int parse(enum net_tool tool, struct net_options *o, struct tl_error *e, ...)
{
	char *argv[TEST_ARGV_MAX];
	va_list ap;
	int argc;

	va_start(ap, e);
	argc = test_argv(argv, "net-tool", ap);
	va_end(ap);
	e->msg[0] = '\0';
	return net_parse_options(tool, argc, argv, o, e);
}

#define P "--peer", "10.0.2.2:40000"
#define L NET_LATENCY
#define R NET_RATE

int main(void)
{
	struct net_options o;
	struct tl_error e;

	report(parse(L, &o, &e, P, NULL) == 0, "net-latency: the peer alone is enough");
	report(o.peer.sin_family == AF_INET && ntohs(o.peer.sin_port) == 40000 &&
		       o.peer.sin_addr.s_addr == htonl(0x0a000202) &&
		       !strcmp(o.peer_text, "10.0.2.2:40000"),
	       "the peer's address and port, and its text");
	report(o.npayloads == 2 && o.payloads[0] == 64 && o.payloads[1] == 1472 && o.count == 1000 &&
		       o.warmup == 10 && o.timeout_ms == 1000 && !o.samples && !o.json_path &&
		       !strcmp(o.name, "net-latency"),
	       "net-latency defaults: payloads 64,1472, 1000 round trips, 10 warm-up, 1 s timeout");
	report(parse(R, &o, &e, P, NULL) == 0 && o.npayloads == 5 && o.payloads[0] == 64 &&
		       o.payloads[4] == 1472 && o.time_s == 2 && o.batch == 32 &&
		       o.modes == (NET_MODE_TX | NET_MODE_ECHO) && !strcmp(o.name, "net-rate"),
	       "net-rate defaults: 64..1472 in 5 sizes, 2 s, batch 32, tx and echo");

	report(parse(L, &o, &e, "--peer=127.0.0.1:9", "--payload=100,200,1472", "--count=5",
		     "--warmup=0", "--timeout-ms=50", "--samples", "--json=/tmp/x.json",
		     "--name=lat", NULL) == 0 &&
		       o.npayloads == 3 && o.payloads[1] == 200 && o.count == 5 && o.warmup == 0 &&
		       o.timeout_ms == 50 && o.samples && !strcmp(o.json_path, "/tmp/x.json") &&
		       !strcmp(o.name, "lat") && ntohs(o.peer.sin_port) == 9,
	       "net-latency: every option parses into its field");
	report(parse(R, &o, &e, P, "--time", "0.5", "--batch", "64", "--mode", "echo",
		     "--payload", "64", NULL) == 0 &&
		       o.time_s == 0.5 && o.batch == 64 && o.modes == NET_MODE_ECHO &&
		       o.npayloads == 1,
	       "net-rate: every option parses into its field");
	report(parse(R, &o, &e, P, "--mode", "tx", NULL) == 0 && o.modes == NET_MODE_TX,
	       "net-rate: --mode tx");

	/* bad input */
	report(parse(L, &o, &e, P, "--payload", "2000", NULL) && strstr(e.msg, "'2000'") &&
		       strstr(e.msg, "64 to 1472"),
	       "unknown payload size 2000: named, with the sizes known (%s)", e.msg);
	report(parse(L, &o, &e, P, "--payload", "63", NULL) && strstr(e.msg, "'63'"),
	       "payload 63: below the header");
	report(parse(R, &o, &e, P, "--payload", "64,lots", NULL) && strstr(e.msg, "'lots'"),
	       "payload not a number");
	report(parse(R, &o, &e, P, "--payload", "64,,", NULL) == 0 && o.npayloads == 1,
	       "empty list items are skipped");
	report(parse(R, &o, &e, P, "--payload", ",", NULL) && strstr(e.msg, "--payload"),
	       "a list of nothing");
	report(parse(R, &o, &e, P, "--payload", "-64", NULL) && strstr(e.msg, "'-64'"),
	       "negative payload");
	report(parse(R, &o, &e, P, "--payload",
		     "64,64,64,64,64,64,64,64,64,64,64,64,64,64,64,64,64", NULL) &&
		       strstr(e.msg, "more than 16"),
	       "more than 16 sizes");
	report(parse(L, &o, &e, NULL) && strstr(e.msg, "--peer"), "missing --peer is named");
	report(parse(L, &o, &e, "--peer", "10.0.2.2", NULL) && strstr(e.msg, "ADDR:PORT"),
	       "peer without a port");
	report(parse(L, &o, &e, "--peer", "host.example:5", NULL) && strstr(e.msg, "IPv4"),
	       "peer by name: no resolver in the guest");
	report(parse(L, &o, &e, "--peer", "10.0.2.2:0", NULL) && strstr(e.msg, "PORT"),
	       "port 0");
	report(parse(L, &o, &e, "--peer", "10.0.2.2:70000", NULL) && strstr(e.msg, "65535"),
	       "port above 65535");
	report(parse(L, &o, &e, P, "--time", "1", NULL) && strstr(e.msg, "net-rate only"),
	       "--time is net-rate's");
	report(parse(L, &o, &e, P, "--batch", "8", NULL) && strstr(e.msg, "net-rate only"),
	       "--batch is net-rate's");
	report(parse(R, &o, &e, P, "--count", "8", NULL) && strstr(e.msg, "net-latency only"),
	       "--count is net-latency's");
	report(parse(R, &o, &e, P, "--samples", NULL) && strstr(e.msg, "net-latency only"),
	       "--samples is net-latency's");
	report(parse(L, &o, &e, P, "--count", "0", NULL) && strstr(e.msg, "--count"), "--count 0");
	report(parse(R, &o, &e, P, "--batch", "1025", NULL) && strstr(e.msg, "1024"),
	       "--batch above 1024");
	report(parse(R, &o, &e, P, "--time", "0", NULL) && strstr(e.msg, "--time"), "--time 0");
	report(parse(R, &o, &e, P, "--time", "nan", NULL) && strstr(e.msg, "--time"), "--time nan");
	report(parse(R, &o, &e, P, "--mode", "rx", NULL) && strstr(e.msg, "'rx'") &&
		       strstr(e.msg, "tx, echo"),
	       "unknown mode, with the known ones");
	report(parse(L, &o, &e, P, "--timeout-ms", "0", NULL) && strstr(e.msg, "--timeout-ms"),
	       "--timeout-ms 0");
	report(parse(L, &o, &e, P, "--bogus", NULL) && strstr(e.msg, "--bogus"), "unknown option");
	report(parse(L, &o, &e, P, "--count", NULL) && strstr(e.msg, "needs a value"),
	       "option without its value");
	report(parse(L, &o, &e, P, "extra", NULL) && strstr(e.msg, "'extra'"),
	       "stray argument");
	return report_summary();
}
