# base64.awk: base64 (RFC 4648, lines of 76 characters) of the bytes that
# `od -An -v -tu1 FILE` prints as decimal numbers (busybox has no base64
# applet in the tcelab guest image; od and awk are there).
BEGIN {
	A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	nb = 0; line = ""
}
function put(s) {
	line = line s
	if (length(line) >= 76) { print substr(line, 1, 76); line = substr(line, 77) }
}
function quad(b1, b2, b3, n,   v) {
	v = b1 * 65536 + b2 * 256 + b3
	put(substr(A, int(v / 262144) % 64 + 1, 1) substr(A, int(v / 4096) % 64 + 1, 1) \
	    (n > 1 ? substr(A, int(v / 64) % 64 + 1, 1) : "=") (n > 2 ? substr(A, v % 64 + 1, 1) : "="))
}
{
	for (i = 1; i <= NF; i++) {
		b[nb++] = $i
		if (nb == 3) { quad(b[0], b[1], b[2], 3); nb = 0 }
	}
}
END {
	if (nb == 1) quad(b[0], 0, 0, 1)
	else if (nb == 2) quad(b[0], b[1], 0, 2)
	if (line != "") print line
}
