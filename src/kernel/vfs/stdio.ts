// The guest's standard streams, wrapping Node streams.
//
// Output: writes to process.stdout / process.stderr go straight to host fd 1 / 2 with writeSync,
// so they are ordered exactly with rvtrace's own output and complete before it exits; other
// Writables get `stream.write(copy)`. Input: process.stdin is read from host fd 0 with async fs.read
// only while the guest waits for it (input.ts), except when fd 0 is a regular file, which is read
// synchronously at an offset of its own like any host file; other Readables are pulled on demand.
//
// ioctl TCGETS / TIOCGWINSZ answer only when the underlying stream is a TTY, else ENOTTY as Linux
// does for pipes and files. lseek on the streams is ESPIPE (regular-file stdin excepted).
import * as fs from "node:fs";
import type { Readable, Writable } from "node:stream";
import { E } from "../../abi/gen/errno.js";
import type { AddressSpace } from "../../mem/address-space.js";
import { FS_MAGIC, O, S, makedev } from "../../abi/fs.js";
import { hostWinsize } from "./devices.js";
import { hostErrno } from "./errors.js";
import { HostFile } from "./host-file.js";
import { FdInput, StreamInput, ttyIoctl, writeAllToHostFd } from "./input.js";
import { FileBase, pseudoStatfs, type IoResult, type OpenFile, type PollState } from "./open-file.js";
import { PIPE_DEV } from "./pipe.js";
import { statFromHost, syntheticStat, type StatInfo, type StatfsInfo, type Timespec } from "./stat.js";

export interface StdioStreams {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

interface TtyLike {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

function isTty(stream: unknown): boolean {
  return (stream as TtyLike).isTTY === true;
}

function winsizeOf(stream: unknown): () => { cols: number; rows: number } {
  return () => {
    const s = stream as TtyLike;
    if (typeof s.columns === "number" && typeof s.rows === "number" && s.columns > 0) return { cols: s.columns, rows: s.rows };
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

export class StdoutFile extends FileBase {
  readonly kind = "stdio";
  private readonly tty: boolean;

  /** @param hostFd 1 or 2 when the stream is process.stdout / process.stderr, else null */
  constructor(
    private readonly stream: Writable,
    private readonly hostFd: number | null,
    path: string,
    private readonly ino: bigint,
    private readonly time: Timespec,
  ) {
    super(O.WRONLY | O.LARGEFILE, path);
    this.tty = isTty(stream);
  }

  override write(buf: Uint8Array): IoResult {
    if (buf.length === 0) return 0;
    if (this.hostFd !== null) return writeAllToHostFd(this.hostFd, buf);
    if (this.stream.destroyed || this.stream.writableEnded) return -E.EPIPE;
    this.stream.write(Buffer.from(buf));
    return buf.length;
  }

  stat(): StatInfo | number {
    return streamStat(this.hostFd, this.tty, this.ino, this.time);
  }

  override statfs(): StatfsInfo {
    return pseudoStatfs(this.tty ? FS_MAGIC.DEVPTS : FS_MAGIC.PIPEFS);
  }

  override ioctl(request: number, arg: bigint, mem: AddressSpace): number {
    return this.tty ? ttyIoctl(request, arg, mem, winsizeOf(this.stream)) : -E.ENOTTY;
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
  private readonly input: FdInput | StreamInput;

  constructor(
    private readonly stream: Readable,
    private readonly hostFd: number | null,
    path: string,
    private readonly ino: bigint,
    private readonly time: Timespec,
  ) {
    super(O.RDONLY | O.LARGEFILE, path);
    this.tty = isTty(stream);
    this.input = hostFd !== null ? new FdInput(hostFd) : new StreamInput(stream);
  }

  override read(buf: Uint8Array): IoResult {
    return this.input.read(buf, (this.flags & O.NONBLOCK) !== 0);
  }

  stat(): StatInfo | number {
    return streamStat(this.hostFd, this.tty, this.ino, this.time);
  }

  override statfs(): StatfsInfo {
    return pseudoStatfs(this.tty ? FS_MAGIC.DEVPTS : FS_MAGIC.PIPEFS);
  }

  override ioctl(request: number, arg: bigint, mem: AddressSpace): number {
    return this.tty ? ttyIoctl(request, arg, mem, winsizeOf(this.stream)) : -E.ENOTTY;
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
    this.input.dispose();
  }
}

/**
 * The three stdio OpenFiles for the given streams. Paths (for /proc/self/fd-style labels) are
 * "pipe:[ino]" or "/dev/pts/0"-like only nominally: they are never resolved.
 */
export function makeStdioFiles(streams: StdioStreams, time: Timespec): [OpenFile, OpenFile, OpenFile] {
  const stdinFd = streams.stdin === process.stdin ? 0 : null;
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
  stdin ??= new StdinFile(streams.stdin, stdinFd, "pipe:[1]", 1n, time);
  const out = new StdoutFile(streams.stdout, streams.stdout === process.stdout ? 1 : null, "pipe:[2]", 2n, time);
  const err = new StdoutFile(streams.stderr, streams.stderr === process.stderr ? 2 : null, "pipe:[3]", 3n, time);
  return [stdin, out, err];
}
