// Unix manners of `rvtrace run`, with the command's stdio redirected as a shell would: the guest's
// fds 0-2 are what rvtrace's are (a file with its path, /dev/null, a pipe), lseek works on a stdout
// redirected to a file, `… | head -1` ends the guest with SIGPIPE (141) and rvtrace at once, and a
// guest killed while it waits for input from a pipe or a terminal ends rvtrace without more input.
import { beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "bin", "rvtrace.js");
const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-unix-"));

/** Runs a shell command line with `rvtrace` standing for the command. */
function sh(script: string) {
  const r = spawnSync("bash", ["-c", script], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, RVTRACE: `"${process.execPath}" "${cli}"` },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The stdio-kinds guest's line for fd N. */
function fdLine(report: string, fd: number): string {
  return report.split("\n").find((l) => l.startsWith(`fd ${fd}: `)) ?? "";
}

beforeAll(ensureBuilt, 120_000);

describe("the guest's fds 0-2 are what rvtrace's are", () => {
  it("a file, with its path, and /dev/null", () => {
    const out = path.join(dir, "out.txt");
    const err = path.join(dir, "err.txt");
    const r = sh(`eval "$RVTRACE" run guests/bin/stdio-kinds </dev/null >${out} 2>${err}`);
    expect(r.status).toBe(0);
    const report = readFileSync(err, "utf8");
    expect(fdLine(report, 0)).toBe("fd 0: character device, /dev/null, isatty 0");
    expect(fdLine(report, 1)).toBe(`fd 1: regular file, ${out}, isatty 0`);
    expect(fdLine(report, 2)).toBe(`fd 2: regular file, ${err}, isatty 0`);
  });

  it("pipes, as pipe:[ino] with the host pipe's inode (trace -y shows the same)", () => {
    const r = sh(`echo | eval "$RVTRACE" run guests/bin/stdio-kinds 2>&1 | cat`);
    expect(r.status).toBe(0);
    expect(fdLine(r.stdout, 0)).toBe("fd 0: pipe, pipe:[N], isatty 0");
    expect(fdLine(r.stdout, 1)).toBe("fd 1: pipe, pipe:[N], isatty 0");
    // trace -y prints the real link: the same inode the host sees for rvtrace's own fd 1.
    const t = sh(`eval "$RVTRACE" trace -y -e trace=write guests/bin/hello 2>&1 | { cat; readlink /proc/self/fd/0; }`);
    const link = t.stdout.trim().split("\n").pop() ?? "";
    expect(link).toMatch(/^pipe:\[\d+\]$/);
    expect(t.stdout).toContain(`write(1<${link}>, "Hello, world!\\n", 14) = 14`);
  });

  it("trace -y names a file stdout by its path and /dev/null as /dev/null", () => {
    const out = path.join(dir, "hello.txt");
    const r = sh(`eval "$RVTRACE" trace -y -e trace=write guests/bin/hello >${out}; eval "$RVTRACE" trace -y -e trace=write guests/bin/hello >/dev/null`);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`write(1<${out}>, "Hello, world!\\n", 14) = 14`);
    expect(r.stderr).toContain(`write(1</dev/null>, "Hello, world!\\n", 14) = 14`);
  });
});

