# Shared by kernel/build-modules, kernel/check-series and kernel/build-kernel:
# which Debian kernel to use, and its packages fetched (apt-get download) and
# unpacked (dpkg-deb -x) into the tcelab cache. POSIX sh, sourced; the caller
# sets me= (its name) before sourcing.
#
# Cache layout, under ${TCELAB_CACHE:-$HOME/.cache/tcelab}/kernel:
#   debs/                     the .deb files (sha256 checked against apt's index)
#   PKGVER/FLAVOUR/tree/      headers (FLAVOUR + common) and kbuild, unpacked,
#                             the headers Makefile's /usr/src include fixed
#   PKGVER/linux-source-SERIES.tar.xz   the source tarball from linux-source
#   PKGVER/kvm-src/           pristine subset of it for the module build
#   PKGVER/FLAVOUR/image/     vmlinux and modules of linux-image (tests/run-l1)
#
# Environment:
#   TCELAB_CACHE          cache root (default $HOME/.cache/tcelab)
#   TCELAB_KERNEL_SUITE   suite whose linux-headers-FLAVOUR metapackage names
#                         the kernel (default bookworm-backports, as the guest
#                         image's linux-image-powerpc64le)

# shellcheck shell=sh disable=SC2154 # me is set by the sourcing script
die() { echo "$me: $*" >&2; exit 1; }
note() { echo "$me: $*" >&2; }

cache=${TCELAB_CACHE:-$HOME/.cache/tcelab}
kcache=$cache/kernel
ksuite=${TCELAB_KERNEL_SUITE:-bookworm-backports}
# The guest-image scripts cache ppc64el .debs here; reused when the file is there.
guest_debs=$cache/debs

need_tools() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || die "'$t' not found on this host (run scripts/setup-host)"
	done
}

# resolve_kernel FLAVOUR [KVER]
# Sets KVER (uname -r, 6.12.95+deb12-powerpc64le), KABI (6.12.95+deb12),
# PKGVER (Debian version, 6.12.95-1~bpo12+1) and SERIES (6.12). Without KVER,
# the suite's linux-headers-FLAVOUR metapackage names it.
resolve_kernel() {
	rk_flavour=$1
	KVER=${2:-}
	if [ -z "$KVER" ]; then
		rk_dep=$(apt-cache depends --no-recommends --no-suggests \
			"linux-headers-$rk_flavour:ppc64el/$ksuite" 2>/dev/null |
			sed -n 's/^ *Depends: linux-headers-\([^ <>:]*\).*/\1/p' | head -n1)
		[ -n "$rk_dep" ] || die "cannot resolve linux-headers-$rk_flavour:ppc64el in $ksuite" \
			"(is $ksuite in apt's sources, ppc64el a foreign architecture, apt-get update done?)"
		KVER=$rk_dep
	fi
	case $KVER in
	*-"$rk_flavour") KABI=${KVER%-"$rk_flavour"} ;;
	*) die "kernel release '$KVER' does not end in flavour '-$rk_flavour'" ;;
	esac
	PKGVER=$(apt-cache show "linux-headers-$KVER:ppc64el" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n1)
	[ -n "$PKGVER" ] || die "apt knows no linux-headers-$KVER:ppc64el"
	SERIES=$(echo "$KABI" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
	[ -n "$SERIES" ] || die "cannot tell the kernel series of '$KABI'"
}

