// The guest's standard streams: the host's own fds 0, 1 and 2 ("inherit"), or Node streams.
//
// The host's fds are used directly, without process.stdin/stdout/stderr, whose creation loads
// node:net and the stream classes (several ms of a hello-world's start-up); passing those streams
// themselves means the same.
//
// Output: writes to host fd 1 / 2 (inherited) go straight to the fd with writeSync,
// so they are ordered exactly with rvtrace's own output and complete before it exits; other
// Writables get `stream.write(copy)`. Input: process.stdin is read from host fd 0 with async fs.read
// only while the guest waits for it (input.ts), except when fd 0 is a regular file, which is read
// synchronously at an offset of its own like any host file; other Readables are pulled on demand.
//
// ioctl TCGETS / TIOCGWINSZ answer only when the underlying stream is a TTY, else ENOTTY as Linux
// does for pipes and files. lseek on the streams is ESPIPE, except on a regular file: stdin is then
// a HostFile, and stdout/stderr track an offset of their own (stdout-offset.ts).
// Each stream's path is what the host fd really is ("/dev/pts/3", "/dev/null", "pipe:[123]", a
// file's path), for /proc/self/fd and `trace -y`.
import * as fs from "node:fs";
import type { Readable, Writable } from "node:stream";
import { E } from "../../abi/gen/errno.js";
import type { AddressSpace } from "../../mem/address-space.js";
import { FS_MAGIC, O, S, makedev } from "../../abi/fs.js";
import { hostWinsize } from "./devices.js";
import { isTerminal } from "../host/tty.js";
import { hostErrno } from "./errors.js";
import { HostFile, hostStatfs } from "./host-file.js";
import { StdoutOffset } from "./stdout-offset.js";
import { FdInput, HostPipeInput, StreamInput, ttyIoctl, writeAllToHostFd } from "./input.js";
import { FileBase, pseudoStatfs, type IoResult, type OpenFile, type PollState } from "./open-file.js";
import { PIPE_DEV } from "./pipe.js";
import { statFromHost, syntheticStat, type StatInfo, type StatfsInfo, type Timespec } from "./stat.js";

/**
 * --max-output: what the guest may still write to rvtrace's stdout and stderr together. A write
 * that goes past it writes what fits, then `reached` ends the run (limits.ts).
 */
export interface OutputLimit {
  remaining: number;
  reached(): void;
}

export interface StdioStreams {
  stdin: Readable | "inherit";
  stdout: Writable | "inherit";
  stderr: Writable | "inherit";
}

export interface StdioOptions {
  /**
   * --deterministic: stdin that is not a terminal is read in whole requests (input.ts wholeReads),
   * and a terminal's size is always 80x24.
   */
  deterministic?: boolean;
  /** --max-output: what stdout and stderr together may still take. */
  output?: OutputLimit | null;
}

/** The terminal size a deterministic run shows. */
const FIXED_WINSIZE = { cols: 80, rows: 24 };

interface TtyLike {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

function isTty(stream: unknown, hostFd: number | null): boolean {
  return hostFd !== null ? isTerminal(hostFd) : (stream as TtyLike).isTTY === true;
}

function winsizeOf(stream: unknown, fixed: boolean): () => { cols: number; rows: number } {
  if (fixed) return () => FIXED_WINSIZE;
  return () => {
    const s = stream as TtyLike | null;
    if (s && typeof s.columns === "number" && typeof s.rows === "number" && s.columns > 0) return { cols: s.columns, rows: s.rows };
    return hostWinsize();
  };
}

/** fstat of a host fd, or the made-up stat of a stream without one (a FIFO, or a tty device). */
function streamStat(hostFd: number | null, tty: boolean, ino: bigint, time: Timespec): StatInfo | number {
  if (hostFd !== null) {
    try {
      return statFromHost(fs.fstatSync(hostFd, { bigint: true }));
    } catch (err) {
      return -hostErrno(err);
    }
  }
  return tty
    ? syntheticStat({ dev: makedev(0, 0x18), ino, mode: S.IFCHR | 0o620, rdev: makedev(136, 0), time })
    : syntheticStat({ dev: PIPE_DEV, ino, mode: S.IFIFO | 0o600, time });
}

/**
 * fstatfs of a stream: the file system of what the host fd is (pipefs, sockfs, devpts, a file's
 * own), as fstat shows that fd's type; for a Node stream, or without /proc, what it stands for.
 */
function streamStatfs(hostFd: number | null, tty: boolean): StatfsInfo {
  if (hostFd !== null) {
    const s = hostStatfs(`/proc/self/fd/${hostFd}`, false);
    if (typeof s !== "number") return s;
  }
  return pseudoStatfs(tty ? FS_MAGIC.DEVPTS : FS_MAGIC.PIPEFS);
}

function isPipeOrSocket(fd: number): boolean {
  try {
    const type = fs.fstatSync(fd).mode & S.IFMT;
    return type === S.IFIFO || type === S.IFSOCK;
  } catch {
    return false;
  }
}

export class StdoutFile extends FileBase {
  readonly kind = "stdio";
  private readonly tty: boolean;

