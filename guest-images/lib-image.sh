# lib-image.sh: what build-guest-image (the L2 / single-level guest) and
# build-host-image (the nested lab's L1 POWER host) share. Sourced, not run.
#
# The caller sets before sourcing:
#   me      its name, for messages
# and before calling the functions:
#   work    a scratch folder (removed by the caller's trap)
#   pkg     where every package is unpacked (img_extract)
#   root    the image tree
#
# Nothing ppc64el is executed here (no binfmt_misc needed): packages are
# unpacked with dpkg-deb -x, libraries found with readelf, modules resolved
# with the host's kmod (which reads foreign-arch trees), busybox's applet
# links made from a fixed list checked against the binary's applet table.

die() { echo "$me: $*" >&2; exit 1; }
warn() { echo "$me: warning: $*" >&2; }
note() { echo "$me: $*" >&2; }

arch_triplet=powerpc64le-linux-gnu
cross=$arch_triplet

sha() { sha256sum <"$1" | cut -d' ' -f1; }

# img_need_tools TOOL...: every tool must be on PATH.
img_need_tools() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || die "'$t' not found on this host (run scripts/setup-host)"
	done
}

# img_host_tools PKG...: "host-tool PKG VERSION" manifest lines.
img_host_tools() {
	for p in "$@"; do
		echo "host-tool $p $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo unknown)"
	done
}

# img_extract RECORD: unpack every .deb of a fetch-debs record into $pkg.
img_extract() {
	mkdir -p "$pkg"
	while read -r _name _version _sha deb; do
		dpkg-deb -x "$deb" "$pkg" || die "dpkg-deb -x $deb failed"
	done <"$1"
	note "extracted $(wc -l <"$1") packages"
}

