// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "peer.h"
#include "proto.h"

void peer_init(struct peer *p)
{
	memset(p, 0, sizeof(*p));
}

/* The session's slot; created (evicting the oldest) when create. */
static struct peer_session *session(struct peer *p, uint32_t id, int create)
{
	struct peer_session *oldest = &p->s[0];

	for (size_t i = 0; i < PEER_SESSIONS; i++) {
		struct peer_session *s = &p->s[i];

		if (s->used && s->id == id) {
			s->used = ++p->stamp;
			return s;
		}
		if (s->used < oldest->used)
			oldest = s;
	}
	if (!create)
		return NULL;
	*oldest = (struct peer_session){ .id = id, .used = ++p->stamp };
	return oldest;
}

size_t peer_handle(struct peer *p, const void *in, size_t len, uint64_t now_ns, void *out,
		   size_t cap)
{
	struct netp_header h, r;
	struct peer_session *s;

	if (netp_decode(in, len, &h)) {
		p->ignored++;
		return 0;
	}
	switch (h.type) {
	case NETP_ECHO:
		if (len > cap)
			break;
		memcpy(out, in, len);
		p->echoed++;
		return len;
	case NETP_SINK:
		s = session(p, h.session, 1);
		if (!s->packets)
			s->first_ns = now_ns;
		s->last_ns = now_ns;
		s->packets++;
		s->bytes += len;
		p->sunk++;
		return 0;
	case NETP_STATS:
		if (cap < NETP_PAYLOAD_MIN)
			break;
		s = session(p, h.session, 0);
		r = (struct netp_header){ .type = NETP_STATS_REPLY, .session = h.session };
		if (s) {
			r.seq = s->packets;
			r.a = s->bytes;
			r.b = s->last_ns - s->first_ns;
		}
		memset(out, 0, NETP_PAYLOAD_MIN);
		netp_encode(&r, out);
		p->stats++;
		return NETP_PAYLOAD_MIN;
	}
	p->ignored++;
	return 0;
}
