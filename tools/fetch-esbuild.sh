#!/bin/sh
# Fetches esbuild's riscv64 Linux build, a static Go binary, from npm (the package
# @esbuild/linux-riscv64, which the `esbuild` package installs on riscv64 hosts), for the live
# test that runs it under rvtrace and under qemu-riscv64 (test/esbuild-live.test.ts).
#
#   sh tools/fetch-esbuild.sh [DIR]      DIR defaults to guests/esbuild (ignored by git)
#
# Result: DIR/esbuild, and DIR/VERSION naming the package and version it came from. Nothing else
# changes on the machine: `npm pack` downloads the package's tarball into DIR (checking it against
# the registry's integrity hash) without installing anything, and the tarball is checked once more
# against the hash pinned here, so a test never runs another build than the one it was written for.
set -eu

package=@esbuild/linux-riscv64
version=0.28.2
# dist.integrity of $package@$version in the npm registry (npm view $package@$version dist.integrity)
integrity=sha512-GeXCej4IQtU1B+QlDV8W/RRvbzI3O/Stss+/bCXv4lZls5WGRtu2a+3JkA3i4qIUlMXpcHebWpF8AkJhATowuA==

here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-"$here/guests/esbuild"}

for tool in npm node tar; do
    command -v "$tool" >/dev/null || { echo "fetch-esbuild: $tool not found" >&2; exit 1; }
done

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
work="$dest/.pack"
rm -rf "$work"
mkdir -p "$work"

echo "fetch-esbuild: npm pack $package@$version"
tarball=$(cd "$work" && npm pack --silent "$package@$version")
actual=$(node -e 'const c = require("node:crypto"), fs = require("node:fs");
process.stdout.write("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));' "$work/$tarball")
if [ "$actual" != "$integrity" ]; then
    echo "fetch-esbuild: $tarball has $actual, expected $integrity" >&2
    exit 1
fi

tar -xzf "$work/$tarball" -C "$work" package/bin/esbuild
cp "$work/package/bin/esbuild" "$dest/esbuild"
chmod 755 "$dest/esbuild"
printf '%s %s\n' "$package" "$version" > "$dest/VERSION"
rm -rf "$work"

echo "fetch-esbuild: $dest/esbuild from $package $version"
if command -v qemu-riscv64 >/dev/null; then
    printf '  under qemu-riscv64: esbuild --version prints '
    qemu-riscv64 "$dest/esbuild" --version
fi