# Copy /REL from the unpacked packages into the image, following symlinks
# inside the package tree (an absolute link such as /lib64/ld64.so.2 points
# into the guest's root, not the host's). Prints the real file's REL.
pkg_copy() {
	p=$(realpath -s -m "/${1#/}")
	p=${p#/}
	hops=0
	while :; do
		s=$pkg/$p d=$root/$p
		mkdir -p "$(dirname "$d")" || return 1
		if [ -L "$s" ]; then
			t=$(readlink "$s")
			[ -e "$d" ] || [ -L "$d" ] || ln -s "$t" "$d" || return 1
			case $t in
			/*) p=$(realpath -s -m "$t") ;;
			*) p=$(realpath -s -m "$(dirname "/$p")/$t") ;;
			esac
			p=${p#/}
			hops=$((hops + 1))
			[ "$hops" -lt 20 ] || { echo "$me: symlink loop at /$p in the packages" >&2; return 1; }
		elif [ -f "$s" ]; then
			[ -e "$d" ] || cp -p "$s" "$d" || return 1
			echo "$p"
			return 0
		else
			echo "$me: /$p is in none of the packages (add its package to the package list)" >&2
			return 1
		fi
	done
}

# Check a ppc64le ELF in the image and copy its interpreter and its shared
# library closure (DT_NEEDED, recursively) from the packages.
elf_closure() {
	echo "$1" >"$work/queue"
	while [ -s "$work/queue" ]; do
		f=$(head -n1 "$work/queue")
		sed -i 1d "$work/queue"
		hdr=$("$cross-readelf" -h "$root/$f" 2>/dev/null) || die "/$f is not an ELF file"
		if ! echo "$hdr" | grep -q 'Machine:.*PowerPC64' || ! echo "$hdr" | grep -q "little endian"; then
			die "/$f is not a ppc64le ELF"
		fi
		interp=$("$cross-readelf" -l "$root/$f" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
		if [ -n "$interp" ]; then
			pkg_copy "$interp" >/dev/null || die "interpreter $interp of /$f is missing"
		fi
		for lib in $("$cross-readelf" -d "$root/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			found=
			for dir in lib/$arch_triplet usr/lib/$arch_triplet lib usr/lib; do
				if [ -e "$pkg/$dir/$lib" ] || [ -L "$pkg/$dir/$lib" ]; then found=$dir/$lib; break; fi
			done
			[ -n "$found" ] || die "/$f needs $lib, which none of the listed packages provides"
			grep -qx "$found" "$work/libs-seen" 2>/dev/null && continue
			echo "$found" >>"$work/libs-seen"
			real=$(pkg_copy "$found") || die "cannot copy $lib for /$f"
			echo "$real" >>"$work/queue"
		done
	done
}

is_elf() { [ "$(head -c4 "$1" | od -An -c | tr -d ' ')" = "177ELF" ]; }

# img_busybox APPLET...: busybox-static at /bin/busybox and its applet links
# in /bin. The applet names are the NUL-separated sorted list that starts
# with "[" "[[" in the binary.
img_busybox() {
	bb=$(pkg_copy bin/busybox) || die "busybox-static did not provide /bin/busybox"
	file -b "$root/$bb" | grep -q 'statically linked' || die "/bin/busybox is not static"
	tr '\0' '\n' <"$root/$bb" |
		awk 'prev == "[" && $0 == "[[" {on = 1; print "["} on && $0 == "" {exit} on {print} {prev = $0}' \
			>"$work/applets"
	[ "$(wc -l <"$work/applets")" -gt 100 ] || die "cannot find the applet table in /bin/busybox"
	for a in "$@"; do
		grep -qxF -- "$a" "$work/applets" || die "busybox has no applet '$a' (remove it from the list in $self)"
		ln -s busybox "$root/bin/$a"
	done
}

# img_modules KVER MODULE...: the closure of the modules (their dependencies
# added by kmod), decompressed, with modules.order/builtin and a depmod of
# the image tree. Debian ships no modules.dep, so depmod the unpacked tree
# first. Sets nmods (how many .ko were shipped).
img_modules() {
	kver=$1
	shift
	kmods=lib/modules/$kver
	[ -d "$pkg/$kmods" ] || die "no /$kmods in the kernel package"
	depmod -b "$pkg" "$kver" || die "depmod -b $pkg $kver failed"
	: >"$work/modlist"
	for m in "$@"; do
		modprobe -d "$pkg" -S "$kver" --show-depends "$m" >"$work/dep" 2>"$work/err" ||
			die "module $m: $(cat "$work/err")"
		awk '$1 == "insmod" {print $2}' "$work/dep" >>"$work/modlist"
	done
	mkdir -p "$root/$kmods"
	sort -u "$work/modlist" | while read -r path; do
		rel=${path#"$pkg"/}
		[ "$rel" != "$path" ] || die "modprobe gave a module outside the tree: $path"
		mkdir -p "$root/$(dirname "$rel")"
		# busybox modprobe cannot load compressed modules.
		case $rel in
		*.ko.xz) xz -dc "$path" >"$root/${rel%.xz}" || die "cannot decompress $path" ;;
		*.ko.zst) zstd -qdc "$path" >"$root/${rel%.zst}" || die "cannot decompress $path" ;;
		*.ko.gz) gzip -dc "$path" >"$root/${rel%.gz}" || die "cannot decompress $path" ;;
		*.ko) cp "$path" "$root/$rel" ;;
		*) die "unexpected module file $path" ;;
		esac
	done
	find "$root/$kmods" -name '*.ko' -exec chmod 0644 {} +
	for f in modules.builtin modules.builtin.modinfo; do
		[ -f "$pkg/$kmods/$f" ] && cp "$pkg/$kmods/$f" "$root/$kmods/$f"
	done
	# modules.order lists every module of the kernel; keep the ones we ship.
	(cd "$root/$kmods" && find kernel -name '*.ko' | sort) >"$work/shipped"
	sed 's/\.ko\.[a-z]*$/.ko/' "$pkg/$kmods/modules.order" | grep -xFf "$work/shipped" >"$root/$kmods/modules.order" || :
	depmod -b "$root" "$kver" || die "depmod -b on the image tree failed"
	nmods=$(wc -l <"$work/shipped")
	for m in "$@"; do
		modprobe -d "$root" -S "$kver" --show-depends "$m" >/dev/null 2>&1 ||
			die "module $m does not resolve in the image tree"
	done
}

# img_pack OUT COMPRESSOR...: the image tree as a reproducible newc cpio
# (fixed mtimes $sde, sorted names, owner 0:0) through COMPRESSOR into OUT.
# Sets nfiles.
img_pack() {
	out_file=$1
	shift
	find "$root" -exec touch -h -d "@$sde" {} + || die "cannot set file times in $root"
	(
		cd "$root"
		find . -mindepth 1 | sed 's|^\./||' | sort >"$work/files"
		cpio --quiet --reproducible -o -H newc --owner=0:0 <"$work/files"
	) | "$@" >"$out_file" || die "packing the initramfs failed"
	nfiles=$(wc -l <"$work/files")
}

# img_up_to_date OUTDIR IMAGE: the manifest in OUTDIR has the same inputs as
# $work/inputs and the outputs it names (vmlinux, IMAGE) are intact.
# Output lines in a manifest (not inputs): "vmlinux SHA", "image NAME SHA".
inputs_of() { grep -v -e '^vmlinux ' -e '^image ' "$1"; }
img_up_to_date() {
	[ -f "$1/manifest.txt" ] && [ -f "$1/$2" ] && [ -f "$1/vmlinux" ] &&
		inputs_of "$1/manifest.txt" | cmp -s - "$work/inputs" || return 1
	img_sha=$(sed -n "s/^image $2 //p" "$1/manifest.txt")
	vml_sha=$(sed -n 's/^vmlinux //p' "$1/manifest.txt")
	[ "$(sha "$1/$2")" = "$img_sha" ] && [ "$(sha "$1/vmlinux")" = "$vml_sha" ] && return 0
	note "inputs unchanged but $1 holds different outputs: rebuilding"
	return 1
}

# img_put OUTDIR SRC NAME: copy into OUTDIR under a temporary name, then rename.
img_put() {
	cp "$2" "$1/.$3.tmp" || die "cannot write $1/.$3.tmp"
	mv "$1/.$3.tmp" "$1/$3" || die "cannot write $1/$3"
}

# img_publish OUTDIR VMLINUX IMAGEFILE NAME: the outputs, manifest last (it
# marks the set complete): vmlinux, NAME, NAME.sha256, manifest.txt.
img_publish() {
	rm -f "$1/manifest.txt"
	img_sha=$(sha "$3")
	vml_sha=$(sha "$2")
	img_put "$1" "$2" vmlinux
	img_put "$1" "$3" "$4"
	echo "$img_sha  $4" >"$work/$4.sha256"
	img_put "$1" "$work/$4.sha256" "$4.sha256"
	{
		cat "$work/inputs"
		echo "vmlinux $vml_sha"
		echo "image $4 $img_sha"
	} >"$work/manifest.txt"
	img_put "$1" "$work/manifest.txt" manifest.txt
}
