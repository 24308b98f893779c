// Character devices the guest may open: /dev/null, /dev/zero, /dev/random and /dev/urandom
// (bytes from the Vfs's random source, the host's /dev/urandom unless configured), and /dev/tty, which
// is the host's controlling terminal: writes go to it synchronously, reads are asynchronous host
// reads that park the reader (see input.ts).
import { closeHostFd } from "./host-fds.js";
import type { AddressSpace } from "../../mem/address-space.js";
import { FS_MAGIC, O } from "../../abi/fs.js";
import { FdInput, ttyIoctl, writeAllToHostFd } from "./input.js";
import { FileBase, pseudoStatfs, type IoResult, type PollState } from "./open-file.js";
import type { StatInfo, StatfsInfo } from "./stat.js";

export type DeviceKind = "null" | "zero" | "random" | "urandom" | "tty";

/** Linux's (major, minor) of each device. */
export const DEVICE_NUMBERS: Readonly<Record<DeviceKind, readonly [number, number]>> = {
  null: [1, 3],
  zero: [1, 5],
  random: [1, 8],
  urandom: [1, 9],
  tty: [5, 0],
};

export class DeviceFile extends FileBase {
  readonly kind = "device";

  constructor(
    readonly device: DeviceKind,
    flags: number,
    path: string,
    private readonly statFn: () => StatInfo,
    private readonly random: (buf: Uint8Array) => void,
  ) {
    super(flags, path);
  }

  override read(buf: Uint8Array): IoResult {
    switch (this.device) {
      case "null":
        return 0;
      case "zero":
        buf.fill(0);
        return buf.length;
      default:
        this.random(buf);
        return buf.length;
    }
  }

  override pread(buf: Uint8Array, _pos: number): IoResult {
    return this.read(buf);
  }

  override write(buf: Uint8Array): IoResult {
    return buf.length;
  }

  override pwrite(buf: Uint8Array, _pos: number): IoResult {
    return buf.length;
  }

  /** null, zero and random devices accept any seek and stay at 0 (null_lseek / noop_llseek). */
  override seek(_offset: number, _whence: number): number {
    return 0;
  }

  stat(): StatInfo {
    return this.statFn();
  }

  override statfs(): StatfsInfo {
    return pseudoStatfs(FS_MAGIC.TMPFS);
  }
}

/** /dev/tty: the host's controlling terminal, opened on the host. */
export class TtyFile extends FileBase {
  readonly kind = "device";
  private readonly input: FdInput;

  constructor(
    private readonly fd: number,
    flags: number,
    path: string,
    private readonly statFn: () => StatInfo,
  ) {
    super(flags, path);
    this.input = new FdInput(fd, true);
  }

  override read(buf: Uint8Array): IoResult {
    return this.input.read(buf, (this.flags & O.NONBLOCK) !== 0);
  }

  override write(buf: Uint8Array): IoResult {
    return writeAllToHostFd(this.fd, buf);
  }

  stat(): StatInfo | number {
    return this.statFn();
  }

  override statfs(): StatfsInfo {
    return pseudoStatfs(FS_MAGIC.DEVPTS);
  }

  override ioctl(request: number, arg: bigint, mem: AddressSpace): number {
    return ttyIoctl(request, arg, mem, () => hostWinsize(), this.fd);
  }

  override available(): number {
    return this.input.buffered;
  }

  override poll(): PollState {
    return this.input.poll();
  }

  override close(): void {
    this.input.dispose();
    // The guest's close has already succeeded: a host error has nowhere to go.
    closeHostFd(this.fd);
  }
}

/** The terminal size, from whichever of the host's stdout/stderr is a TTY; 80x24 otherwise. */
export function hostWinsize(): { cols: number; rows: number } {
  for (const s of [process.stdout, process.stderr]) {
    if (s.isTTY && s.columns > 0 && s.rows > 0) return { cols: s.columns, rows: s.rows };
  }
  return { cols: 80, rows: 24 };
}
