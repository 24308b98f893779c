// The commands test/sysroot-live.test.ts runs from Debian's riscv64 packages (tools/fetch-sysroot.sh),
// under `rvtrace run --sysroot` and `qemu-riscv64 -L`: interpreters (python3, lua, perl, gawk, jq,
// sqlite3), coreutils, and our own dynamic guests against Debian's libraries. Each runs in a scratch
// directory holding FILES (mtimes fixed), with a fixed environment (ENV), and must give the same
// stdout, stderr and exit status under both. Output that shows the host under qemu and the sandbox
// under rvtrace (the host's clock, /proc, uname) is kept out of these: README.md, "Differences from
// qemu with a sysroot", lists why.

export interface SysrootCase {
  name: string;
  /** argv[0] is the program: a path in the sysroot ("/usr/bin/jq"), or "guest:NAME" for guests/bin/NAME. */
  argv: string[];
  stdin?: string;
  /** The exit status the program gives (default 0): a run that fails alike under both is no match. */
  status?: number;
  /** Added to ENV. */
  env?: Record<string, string>;
}

/** The guest's whole environment (both runs): a UTF-8 locale from the sysroot, UTC, no .pyc written. */
export const ENV: Record<string, string> = {
  PATH: "/usr/bin:/bin",
  LANG: "C.UTF-8",
  TZ: "UTC",
  PYTHONDONTWRITEBYTECODE: "1",
};

/** The files of the scratch directory, all with mtime FILE_MTIME (seconds since the epoch). */
export const FILES: Record<string, string> = {
  "data.json": JSON.stringify({
    store: "north",
    items: [
      { name: "lamp", price: 25.5, tags: ["home", "light"] },
      { name: "desk", price: 120, tags: ["home"] },
      { name: "pen", price: 1.25, tags: [] },
    ],
  }) + "\n",
  "words.txt": "pear\nApple\nbanana\napple\ncherry\nBanana\npear\n10\n9\n100\n",
  "table.csv": "name,qty,price\nlamp,2,25.50\ndesk,1,120.00\npen,12,1.25\nlamp,1,25.50\n",
  "script.py": [
    "import hashlib, json, re, sys",
    "text = open('table.csv').read()",
    "rows = [dict(zip(['name', 'qty', 'price'], l.split(','))) for l in text.splitlines()[1:]]",
    "total = sum(int(r['qty']) * float(r['price']) for r in rows)",
    "print(json.dumps({'rows': len(rows), 'total': total}, sort_keys=True))",
    "print(re.findall(r'[a-z]+(?=,\\d+,)', text))",
    "print(re.sub(r'(\\d+)\\.(\\d+)', r'\\2.\\1', '25.50 and 1.25'))",
    "print(hashlib.sha256(text.encode()).hexdigest())",
    "print(hashlib.md5(b'rvtrace').hexdigest(), hashlib.sha1(b'').hexdigest())",
    "print(sorted({w.lower() for w in open('words.txt').read().split()}))",
    "sys.exit(len(rows))",
    "",
  ].join("\n"),
  "prog.lua": [
    "local counts = {}",
    "for line in io.lines('words.txt') do",
    "  local w = line:lower()",
    "  counts[w] = (counts[w] or 0) + 1",
    "end",
    "local keys = {}",
    "for k in pairs(counts) do keys[#keys + 1] = k end",
    "table.sort(keys)",
    "for _, k in ipairs(keys) do print(string.format('%-8s %d', k, counts[k])) end",
    "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end",
    "print(fib(20), math.maxinteger, 7 // 2, 7 / 2, ('x'):rep(3, '-'))",
    "",
  ].join("\n"),
  "query.sql": [
    "create table t(name text, qty integer, price real);",
    "insert into t values ('lamp', 2, 25.5), ('desk', 1, 120), ('pen', 12, 1.25), ('lamp', 1, 25.5);",
    ".mode column",
    ".headers on",
    "select name, sum(qty) as qty, printf('%.2f', sum(qty * price)) as total from t group by name order by total desc;",
    "select count(*), max(price), group_concat(distinct name) from t;",
    "",
  ].join("\n"),
};

