#!/bin/sh
# The debug kernel of make kcheck-debug: Linux 6.1 from Debian's
# linux-source-6.1, x86_64_defconfig + scripts/kdebug/vmeta-debug.config
# (KASAN, lockdep, kmemleak, ...), built once and cached outside the
# clone.  Prints the cache directory on stdout, which holds:
#   bzImage      the kernel
#   config       its .config
#   obj/         the build tree after "make clean": .config, generated
#                headers, Module.symvers and the host tools, enough to
#                build external modules (make -C obj M=...)
#   modules/     the in-tree vhost.ko and vhost_iotlb.ko
#   build.log    the log of the build that made it; "done" marks it whole
# The cache key is the sha256 of the source package's version, the
# fragment, the compiler's version and $CC, so a changed fragment or
# compiler builds anew and a warm run skips the build.  The build goes
# through ccache (installed here) so that a rebuild after a fragment
# change recompiles only what changed.
#
# Usage: scripts/kdebug.sh
# Environment: VMETA_KDEBUG_CACHE (default /var/cache/vmeta/kdebug),
# KDEBUG_JOBS (default: nproc).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
frag="$top/scripts/kdebug/vmeta-debug.config"
cache=${VMETA_KDEBUG_CACHE:-/var/cache/vmeta/kdebug}
jobs=${KDEBUG_JOBS:-$(nproc)}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { echo "kdebug: $*" >&2; }
apt_install() {
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends "$@" > /dev/null 2>&1 || {
		$SUDO apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
			--no-install-recommends "$@" >&2
	}
}

tarball=/usr/src/linux-source-6.1.tar.xz
[ -e "$tarball" ] || apt_install linux-source-6.1
# What a kernel build needs beyond the compiler.
for t in flex:flex bison:bison bc:bc make:make gcc:gcc perl:perl \
	 xz:xz-utils openssl:openssl ccache:ccache; do
	command -v "${t%%:*}" > /dev/null || apt_install "${t#*:}"
done
[ -e /usr/include/libelf.h ] || apt_install libelf-dev
[ -e /usr/include/openssl/ssl.h ] || apt_install libssl-dev

ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
CC=${KDEBUG_CC:-ccache gcc}
cc_ver=$(${CC#ccache } --version | head -n 1)
key=$( (echo "linux-source-6.1 $ver"; echo "CC=$CC"; echo "$cc_ver";
	cat "$frag") | sha256sum | cut -c1-16)
dir="$cache/$key"
mkdir -p "$cache"

# One build at a time per cache; a second caller waits and reuses it.
exec 9> "$cache/lock"
flock 9
if [ -e "$dir/done" ]; then
	log "cached: $dir (linux-source-6.1 $ver, $cc_ver, CC=$CC)"
	echo "$dir"
	exit 0
fi

src="$cache/src-$ver"
if [ ! -e "$src/.unpacked" ]; then
	log "unpacking $tarball"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	touch "$src/.unpacked"
fi

rm -rf "$dir"
mkdir -p "$dir/obj" "$dir/modules"
export CCACHE_DIR="$cache/ccache"
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-6G}
# ccache's default compares the compiler by mtime; the key already
# covers its version.  The source tree's paths are stable per version.
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00 UTC"
export KBUILD_BUILD_USER=vmeta KBUILD_BUILD_HOST=kdebug
mk() { make -s -C "$src" O="$dir/obj" CC="$CC" "$@"; }

t0=$(date +%s)
log "configuring in $dir/obj"
mk x86_64_defconfig > /dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$dir/obj" \
	"$dir/obj/.config" "$frag" > "$dir/merge.log" 2>&1
mk olddefconfig > /dev/null
# Every line of the fragment must have survived: a dependency we did not
# meet turns an option off silently, and a checker silently missing is a
# check that cannot fail.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx "$line" "$dir/obj/.config" || {
			log "requested $line, got:" \
			    "$(grep "^${line%%=*}=\|^# ${line%%=*} is not" \
				"$dir/obj/.config" || echo unset)"
			bad=1
		} ;;
	"# CONFIG_"*" is not set")
		o=${line#\# }
		o=${o%% *}
		! grep -q "^$o=" "$dir/obj/.config" || {
			log "requested $o off, got: $(grep "^$o=" \
				"$dir/obj/.config")"
			bad=1
		} ;;
	esac
done < "$frag"
if [ "$bad" -ne 0 ]; then
	log "the fragment did not survive olddefconfig (above)"
	exit 1
fi
cp "$dir/obj/.config" "$dir/config"

log "building bzImage and modules with -j$jobs (log: $dir/build.log)"
if ! mk -j"$jobs" bzImage modules > "$dir/build.log" 2>&1; then
	tail -n 40 "$dir/build.log" >&2
	log "build failed"
	exit 1
fi
t1=$(date +%s)
cp "$dir/obj/arch/x86/boot/bzImage" "$dir/bzImage"
cp "$dir/obj/drivers/vhost/vhost.ko" "$dir/obj/drivers/vhost/vhost_iotlb.ko" \
	"$dir/modules/"
# Keep what external modules need (config, generated headers,
# Module.symvers, host tools), drop the objects: ~2 GB.
cp "$dir/obj/Module.symvers" "$dir/Module.symvers"
mk clean
cp "$dir/Module.symvers" "$dir/obj/Module.symvers"
echo "$((t1 - t0))" > "$dir/build-seconds"
touch "$dir/done"
log "built in $((t1 - t0)) s: $dir"
echo "$dir"
