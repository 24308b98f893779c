#!/bin/sh
# Fetches riscv64 builds of bash and busybox, statically linked, from Debian's own archive, for
# running shell scripts (guests/data/shell/) under rvtrace once it supports fork and execve.
#
#   sh tools/fetch-shells.sh [DIR]      DIR defaults to guests/shells (ignored by git)
#
# Result: DIR/bash (bash-static) and DIR/busybox (busybox-static), riscv64 static ELF files,
# plus DIR/VERSIONS naming the packages they came from. Nothing else changes on the machine.
#
# Why this way: the machine runs Debian 12 (bookworm), where riscv64 is not a release
# architecture; Debian 13 (trixie) is, on the same archive. Rather than adding riscv64 to dpkg and
# a trixie source to /etc/apt, apt runs here with a private configuration: one trixie source
# restricted to riscv64, its own package lists, cache and an empty dpkg status, in DIR/.apt.
# (The download runs as root, not as _apt, because DIR need not be readable by _apt.)
# `apt-get download` only fetches the .deb files, and `dpkg -x` unpacks them without installing.
# The archive's signatures are checked with the machine's debian-archive-keyring, which carries
# the trixie keys.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-"$here/guests/shells"}
suite=${FETCH_SHELLS_SUITE:-trixie}
mirror=${FETCH_SHELLS_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

for tool in apt-get dpkg; do
    command -v "$tool" >/dev/null || { echo "fetch-shells: $tool not found (a Debian-based host is needed)" >&2; exit 1; }
done

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
state="$dest/.apt"
mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/etc/preferences.d" "$state/etc/apt.conf.d" "$state/debs"
: > "$state/status"
cat > "$state/etc/sources.list" <<EOF
deb [arch=riscv64 signed-by=$keyring] $mirror $suite main
EOF

# The private apt: riscv64 as its only architecture, nothing read from or written to /etc/apt,
# /var/lib/apt or /var/cache/apt.
apt_private() {
    apt-get \
        -o Dir::Etc="$state/etc" \
        -o Dir::Etc::SourceList="$state/etc/sources.list" \
        -o Dir::Etc::SourceParts="$state/etc/sources.list.d" \
        -o Dir::Etc::Preferences="$state/etc/preferences" \
        -o Dir::Etc::PreferencesParts="$state/etc/preferences.d" \
        -o Dir::Etc::Parts="$state/etc/apt.conf.d" \
        -o Dir::State="$state" \
        -o Dir::State::Lists="$state/lists" \
        -o Dir::State::status="$state/status" \
        -o Dir::Cache="$state" \
        -o Dir::Cache::archives="$state/archives" \
        -o APT::Architecture=riscv64 \
        -o APT::Architectures::=riscv64 \
        -o Acquire::Languages=none \
        -o APT::Sandbox::User=root \
        "$@"
}

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