/** 2020-02-29 12:34:56 UTC: the scratch files' mtime. */
export const FILE_MTIME = 1582979696;

export const CASES: SysrootCase[] = [
  // python3 (python3.13-minimal, libpython3.13-minimal)
  { name: "python3 -c json.dumps", argv: ["/usr/bin/python3", "-c", 'import json; print(json.dumps({"a": 1}))'] },
  { name: "python3 script: json, re, hashlib (exit status 4)", argv: ["/usr/bin/python3", "script.py"], status: 4 },
  { name: "python3 dlopen of _ssl and _hashlib (OpenSSL's libssl, libcrypto)", argv: ["/usr/bin/python3", "-c", "import _hashlib, _ssl, hashlib\nprint(_ssl.OPENSSL_VERSION.split()[0], hashlib.sha3_256(b'a').hexdigest()[:16], hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 1000).hex()[:16])"] },
  { name: "python3 reads stdin", argv: ["/usr/bin/python3", "-c", "import sys; print(sum(int(l) for l in sys.stdin), sys.stdin.encoding)"], stdin: "1\n2\n39\n" },
  { name: "python3 traceback on stderr", argv: ["/usr/bin/python3", "-c", "def f(x):\n    return 1 / x\nf(0)"], status: 1 },
  { name: "python3 threads", argv: ["/usr/bin/python3", "-c", "import threading\nr = []\nts = [threading.Thread(target=lambda i=i: r.append(i * i)) for i in range(4)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint(sorted(r), threading.active_count())"] },
  { name: "python3 signal handler", argv: ["/usr/bin/python3", "-c", "import os, signal\nsignal.signal(signal.SIGUSR1, lambda *a: print('got SIGUSR1'))\nos.kill(os.getpid(), signal.SIGUSR1)\nprint('after')"] },
  // lua5.4
  { name: "lua5.4 -e", argv: ["/usr/bin/lua5.4", "-e", "print(string.format('%5.2f %s %q', math.pi, _VERSION, 'a\\nb'))"] },
  { name: "lua5.4 script: io.lines, tables, closures", argv: ["/usr/bin/lua5.4", "prog.lua"] },
  { name: "lua5.4 error (status 1)", argv: ["/usr/bin/lua5.4", "-e", "error('boom')"], status: 1 },
  // jq
  { name: "jq on a file", argv: ["/usr/bin/jq", "-c", "{store, total: (.items | map(.price) | add), tags: [.items[].tags[]] | unique}", "data.json"] },
  { name: "jq -r with string interpolation", argv: ["/usr/bin/jq", "-r", '.items[] | "\\(.name)\\t\\(.price)"', "data.json"] },
  { name: "jq on bad input (status 5)", argv: ["/usr/bin/jq", "."], stdin: '{"a": 1,}\n', status: 5 },
  // sqlite3
  { name: "sqlite3 :memory: with SQL arguments", argv: ["/usr/bin/sqlite3", ":memory:", "select 1 + 2, upper('abc'), printf('%08.3f', 3.14159);", "select sqlite_version() is not null;"] },
  { name: "sqlite3 :memory: reading a script from stdin", argv: ["/usr/bin/sqlite3", ":memory:"], stdin: FILES["query.sql"] },
  // gawk
  { name: "gawk BEGIN arithmetic and printf", argv: ["/usr/bin/gawk", "BEGIN { printf \"%d %.4f %s %x\\n\", 2^40, atan2(0, -1), toupper(\"ok\"), 255 }"] },
  { name: "gawk fields, arrays and asort on a file", argv: ["/usr/bin/gawk", "-F,", "NR > 1 { sum[$1] += $2 * $3 } END { n = asorti(sum, k); for (i = 1; i <= n; i++) printf \"%s=%.2f\\n\", k[i], sum[k[i]] }", "table.csv"] },
  // perl (perl-base)
  { name: "perl -e map, sort, sprintf", argv: ["/usr/bin/perl", "-e", 'my %h = (b => 2, a => 1, c => 3); print join(",", map { "$_=$h{$_}" } sort keys %h), "\\n"; printf("%.6f\\n", atan2(1, 1) * 4)'] },
  { name: "perl -ne regex over a file", argv: ["/usr/bin/perl", "-ne", 'print "$.: $1\\n" if /^([a-z]+),(\\d+)/ && $2 > 1', "table.csv"] },
  { name: "perl die (status 255)", argv: ["/usr/bin/perl", "-e", 'die "oops\\n"'], status: 255 },
  { name: "perl fork and waitpid", argv: ["/usr/bin/perl", "-e", 'my $p = fork(); if ($p == 0) { print "child\\n"; exit 3 } waitpid($p, 0); print "parent saw ", $? >> 8, "\\n"'] },
  // dash, builtins only: an execve under qemu-user runs the host's program, so it is no reference for one
  { name: "dash -c builtins", argv: ["/usr/bin/sh", "-c", 'for i in 1 2 3; do printf "%s:%d " "$i" $((i * i)); done; echo; echo "$0" "$#"', "name", "x", "y"] },
  // coreutils
  { name: "ls -l", argv: ["/usr/bin/ls", "-l"] },
  { name: "ls -l --time-style=full-iso, a missing file (status 2)", argv: ["/usr/bin/ls", "-l", "--time-style=full-iso", "data.json", "missing"], status: 2 },
  { name: "sort (C.UTF-8)", argv: ["/usr/bin/sort", "words.txt"] },
  { name: "sort -n -r -u", argv: ["/usr/bin/sort", "-n", "-r", "-u", "words.txt"] },
  { name: "sort -t, -k3,3n from stdin", argv: ["/usr/bin/sort", "-t,", "-k3,3n", "-k1,1"], stdin: FILES["table.csv"] },
  { name: "sha256sum", argv: ["/usr/bin/sha256sum", "data.json", "words.txt"] },
  { name: "stat -c", argv: ["/usr/bin/stat", "-c", "%n %s %A %F %y %Y", "words.txt", "."] },
  { name: "id", argv: ["/usr/bin/id"] },
  { name: "id -un", argv: ["/usr/bin/id", "-un"] },
  { name: "date -d @N with a format (TZ=UTC)", argv: ["/usr/bin/date", "-d", "@1234567890", "+%Y-%m-%d %H:%M:%S %Z %A %j"] },
  { name: "date -d in another zone", argv: ["/usr/bin/date", "-d", "2001-02-03 04:05:06 UTC", "+%s %F %T %z"], env: { TZ: "Asia/Tokyo" } },
  { name: "wc -l -w -c", argv: ["/usr/bin/wc", "-l", "-w", "-c", "table.csv", "words.txt"] },
  { name: "cut -d, -f1,3", argv: ["/usr/bin/cut", "-d,", "-f1,3", "table.csv"] },
  { name: "tr from stdin", argv: ["/usr/bin/tr", "a-z", "A-Z"], stdin: "hello, sysroot\n" },
  { name: "seq -s, -w", argv: ["/usr/bin/seq", "-s,", "-w", "1", "3", "12"] },
  { name: "printf", argv: ["/usr/bin/printf", "%05.1f|%-6s|%x|%q\\n", "3.14159", "ab", "255", "a b"] },
  { name: "factor", argv: ["/usr/bin/factor", "360", "9973", "1234567890"] },
  // printenv rather than env: qemu-user hands the guest its environment in reverse order (README).
  { name: "printenv (status 1: one is unset)", argv: ["/usr/bin/printenv", "TZ", "LANG", "PATH", "NO_SUCH_VARIABLE"], status: 1 },
  // our own dynamic guests, linked by the cross compiler, run against Debian's libraries
  { name: "dyn-cxx (C++, built without -static)", argv: ["guest:dyn-cxx", "3", "x", "1", "3", "-2"] },
  { name: "dyn-hello (dlopen of libm)", argv: ["guest:dyn-hello", "one", "two words"] },
];
