// SPDX-License-Identifier: GPL-2.0-only
/* Recursive-descent JSON parser: strict RFC 8259, UTF-8 passed through. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/pci.h"

#define MAX_DEPTH 256

struct parser {
	const char *p, *start, *end;
	struct tl_error *e;
	int depth;
};

static int fail(struct parser *ps, const char *what)
{
	int line = 1, col = 1;

	for (const char *c = ps->start; c < ps->p && c < ps->end; c++) {
		if (*c == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return tl_err(ps->e, "line %d column %d: %s", line, col, what);
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static struct json_value *new_value(enum json_type type)
{
	struct json_value *v = calloc(1, sizeof(*v));

	if (v)
		v->type = type;
	return v;
}

static struct json_value *parse_value(struct parser *ps);

static int hex4(struct parser *ps, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char c = ps->p < ps->end ? *ps->p++ : '\0';

		*out <<= 4;
		if (c >= '0' && c <= '9')
			*out |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*out |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*out |= c - 'A' + 10;
		else
			return fail(ps, "bad \\u escape");
	}
	return 0;
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* At the opening quote; returns a malloc'd string (escapes decoded). */
static char *parse_string(struct parser *ps, size_t *len)
{
	const char *q = ++ps->p;
	char *out, *o;

	/* the decoded string is never longer than the raw one */
	while (q < ps->end && *q != '"')
		q += (*q == '\\' && q + 1 < ps->end) ? 2 : 1;
	if (q >= ps->end) {
		fail(ps, "unterminated string");
		return NULL;
	}
	out = o = malloc(q - ps->p + 1);
	if (!out) {
		fail(ps, "out of memory");
		return NULL;
	}
	while (*ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p++;
		unsigned cp, lo;

		if (c < 0x20) {
			ps->p--;
			fail(ps, "control character in string");
			goto err;
		}
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		switch (*ps->p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (hex4(ps, &cp))
				goto err;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u') {
					fail(ps, "unpaired surrogate in \\u escape");
					goto err;
				}
				ps->p += 2;
				if (hex4(ps, &lo))
					goto err;
				if (lo < 0xdc00 || lo > 0xdfff) {
					fail(ps, "bad low surrogate in \\u escape");
					goto err;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(ps, "unpaired surrogate in \\u escape");
				goto err;
			}
			o += put_utf8(o, cp);
			break;
		default:
			ps->p--;
			fail(ps, "bad escape in string");
			goto err;
		}
	}
	ps->p++;
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
err:
	free(out);
	return NULL;
}

static struct json_value *parse_number(struct parser *ps)
{
	const char *s = ps->p;
	char buf[128];
	struct json_value *v;

	/* validate the grammar first: strtod alone accepts too much (hex, inf) */
	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (ps->p < ps->end && *ps->p >= '1' && *ps->p <= '9')
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	else
		return fail(ps, "bad number"), NULL;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "bad number: digit expected after '.'"), NULL;
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "bad number: digit expected in exponent"), NULL;
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if ((size_t)(ps->p - s) >= sizeof(buf))
		return fail(ps, "number too long"), NULL;
	memcpy(buf, s, ps->p - s);
	buf[ps->p - s] = '\0';
	v = new_value(JSON_NUMBER);
	if (!v)
		return fail(ps, "out of memory"), NULL;
	v->u.number = strtod(buf, NULL);
	return v;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return false;
	ps->p += n;
	return true;
}

/* Grow *items to hold one more pointer. */
static int grow(void **items, size_t n, size_t size)
{
	void *bigger;

	if (n & (n - 1) && n > 0)
		return 0; /* capacity is the next power of two: room left */
	bigger = realloc(*items, (n ? n * 2 : 1) * size);
	if (!bigger)
		return -1;
	*items = bigger;
	return 0;
}

static struct json_value *parse_array(struct parser *ps, struct json_value *v)
{
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return v;
	}
	for (;;) {
		struct json_value *item;

		if (grow((void **)&v->u.array.items, v->u.array.n, sizeof(item)))
			return fail(ps, "out of memory"), NULL;
		item = parse_value(ps);
		if (!item)
			return NULL;
		v->u.array.items[v->u.array.n++] = item;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return v;
		}
		return fail(ps, ps->p >= ps->end ? "unexpected end of input in array"
						  : "',' or ']' expected in array"), NULL;
	}
}