  /** @param hostFd 1 or 2 for the host's stdout / stderr (then stream is null), else null */
  constructor(
    private readonly stream: Writable | null,
    private readonly hostFd: number | null,
    path: string,
    private readonly ino: bigint,
    private readonly time: Timespec,
    private readonly limit: OutputLimit | null = null,
    private readonly deterministic = false,
  ) {
    super(O.WRONLY | O.LARGEFILE, path);
    this.tty = isTty(stream, hostFd);
    this.offset = stream === null && hostFd !== null ? new StdoutOffset(hostFd) : null;
  }

  /** lseek on the host's stdout or stderr redirected to a regular file. */
  private readonly offset: StdoutOffset | null;

  override seek(offset: number, whence: number): number {
    return this.offset?.seek(offset, whence) ?? -E.ESPIPE;
  }

  override write(buf: Uint8Array): IoResult {
    if (buf.length === 0) return 0;
    const limit = this.limit;
    if (limit === null || buf.length <= limit.remaining) return this.writeOut(buf);
    // Past --max-output: what fits goes out, then the run ends (EFBIG if nothing fitted, as a
    // write past RLIMIT_FSIZE gets; the writer is being killed anyway).
    const fits = limit.remaining;
    const r = fits > 0 ? this.writeOut(buf.subarray(0, fits)) : -E.EFBIG;
    limit.remaining = 0;
    limit.reached();
    return r;
  }

  private writeOut(buf: Uint8Array): IoResult {
    const r = this.stream === null ? (this.offset?.write(buf) ?? writeAllToHostFd(this.hostFd!, buf)) : this.writeStream(buf);
    if (this.limit && typeof r === "number" && r > 0) this.limit.remaining -= r;
    return r;
  }

  private writeStream(buf: Uint8Array): IoResult {
    if (this.stream!.destroyed || this.stream!.writableEnded) return -E.EPIPE;
    this.stream!.write(Buffer.from(buf));
    return buf.length;
  }

  stat(): StatInfo | number {
    return streamStat(this.hostFd, this.tty, this.ino, this.time);
  }

  override statfs(): StatfsInfo {
    return streamStatfs(this.hostFd, this.tty);
  }

  isTerminal(): boolean {
    return this.tty;
  }

  override ioctl(request: number, arg: bigint, mem: AddressSpace): number {
    return this.tty ? ttyIoctl(request, arg, mem, winsizeOf(this.stream, this.deterministic), this.hostFd) : -E.ENOTTY;
  }

  override sync(_dataOnly: boolean): number {
    return -E.EINVAL;
  }

  override chmod(_mode: number): number {
    return 0;
  }
}

export class StdinFile extends FileBase {
  readonly kind = "stdio";
  private readonly tty: boolean;
  private made: FdInput | StreamInput | null = null;

  /** @param hostFd 0 for the host's stdin (then stream is null), else null */
  constructor(
    private readonly stream: Readable | null,
    private readonly hostFd: number | null,
    path: string,
    private readonly ino: bigint,
    private readonly time: Timespec,
    private readonly deterministic = false,
  ) {
    super(O.RDONLY | O.LARGEFILE, path);
    this.tty = isTty(stream, hostFd);
  }

