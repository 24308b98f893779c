#!/bin/sh
# Fetches riscv64 builds of bash and busybox, statically linked, from Debian's own archive, for
# running shell scripts (guests/data/shell/) under rvtrace once it supports fork and execve.
#
#   sh tools/fetch-shells.sh [DIR]      DIR defaults to guests/shells (ignored by git)
#
# Result: DIR/bash (bash-static) and DIR/busybox (busybox-static), riscv64 static ELF files,
# plus DIR/VERSIONS naming the packages they came from. Nothing else changes on the machine.
#
# Why this way: see tools/apt-private.sh (a private apt for Debian's riscv64 packages, trixie).
# `apt-get download` only fetches the .deb files, and `dpkg -x` unpacks them without installing.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/tools/apt-private.sh"
dest=${1:-"$here/guests/shells"}
suite=${FETCH_SHELLS_SUITE:-trixie}
mirror=${FETCH_SHELLS_MIRROR:-http://deb.debian.org/debian}

apt_private_require fetch-shells apt-get dpkg

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
state="$dest/.apt"
apt_private_init "$state" "$suite" "$mirror"
mkdir -p "$state/debs"

echo "fetch-shells: package lists of $suite/riscv64 from $mirror"
apt_private update -qq

cd "$state/debs"
rm -f ./*.deb
echo "fetch-shells: apt-get download bash-static busybox-static"
apt_private download bash-static busybox-static

versions=""
for deb in ./*.deb; do
    versions="$versions$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version) $(dpkg-deb -f "$deb" Architecture)
"
done

rm -rf "$state/root"
for deb in ./*.deb; do dpkg -x "$deb" "$state/root"; done
# /usr/bin in trixie (merged /usr), /bin in older releases
for pair in bash-static:bash busybox:busybox; do
    found=""
    for d in usr/bin bin; do
        [ -f "$state/root/$d/${pair%%:*}" ] && found="$state/root/$d/${pair%%:*}" && break
    done
    [ -n "$found" ] || { echo "fetch-shells: no ${pair%%:*} in the unpacked packages" >&2; exit 1; }
    cp "$found" "$dest/${pair#*:}"
done
chmod 755 "$dest/bash" "$dest/busybox"
printf '%s' "$versions" > "$dest/VERSIONS"
rm -rf "$state/root"

echo "fetch-shells: $dest/bash and $dest/busybox from:"
sed 's/^/  /' "$dest/VERSIONS"

if command -v qemu-riscv64 >/dev/null; then
    # a quick check that both run: builtins only, so no execve of another riscv64 program
    printf '  under qemu-riscv64: '
    qemu-riscv64 "$dest/bash" -c 'printf "bash %s, " "${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}"'
    qemu-riscv64 "$dest/busybox" sh -c 'echo "busybox sh $((6 * 7))"'
fi