# fetch_debs RECORD PKG[:ARCH][=VERSION | /SUITE]...
# Downloads what is missing into $kcache/debs and checks every file's sha256
# against apt's index. Appends "PKG VERSION SHA256 PATH" lines to RECORD.
fetch_debs() {
	fd_record=$1
	shift
	mkdir -p "$kcache/debs" || die "cannot create $kcache/debs"
	fd_tmp=$(mktemp -d "$kcache/.fetch.XXXXXX") || die "cannot create a scratch folder in $kcache"
	# --print-uris prints nothing for a file in the current folder: run it in an empty one.
	mkdir "$fd_tmp/empty"
	if ! (cd "$fd_tmp/empty" && apt-get download --print-uris "$@") >"$fd_tmp/uris" 2>"$fd_tmp/err"; then
		fd_msg=$(grep -m1 '^E:' "$fd_tmp/err" || tail -n1 "$fd_tmp/err")
		rm -rf "$fd_tmp"
		die "apt cannot resolve $*: $fd_msg"
	fi
	for fd_spec in "$@"; do
		fd_name=${fd_spec%%=*}
		fd_base=${fd_name%%:*}
		fd_base=${fd_base%%/*}
		fd_line=$(awk -v n="$fd_base" 'index($2, n "_") == 1' "$fd_tmp/uris")
		[ -n "$fd_line" ] || { rm -rf "$fd_tmp"; die "apt printed no download for $fd_spec"; }
		# shellcheck disable=SC2086 # split into URL, file, size, hash
		set -- $fd_line
		fd_file=$2
		fd_hash=${4#SHA256:}
		# NAME_VERSION_ARCH.deb, the epoch colon written %3a
		fd_ver=$(echo "$fd_file" | sed -e 's/^[^_]*_//' -e 's/_[^_]*\.deb$//' -e 's/%3a/:/g')
		[ "${#fd_hash}" = 64 ] || { rm -rf "$fd_tmp"; die "apt gave no SHA256 for $fd_spec"; }
		fd_dest=$kcache/debs/$fd_file
		if [ -f "$fd_dest" ] && [ "$(sha256sum <"$fd_dest" | cut -d' ' -f1)" = "$fd_hash" ]; then
			:
		elif [ -f "$guest_debs/$fd_file" ] &&
			[ "$(sha256sum <"$guest_debs/$fd_file" | cut -d' ' -f1)" = "$fd_hash" ]; then
			fd_dest=$guest_debs/$fd_file
		else
			note "downloading $fd_spec"
			rm -rf "$fd_tmp/dl" && mkdir "$fd_tmp/dl"
			# Sandbox user root: apt's _apt user cannot write into $HOME.
			if ! (cd "$fd_tmp/dl" && apt-get download -q -o APT::Sandbox::User=root "$fd_spec" \
				>"$fd_tmp/err" 2>&1); then
				fd_msg=$(tail -n1 "$fd_tmp/err")
				rm -rf "$fd_tmp"
				die "download of $fd_spec failed: $fd_msg"
			fi
			fd_got=$(sha256sum <"$fd_tmp/dl/$fd_file" | cut -d' ' -f1)
			[ "$fd_got" = "$fd_hash" ] ||
				{ rm -rf "$fd_tmp"; die "$fd_file: sha256 $fd_got, apt's index says $fd_hash"; }
			mv "$fd_tmp/dl/$fd_file" "$fd_dest" || { rm -rf "$fd_tmp"; die "cannot store $fd_file"; }
		fi
		echo "$fd_base $fd_ver $fd_hash $fd_dest" >>"$fd_record"
	done
	rm -rf "$fd_tmp"
}

# deb_path RECORD PKG: the cached .deb of PKG from a fetch_debs record.
deb_path() {
	awk -v p="$2" '$1 == p { print $4; exit }' "$1"
}

# fetch_build_debs RECORD FLAVOUR: the packages of an out-of-tree build
# (linux-source, headers for FLAVOUR and common, kbuild) at $PKGVER.
fetch_build_debs() {
	fetch_debs "$1" \
		"linux-source-$SERIES=$PKGVER" \
		"linux-headers-$KVER:ppc64el=$PKGVER" \
		"linux-headers-$KABI-common=$PKGVER" \
		"linux-kbuild-$KABI:amd64=$PKGVER"
}

# unpack_tree RECORD FLAVOUR: sets TREE (the unpacked root) and HDRS (the
# headers folder to give make -C). Unpacked once per package version.
unpack_tree() {
	TREE=$kcache/$PKGVER/$2/tree
	HDRS=$TREE/usr/src/linux-headers-$KVER
	if [ ! -e "$TREE/.unpacked" ]; then
		rm -rf "$TREE"
		mkdir -p "$TREE" || die "cannot create $TREE"
		for ut_p in "linux-headers-$KVER" "linux-headers-$KABI-common" "linux-kbuild-$KABI"; do
			ut_deb=$(deb_path "$1" "$ut_p")
			[ -n "$ut_deb" ] || die "no .deb for $ut_p in the fetch record"
			dpkg-deb -x "$ut_deb" "$TREE" || die "cannot unpack $ut_deb"
		done
		# The flavour's Makefile includes the common one by an absolute
		# /usr/src path; point it into this tree instead.
		grep -q "^include /usr/src/linux-headers-$KABI-common/Makefile\$" "$HDRS/Makefile" ||
			die "unexpected $HDRS/Makefile: $(head -n1 "$HDRS/Makefile")"
		sed -i "s|^include /usr/src/|include $TREE/usr/src/|" "$HDRS/Makefile" ||
			die "cannot fix $HDRS/Makefile"
		[ -x "$HDRS/scripts/basic/fixdep" ] || die "kbuild tools missing in $HDRS/scripts (linux-kbuild-$KABI)"
		touch "$TREE/.unpacked"
	fi
}

# source_tarball RECORD: sets SRCTAR, the linux-source tarball (unpacked
# from its .deb once per package version).
source_tarball() {
	SRCTAR=$kcache/$PKGVER/linux-source-$SERIES.tar.xz
	if [ ! -f "$SRCTAR" ]; then
		st_deb=$(deb_path "$1" "linux-source-$SERIES")
		[ -n "$st_deb" ] || die "no .deb for linux-source-$SERIES in the fetch record"
		mkdir -p "$kcache/$PKGVER" || die "cannot create $kcache/$PKGVER"
		dpkg-deb --fsys-tarfile "$st_deb" |
			tar -xOf - "./usr/src/linux-source-$SERIES.tar.xz" >"$SRCTAR.tmp" ||
			{ rm -f "$SRCTAR.tmp"; die "cannot take the tarball out of $st_deb"; }
		mv "$SRCTAR.tmp" "$SRCTAR"
	fi
}

# unpack_source DIR [PATH...]: the source tree (or only PATHs of it) into
# DIR, without the top folder.
unpack_source() {
	us_dir=$1
	shift
	mkdir -p "$us_dir" || die "cannot create $us_dir"
	us_pre=linux-source-$SERIES
	if [ $# -gt 0 ]; then
		us_list=
		for us_p in "$@"; do
			us_list="$us_list $us_pre/$us_p"
		done
		# shellcheck disable=SC2086
		tar -xJf "$SRCTAR" -C "$us_dir" --strip-components=1 $us_list ||
			die "cannot unpack$us_list from $SRCTAR"
	else
		tar -xJf "$SRCTAR" -C "$us_dir" --strip-components=1 || die "cannot unpack $SRCTAR"
	fi
}

# read_series FILE: the patch names of a quilt series file, one a line
# (comments, blank lines and -pN options dropped; only -p1 is accepted).
read_series() {
	[ -r "$1" ] || die "cannot read series file $1"
	sed -e 's/#.*//' "$1" | while read -r rs_patch rs_opt rs_rest; do
		[ -n "$rs_patch" ] || continue
		case ${rs_opt:--p1} in
		-p1) ;;
		*) die "$1: $rs_patch: only -p1 patches are supported (got '$rs_opt')" ;;
		esac
		[ -z "$rs_rest" ] || die "$1: $rs_patch: unexpected '$rs_rest'"
		echo "$rs_patch"
	done
}