static struct json_value *parse_object(struct parser *ps, struct json_value *v)
{
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return v;
	}
	for (;;) {
		struct json_value *value;
		size_t klen, n = v->u.object.n;
		char *key;

		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"')
			return fail(ps, "string key expected in object"), NULL;
		if (grow((void **)&v->u.object.keys, n, sizeof(char *)) ||
		    grow((void **)&v->u.object.values, n, sizeof(value)))
			return fail(ps, "out of memory"), NULL;
		key = parse_string(ps, &klen);
		if (!key)
			return NULL;
		v->u.object.keys[n] = key;
		v->u.object.values[n] = NULL;
		v->u.object.n++;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':')
			return fail(ps, "':' expected after object key"), NULL;
		ps->p++;
		value = parse_value(ps);
		if (!value)
			return NULL;
		v->u.object.values[n] = value;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return v;
		}
		return fail(ps, ps->p >= ps->end ? "unexpected end of input in object"
						  : "',' or '}' expected in object"), NULL;
	}
}

static struct json_value *parse_value(struct parser *ps)
{
	struct json_value *v = NULL, *done;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end of input"), NULL;
	switch (*ps->p) {
	case '{':
	case '[':
		if (++ps->depth > MAX_DEPTH)
			return fail(ps, "nesting deeper than 256 levels"), NULL;
		v = new_value(*ps->p == '{' ? JSON_OBJECT : JSON_ARRAY);
		if (!v)
			return fail(ps, "out of memory"), NULL;
		done = v->type == JSON_OBJECT ? parse_object(ps, v) : parse_array(ps, v);
		ps->depth--;
		if (!done) {
			json_free(v);
			return NULL;
		}
		return v;
	case '"':
		v = new_value(JSON_STRING);
		if (!v)
			return fail(ps, "out of memory"), NULL;
		v->u.string.s = parse_string(ps, &v->u.string.len);
		if (!v->u.string.s) {
			free(v);
			return NULL;
		}
		return v;
	case 't':
	case 'f':
	case 'n':
		if (literal(ps, "true") || literal(ps, "false")) {
			v = new_value(JSON_BOOL);
			if (v)
				v->u.boolean = ps->p[-1] == 'e' && ps->p[-4] == 't';
		} else if (literal(ps, "null")) {
			v = new_value(JSON_NULL);
		} else {
			return fail(ps, "unknown literal"), NULL;
		}
		if (!v)
			fail(ps, "out of memory");
		return v;
	default:
		return parse_number(ps);
	}
}

struct json_value *json_parse(const char *text, size_t len, struct tl_error *e)
{
	struct parser ps = { .p = text, .start = text, .end = text + len, .e = e };
	struct json_value *v = parse_value(&ps);

	if (!v)
		return NULL;
	skip_ws(&ps);
	if (ps.p != ps.end) {
		fail(&ps, "trailing text after the JSON value");
		json_free(v);
		return NULL;
	}
	return v;
}

struct json_value *json_parse_file(const char *path, struct tl_error *e)
{
	size_t len;
	char *text = tl_read_file(path, &len, e);
	struct json_value *v;

	if (!text)
		return NULL;
	v = json_parse(text, len, e);
	free(text);
	if (!v)
		tl_err_wrap(e, "%s", path);
	return v;
}

void json_free(struct json_value *v)
{
	if (!v)
		return;
	switch (v->type) {
	case JSON_STRING:
		free(v->u.string.s);
		break;
	case JSON_ARRAY:
		for (size_t i = 0; i < v->u.array.n; i++)
			json_free(v->u.array.items[i]);
		free(v->u.array.items);
		break;
	case JSON_OBJECT:
		for (size_t i = 0; i < v->u.object.n; i++) {
			free(v->u.object.keys[i]);
			json_free(v->u.object.values[i]);
		}
		free(v->u.object.keys);
		free(v->u.object.values);
		break;
	default:
		break;
	}
	free(v);
}

const struct json_value *json_get(const struct json_value *v, const char *key)
{
	if (!v || v->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->u.object.n; i++)
		if (!strcmp(v->u.object.keys[i], key))
			return v->u.object.values[i];
	return NULL;
}

const struct json_value *json_path(const struct json_value *v, const char *path)
{
	char part[128];

	while (v && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		path += n + (path[n] == '.');
		if (v->type == JSON_ARRAY) {
			char *end;
			unsigned long i = strtoul(part, &end, 10);

			if (*end || !n || i >= v->u.array.n)
				return NULL;
			v = v->u.array.items[i];
		} else {
			v = json_get(v, part);
		}
	}
	return v;
}

bool json_path_number(const struct json_value *v, const char *path, double *out)
{
	const struct json_value *n = json_path(v, path);

	if (!n || n->type != JSON_NUMBER)
		return false;
	*out = n->u.number;
	return true;
}

const char *json_path_string(const struct json_value *v, const char *path)
{
	const struct json_value *s = json_path(v, path);

	return s && s->type == JSON_STRING ? s->u.string.s : NULL;
}
