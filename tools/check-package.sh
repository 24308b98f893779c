#!/usr/bin/env bash
# Tests rvtrace as it is published, not as it sits in the checkout: packs the tarball, checks what
# it holds and its size, installs it into a fresh project outside the checkout, and there
#   - type-checks a strict TypeScript consumer of the public API and types (tsc --strict);
#   - imports the package from plain JavaScript (exports must point into dist/);
#   - runs `npx rvtrace run` on the hello-world guest the package ships, and an engine from it.
# .ci/run calls it after `npm test`. The install prefers npm's cache, where `npm ci` has put every
# dependency's tarball; it is not --offline because npm must still resolve the dependencies' version
# ranges, whose registry documents `npm ci` (which reads the lockfile) never fetched.
# Usage: bash tools/check-package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d /tmp/rvtrace-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-package: $*" >&2; exit 1; }

# npm pack runs `prepare` (the build), so the tarball holds a dist/ made from these sources.
tarball=$(npm pack --silent --pack-destination "$work")
tgz="$work/$tarball"
size=$(stat -c %s "$tgz")
echo "check-package: $tarball is $size bytes"
[ "$size" -lt 2000000 ] || fail "the tarball is $size bytes, over 2 MB"

# What it holds: dist/, bin/, docs/, examples/, the README, package.json and the hello guest.
tar -tzf "$tgz" | sed 's|^package/||' | sort >"$work/contents"
if grep -Ev '^(dist/|bin/|docs/|examples/|README\.md$|package\.json$|guests/bin/hello$)' "$work/contents"; then
  fail "the files above should not be in the package"
fi
for f in dist/index.js dist/index.d.ts dist/rvtrace.cjs dist/rvtrace.cjs.cache bin/rvtrace.js bin/load.js guests/bin/hello README.md; do
  grep -qx "$f" "$work/contents" || fail "$f is missing from the package"
done
# The tracer's own code cache stays out (bin/load.js: trace starts from the run's).
if grep -qx dist/rvtrace.cjs.trace.cache "$work/contents"; then fail "dist/rvtrace.cjs.trace.cache is in the package"; fi

# A fresh project elsewhere. @types/node: the public types mention Node's (Buffer), and a
# TypeScript project on Node has them; the same version as ours, from the cache.
app="$work/app"
mkdir "$app"
cd "$app"
echo '{ "name": "rvtrace-consumer", "version": "1.0.0", "private": true, "type": "module" }' >package.json
types_node=$(node -p "require('$root/node_modules/@types/node/package.json').version")
npm install --prefer-offline --no-audit --no-fund --silent "$tgz" "@types/node@$types_node"
[ -d node_modules/rvtrace/dist ] || fail "node_modules/rvtrace/dist is missing after the install"

# The consumer: imports values and types through the package's name, as a user would.
cat >consumer.ts <<'EOF'
import { Kernel, Engine, Regs, SYSCALLS, syscallName, syscallNumber, UTRACE_RESUME } from "rvtrace";
import type { KernelOptions, Mount, ExitStatus, EngineOps } from "rvtrace";

const mount: Mount = { host: "/tmp", guest: "/tmp", readOnly: true };
const options: KernelOptions = { mounts: [mount] };
const kernel: Kernel = new Kernel(options);
const write: number = syscallNumber("write") ?? -1;
const name: string | undefined = syscallName(write);
const count: number = Object.keys(SYSCALLS).length;
const ops: EngineOps<null> = {};
function statusText(s: ExitStatus): string {
  return s.signal !== null ? `signal ${s.signal}` : `exit ${s.exitCode ?? 0}`;
}
export { kernel, name, count, ops, statusText, Engine, Regs, UTRACE_RESUME };
EOF
cat >tsconfig.json <<'EOF'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
  "strict": true, "noEmit": true, "types": ["node"] }, "files": ["consumer.ts"] }
EOF
npx --no-install tsc --strict --noEmit -p tsconfig.json || fail "the strict TypeScript consumer does not type-check"

node --input-type=module -e '
  const m = await import("rvtrace");
  for (const name of ["Kernel", "Engine", "syscallName"]) if (typeof m[name] !== "function") throw new Error(`rvtrace exports no ${name}`);
' || fail 'import("rvtrace") fails'

out=$(npx --no-install rvtrace run node_modules/rvtrace/guests/bin/hello)
[ -n "$out" ] || fail "npx rvtrace run printed nothing"
echo "check-package: npx rvtrace run: $out"

# Engines shipped in examples/: an --engine module under `npx rvtrace trace`, and a script on the API.
pkg=node_modules/rvtrace
log=$(npx --no-install rvtrace trace -qq -e trace=none --engine $pkg/examples/engines/count-writes.mjs:stdout-only \
  $pkg/guests/bin/hello 2>&1 >/dev/null)
[ "$log" = "count-writes: 1 writes" ] || fail "the --engine example said: $log"
node $pkg/examples/engines/syscall-logger.mjs bin/hello >"$work/logger.out" || fail "examples/engines/syscall-logger.mjs failed"
grep -q '^write(1, "Hello' "$work/logger.out" || fail "the syscall logger logged no write: $(cat "$work/logger.out")"
echo "check-package: ok"