describe("lseek on the standard streams", () => {
  it("works on a stdout redirected to a file, from the offset the host left", () => {
    const out = path.join(dir, "seek.txt");
    // The shell writes first: the guest's offset starts where the host description's is. The
    // guest's SEEK_END lands on the host's offset again: its "!\n" moves the shared offset, so the
    // shell's "after" comes after it (a positioned write would leave it to be overwritten).
    const r = sh(`{ printf 'shell\\n'; eval "$RVTRACE" run guests/bin/stdio-kinds seek-only; echo after; } >${out}`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      "lseek(1, 0, SEEK_SET) = 0\nlseek(1, 0, SEEK_CUR) = 1\nlseek(1, 0, SEEK_END) = 19\n"
        + "lseek(1, 100, SEEK_DATA) = -1 (No such device or address)\n",
    );
    // "J" overwrote the shell's first byte, "!\n" went to the end.
    expect(readFileSync(out, "utf8")).toBe("Jhell\nhello, world\n!\nafter\n");
  });

  it("a query of the offset (lseek(1, 0, SEEK_CUR), as glibc and perl make) leaves the shell's offset shared", () => {
    const out = path.join(dir, "query.txt");
    const r = sh(`{ printf 'shell\\n'; eval "$RVTRACE" run guests/bin/stdio-kinds query-then-write; echo after; } >${out}`);
    expect(r.stderr).toBe("lseek(1, 0, SEEK_CUR) = 6\n");
    expect(readFileSync(out, "utf8")).toBe("shell\nhello, world\nafter\n");
  });

  it("appends with O_APPEND (>>) whatever the offset", () => {
    const out = path.join(dir, "append.txt");
    writeFileSync(out, "old\n");
    const r = sh(`eval "$RVTRACE" run guests/bin/stdio-kinds seek-only >>${out}`);
    expect(r.status).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("old\nhello, world\nJ!\n");
  });

  it("is ESPIPE on a pipe and 0 on /dev/null, as on Linux", () => {
    expect(sh(`eval "$RVTRACE" run guests/bin/stdio-kinds seek-only | cat`).stderr).toBe("lseek(1, 0, SEEK_SET): Illegal seek\n");
    expect(sh(`eval "$RVTRACE" run guests/bin/stdio-kinds seek-only >/dev/null`).stderr).toMatch(/^lseek\(1, 0, SEEK_SET\) = 0\n/);
  });
});

describe("pipelines end as in a shell", () => {
  it("`… | head -c 1`: the guest dies of SIGPIPE, rvtrace's status is 141", () => {
    // cat of /dev/zero never ends by itself: only SIGPIPE stops it.
    const r = sh(`eval "$RVTRACE" run guests/bin/cat /dev/zero | head -c 1 | wc -c; echo "status \${PIPESTATUS[0]}"`);
    expect(r.stdout).toBe("1\nstatus 141\n");
  });
});

describe("a guest killed while it reads a piped stdin", () => {
  it("ends rvtrace without waiting for more input", async () => {
    const child = spawn(process.execPath, [cli, "run", "guests/bin/stdin-raw"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // stdin-raw upper-cases what it reads: once "A" is back, it is blocked reading the next bytes.
    child.stdin.write("a");
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.kill("SIGTERM");
    // stdin stays open, with nothing more written: the exit must not depend on it.
    expect(await exited).toBe(143);
    expect(child.stdin.writableEnded).toBe(false);
    child.stdin.destroy();
  });
});

describe("a guest killed while it reads the host's terminal", () => {
  it("ends rvtrace by the same signal, without waiting for the next line", async () => {
    // script(1) gives rvtrace a terminal (its fd 0-2) and relays what is written to its stdin.
    const child = spawn("script", ["-qfec", `exec "${process.execPath}" "${cli}" run guests/bin/stdin-raw`, "/dev/null"], {
      cwd: root, stdio: ["pipe", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stdin.write("ab\n");
    // The line comes back upper-cased: stdin-raw is now blocked reading the terminal.
    let out = "";
    await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => {
      out += d.toString("latin1");
      if (out.includes("AB")) resolve();
    }));
    const [rvtracePid] = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).map(Number);
    expect(readFileSync(`/proc/${rvtracePid}/cmdline`, "utf8")).toContain("rvtrace.js");
    process.kill(rvtracePid, "SIGTERM");
    // script -e reports its child's death by SIGTERM as 128+15; nothing more is typed.
    expect(await exited).toBe(143);
    child.stdin.destroy();
  });
});

describe("a regular-file stdin", () => {
  it("is read as a file, as before", () => {
    const input = path.join(dir, "in.txt");
    writeFileSync(input, "abc\n");
    const fd = openSync(input, "r");
    const r = spawnSync(process.execPath, [cli, "run", "guests/bin/stdin-raw"], { cwd: root, stdio: [fd, "pipe", "pipe"], encoding: "utf8" });
    closeSync(fd);
    expect(r.stdout).toBe("ABC\n");
    expect(r.status).toBe(0);
  });
});
