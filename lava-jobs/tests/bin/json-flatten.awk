# json-flatten.awk: JSON in, one line per scalar out (busybox awk, POSIX awk):
#
#   PATH <TAB> TYPE <TAB> VALUE
#
# PATH: the member names and array indexes from the top, joined by "\034"
# (so a key may hold dots, slashes or spaces, as fio's "50.000000" and
# "global options" do); TYPE: s string, n number, b true/false, z null;
# VALUE: the number as written, or the string unescaped (tabs and newlines
# in it become spaces, \uXXXX is kept as written). An empty object or array
# gives one line of TYPE e and VALUE {} or []. On malformed input: one line "json-flatten: LINE:COL: WHY" on
# stderr and exit status 1.
#
# Line by line, token by token with match() on the line: JSON has no raw
# newline inside a token, and a whole-document string scanned char by char
# is too slow in an emulated guest.

BEGIN {
	SEP = "\034"
	d = 0          # container depth; t[d] "o" or "a", k[d] key, n[d] index
	expect = "v"   # v: a value; k: a key or "}"; K: a key; c: ":"; e: "," or close
	done = 0       # the top-level value is complete
	bad = 0
}

function fail(why) {
	printf "json-flatten: %d:%d: %s\n", NR, col, why > "/dev/stderr"
	bad = 1
	exit 1
}

# The path of the value being read at depth upto (its container's members).
function path(upto,   i, p) {
	p = ""
	for (i = 1; i <= upto; i++)
		p = p (i > 1 ? SEP : "") (t[i] == "o" ? k[i] : n[i])
	return p
}

function unescape(s,   out, i, c, e) {
	out = ""
	while ((i = index(s, "\\")) > 0) {
		out = out substr(s, 1, i - 1)
		e = substr(s, i + 1, 1)
		if (e == "n" || e == "t" || e == "r" || e == "b" || e == "f") c = " "
		else if (e == "u") c = "\\u"
		else c = e
		out = out c
		s = substr(s, i + 2)
	}
	out = out s
	gsub(/\t/, " ", out)
	return out
}

# A scalar or the start of a container where a value is due.
function value_due() {
	if (done) fail("more than one top-level value")
	if (expect != "v") fail("a value where " (expect == "c" ? "':'" : expect == "e" ? "',' or a closing bracket" : "a key") " was due")
}

function after_value() {
	if (d == 0) { done = 1; expect = "-" } else expect = "e"
}

function scalar(type, v) {
	value_due()
	cnt[d]++
	print path(d) "\t" type "\t" v
	after_value()
}

{
	line = $0
	col = 1
	while (line != "") {
		if (match(line, /^[ \t\r]+/)) {
			col += RLENGTH; line = substr(line, RLENGTH + 1); continue
		}
		c = substr(line, 1, 1)
		if (c == "\"") {
			if (!match(line, /^"([^"\\]|\\.)*"/)) fail("unterminated string")
			s = unescape(substr(line, 2, RLENGTH - 2))
			if (expect == "k" || expect == "K") {
				k[d] = s; expect = "c"
			} else {
				scalar("s", s)
			}
		} else if (c == "{" || c == "[") {
			value_due()
			cnt[d]++
			d++
			cnt[d] = 0
			t[d] = (c == "{") ? "o" : "a"
			n[d] = 0
			k[d] = ""
			expect = (c == "{") ? "k" : "v"
			if (c == "[") empty[d] = 1
			RLENGTH = 1
		} else if (c == "}" || c == "]") {
			if (d == 0) fail("'" c "' with nothing open")
			if ((c == "}") != (t[d] == "o")) fail("'" c "' closes the wrong bracket")
			if (expect == "K" || (expect == "v" && !(t[d] == "a" && empty[d])) || expect == "c")
				fail("'" c "' after ',' or ':'")
			if (cnt[d] == 0) print path(d - 1) "\te\t" (c == "}" ? "{}" : "[]")
			d--
			after_value()
			RLENGTH = 1
		} else if (c == ":") {
			if (expect != "c") fail("unexpected ':'")
			expect = "v"
			RLENGTH = 1
		} else if (c == ",") {
			if (expect != "e" || d == 0) fail("unexpected ','")
			if (t[d] == "a") { n[d]++; expect = "v"; empty[d] = 0 } else expect = "K"
			RLENGTH = 1
		} else if (match(line, /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
			if (d > 0 && t[d] == "a") empty[d] = 0
			scalar("n", substr(line, 1, RLENGTH))
		} else if (match(line, /^(true|false|null)/)) {
			if (d > 0 && t[d] == "a") empty[d] = 0
			v = substr(line, 1, RLENGTH)
			scalar(v == "null" ? "z" : "b", v)
		} else {
			fail("unexpected character '" c "'")
		}
		col += RLENGTH
		line = substr(line, RLENGTH + 1)
	}
}

END {
	if (bad) exit 1
	if (d > 0) { col = 0; fail("unexpected end of input (" d " bracket(s) open)") }
	if (!done) { col = 0; fail("no JSON value") }
}