  /**
   * The input, made at the first read or poll: a Node stream's, or for the host's fd 0 a libuv
   * stream when it is a pipe or socket (HostPipeInput), else reads on the thread pool (a terminal,
   * whose ^D ends one read where a stream would end for good; a character device).
   */
  private get input(): FdInput | StreamInput {
    if (this.made) return this.made;
    const fd = this.hostFd;
    this.made = this.stream !== null ? new StreamInput(this.stream) : !this.tty && isPipeOrSocket(fd!) ? new HostPipeInput(fd!) : new FdInput(fd!, this.tty);
    // A deterministic run reads a pipe in whole requests; a terminal gives what was typed, line by line.
    this.made.wholeReads = this.deterministic && !this.tty;
    return this.made;
  }

  override read(buf: Uint8Array): IoResult {
    return this.input.read(buf, (this.flags & O.NONBLOCK) !== 0);
  }

  stat(): StatInfo | number {
    return streamStat(this.hostFd, this.tty, this.ino, this.time);
  }

  override statfs(): StatfsInfo {
    return streamStatfs(this.hostFd, this.tty);
  }

  isTerminal(): boolean {
    return this.tty;
  }

  override ioctl(request: number, arg: bigint, mem: AddressSpace): number {
    return this.tty ? ttyIoctl(request, arg, mem, winsizeOf(this.stream, this.deterministic), this.hostFd) : -E.ENOTTY;
  }

  override available(): number {
    return this.input.buffered;
  }

  override poll(): PollState {
    return this.input.poll();
  }

  override chmod(_mode: number): number {
    return 0;
  }

  override close(): void {
    this.made?.dispose();
  }
}

/**
 * The three stdio OpenFiles for the given streams. Paths (for /proc/self/fd-style labels) are
 * "pipe:[ino]" or "/dev/pts/0"-like only nominally: they are never resolved.
 */
export function makeStdioFiles(streams: StdioStreams, time: Timespec, opts: StdioOptions = {}): [OpenFile, OpenFile, OpenFile] {
  const det = opts.deterministic === true;
  const output = opts.output ?? null;
  const stdinFd = hostFdOf(streams.stdin, 0);
  let stdin: OpenFile | null = null;
  if (stdinFd !== null) {
    let st: fs.BigIntStats | undefined;
    try {
      st = fs.fstatSync(0, { bigint: true });
    } catch {
      st = undefined;
    }
    if (st && (Number(st.mode) & S.IFMT) === S.IFREG) {
      // Not in the guest namespace: labelled, not pathed (so /proc/self/fd/0 is not followed as a path).
      stdin = new HostFile(0, O.RDONLY | O.LARGEFILE, "stdin:[file]", "/dev/stdin", true, false, false);
    }
  }
  stdin ??= new StdinFile(nodeStream(streams.stdin, stdinFd), stdinFd, hostFdLabel(stdinFd, "pipe:[1]"), 1n, time, det);
  const outFd = hostFdOf(streams.stdout, 1);
  const errFd = hostFdOf(streams.stderr, 2);
  const out = new StdoutFile(nodeStream(streams.stdout, outFd), outFd, hostFdLabel(outFd, "pipe:[2]"), 2n, time, output, det);
  const err = new StdoutFile(nodeStream(streams.stderr, errFd), errFd, hostFdLabel(errFd, "pipe:[3]"), 3n, time, output, det);
  return [stdin, out, err];
}

/**
 * What a host fd really is, as Linux names it in /proc/self/fd: "/dev/pts/3", "/dev/null",
 * "pipe:[123]", "socket:[456]" or a file's path. The guest sees it in readlink of /proc/self/fd/N
 * and `rvtrace trace -y` prints it; a stdio file is never reached through it as a path (it is
 * labelled, not pathed: namespace.ts fdTarget). For a Node stream (no host fd), or where there is
 * no /proc, the fallback: a pipe of the guest's own.
 */
function hostFdLabel(fd: number | null, fallback: string): string {
  if (fd === null) return fallback;
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return fallback;
  }
}

const PROCESS_STREAMS = ["stdin", "stdout", "stderr"] as const;

/** fd when the stream is "inherit" or the host's own stream for fd (process.stdin, ...), else null. */
function hostFdOf(stream: Readable | Writable | "inherit", fd: number): number | null {
  return stream === "inherit" || stream === process[PROCESS_STREAMS[fd]] ? fd : null;
}

/** The Node stream to use, or null for the host fd itself. */
function nodeStream<S>(stream: S | "inherit", hostFd: number | null): S | null {
  return hostFd !== null || stream === "inherit" ? null : stream;
}
