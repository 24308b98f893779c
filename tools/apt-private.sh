# Sourced by tools/fetch-shells.sh and tools/fetch-sysroot.sh (POSIX sh): an apt of their own for
# Debian's riscv64 packages, which leaves the host's apt and dpkg state untouched.
#
#   apt_private_require NAME TOOL...      exit with NAME's message unless every TOOL is on PATH
#   apt_private_init STATE SUITE MIRROR   make STATE (lists, cache, config, an empty dpkg status)
#   apt_private ARGS...                   apt-get with that state, riscv64 as its only architecture
#
# Why: the machine runs Debian 12 (bookworm), where riscv64 is not a release architecture; Debian 13
# (trixie) is, on the same archive. Rather than `dpkg --add-architecture riscv64` and a trixie source
# in /etc/apt, apt runs with one trixie source restricted to riscv64, its own package lists, cache and
# an empty dpkg status, all in STATE: nothing is read from or written to /etc/apt, /var/lib/apt,
# /var/cache/apt or /var/lib/dpkg (the lock apt takes for `install --download-only` is STATE/lock).
# The download runs as root, not as _apt, because STATE need not be readable by _apt. The archive's
# signatures are checked with the machine's debian-archive-keyring, which carries the trixie keys.

apt_private_require() {
    apt_who=$1
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$apt_who: $tool not found (a Debian-based host is needed)" >&2; exit 1; }
    done
}

apt_private_init() {
    apt_state=$1
    mkdir -p "$apt_state/lists/partial" "$apt_state/archives/partial" "$apt_state/etc/preferences.d" \
        "$apt_state/etc/apt.conf.d" "$apt_state/etc/sources.list.d"
    : > "$apt_state/status"
    cat > "$apt_state/etc/sources.list" <<EOF
deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $3 $2 main
EOF
}

apt_private() {
    apt-get \
        -o Dir::Etc="$apt_state/etc" \
        -o Dir::Etc::SourceList="$apt_state/etc/sources.list" \
        -o Dir::Etc::SourceParts="$apt_state/etc/sources.list.d" \
        -o Dir::Etc::Preferences="$apt_state/etc/preferences" \
        -o Dir::Etc::PreferencesParts="$apt_state/etc/preferences.d" \
        -o Dir::Etc::Parts="$apt_state/etc/apt.conf.d" \
        -o Dir::State="$apt_state" \
        -o Dir::State::Lists="$apt_state/lists" \
        -o Dir::State::status="$apt_state/status" \
        -o Dir::Cache="$apt_state" \
        -o Dir::Cache::archives="$apt_state/archives" \
        -o APT::Architecture=riscv64 \
        -o APT::Architectures::=riscv64 \
        -o Acquire::Languages=none \
        -o APT::Sandbox::User=root \
        "$@"
}
