#!/bin/sh
# Builds a riscv64 sysroot of Debian packages for `rvtrace run --sysroot DIR` and `qemu-riscv64 -L DIR`:
# the live suite's programs (test/sysroot-live.test.ts) and everything they depend on.
#
#   sh tools/fetch-sysroot.sh [DIR] [PACKAGE...]
#
# DIR defaults to guests/sysroot (ignored by git); apt's state and the downloaded .deb files are kept
# beside it in DIR.apt. PACKAGEs replace the default list. Nothing else changes on the machine: apt
# runs with a private configuration (tools/apt-private.sh says how), and the packages are unpacked
# with `dpkg -x`, never installed. Running it again gives the same tree; when the resolved packages are
# the ones already unpacked (DIR.apt/VERSIONS), it only refreshes the package lists and stops.
#
# How: `apt-get install --download-only --no-install-recommends` against an empty dpkg status
# resolves the packages' Depends and Pre-Depends as for a fresh system and downloads them all; each
# .deb is unpacked into DIR.new with `dpkg -x`. No maintainer script runs, so the few things they
# (or debootstrap) would do that the programs notice are done here:
#   - the merged-/usr links bin, lib and sbin (the loader's PT_INTERP is /lib/ld-linux-riscv64-lp64d.so.1);
#   - /etc/passwd and /etc/group from base-passwd's masters, as its postinst copies them;
#   - python's byte-compiled modules, as python3-minimal's postinst (py3compile) makes them, when
#     qemu-riscv64 is there to run the riscv64 python; without them, python compiles every module it
#     imports on each run (correct, but slow under an emulator).
# Then DIR.new replaces DIR.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/tools/apt-private.sh"
dest=${1:-"$here/guests/sysroot"}
[ $# -gt 0 ] && shift
suite=${FETCH_SYSROOT_SUITE:-trixie}
mirror=${FETCH_SYSROOT_MIRROR:-http://deb.debian.org/debian}
# What the live suite runs (python3-minimal brings python3.X-minimal and libpython3.X-minimal, whose
# standard library has json, re and hashlib); libc-bin for the C.UTF-8 locale, base-passwd for the
# users and groups, tzdata for TZ=Zone/City, dash for /bin/sh (system(), popen()), libstdc++6 for
# our dynamic C++ guest.
packages=${*:-"libc6 libc-bin base-passwd tzdata dash coreutils gawk jq lua5.4 perl-base python3-minimal sqlite3 libstdc++6"}

apt_private_require fetch-sysroot apt-get dpkg dpkg-deb

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
state="$dest.apt"
apt_private_init "$state" "$suite" "$mirror"

echo "fetch-sysroot: package lists of $suite/riscv64 from $mirror"
apt_private update -qq
echo "fetch-sysroot: resolving and downloading: $packages"
# The resolution, as "package version arch" lines (apt's simulation: what a fresh install would
# unpack); only those .deb files are unpacked, whatever older versions the cache holds.
# shellcheck disable=SC2086 # the package list is split on purpose
versions=$(apt_private install -s --no-install-recommends -y $packages \
    | sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) [^[]*\[\([^]]*\)\].*/\1 \2 \3/p' | sort)
[ -n "$versions" ] || { echo "fetch-sysroot: apt resolved no packages" >&2; exit 1; }
if [ -f "$state/VERSIONS" ] && [ "$versions" = "$(cat "$state/VERSIONS")" ] && [ -e "$dest/lib" ]; then
    echo "fetch-sysroot: $dest is up to date ($(echo "$versions" | wc -l) packages)"
    exit 0
fi
# shellcheck disable=SC2086
apt_private install --download-only --no-install-recommends -y -qq $packages >/dev/null
# The cache's file names: package_version_arch.deb, the epoch's colon written %3a.
debs=$(echo "$versions" | while read -r pkg ver arch; do
    deb="$state/archives/${pkg}_$(echo "$ver" | sed 's/:/%3a/')_$arch.deb"
    [ -f "$deb" ] || { echo "fetch-sysroot: $deb was not downloaded" >&2; exit 1; }
    echo "$deb"
done)

new="$dest.new"
rm -rf "$new"
mkdir -p "$new"
echo "$debs" | while read -r deb; do dpkg -x "$deb" "$new"; done

# The merged-/usr links (trixie's packages put everything under /usr).
for d in bin lib sbin; do
    if [ -d "$new/usr/$d" ] && [ ! -e "$new/$d" ]; then ln -s "usr/$d" "$new/$d"; fi
done
# base-passwd's postinst: the initial users and groups.
for f in passwd group; do
    if [ -f "$new/usr/share/base-passwd/$f.master" ] && [ ! -e "$new/etc/$f" ]; then
        mkdir -p "$new/etc"
        cp "$new/usr/share/base-passwd/$f.master" "$new/etc/$f"
    fi
done
# python3-minimal's postinst: byte-compile the standard library (paths as the guest sees them).
for py in "$new"/usr/lib/python3.*; do
    [ -d "$py" ] || continue
    if command -v qemu-riscv64 >/dev/null; then
        echo "fetch-sysroot: byte-compiling ${py#"$new"} under qemu-riscv64"
        # A module that does not compile (a test file, a Python 2 leftover) is skipped, as py3compile does.
        qemu-riscv64 -L "$new" "$new/usr/bin/python3" -m compileall -q -s "$new" -p / "$py" >/dev/null || true
    else
        echo "fetch-sysroot: no qemu-riscv64: ${py#"$new"} is not byte-compiled (python compiles what it imports on each run)"
    fi
done

rm -rf "$dest"
mv "$new" "$dest"
printf '%s\n' "$versions" > "$state/VERSIONS"
echo "fetch-sysroot: $dest: $(echo "$versions" | wc -l) packages, $(du -sk "$dest" | cut -f1) KiB unpacked, $(echo "$debs" | xargs du -ck | tail -1 | cut -f1) KiB of .deb files"
