// signalfd (fs/signalfd.c): reading takes pending signals of the file's mask, as sigwaitinfo
// would, and returns one struct signalfd_siginfo (128 bytes) for each that fits, waiting only for
// the first. Whose signals: the reading (or polling) task's own and its process's, as Linux uses
// `current` (the scheduler's current task; the creator outside any task's turn). Readers wait on
// the process's signal notification queue (signal-notify.ts).
import { E } from "../../abi/gen/errno.js";
import { POLL } from "../../abi/fs.js";
import { Blocked, type IoResult, type PollState } from "../vfs/open-file.js";
import type { Timespec } from "../vfs/stat.js";
import type { Task } from "../task.js";
import { SIGCHLD, SIGSYS } from "../../abi/signals.js";
import { SYNCHRONOUS_SIGNALS, nextSignalIndex, sigbit, type SignalInfo } from "../signals.js";
import { AnonFile } from "./anon-file.js";
import { signalNotify } from "./signal-notify.js";

export const SIGNALFD_SIGINFO_SIZE = 128;

const SI_KERNEL = 0x80;
const SI_TIMER = -2;

/** Takes the signal Linux's next_signal would from `list` among those of `set`. */
function takeFrom(list: SignalInfo[], set: bigint): SignalInfo | null {
  const index = nextSignalIndex(list, (s) => (set & sigbit(s)) !== 0n);
  return index < 0 ? null : list.splice(index, 1)[0];
}

/** Dequeues a signal of `set` for t: its own pending signals first, then its process's. */
export function dequeueSignal(t: Task, set: bigint): SignalInfo | null {
  return takeFrom(t.pendingSignals, set) ?? takeFrom(t.process.sharedPending, set);
}

/** Fills a struct signalfd_siginfo with the fields Linux's signalfd_copyinfo copies for the layout. */
export function writeSignalfdSiginfo(v: DataView, at: number, info: SignalInfo): void {
  v.setUint32(at, info.signo, true); // ssi_signo
  v.setInt32(at + 8, info.code, true); // ssi_code
  const pidUid = () => {
    v.setUint32(at + 12, info.pid ?? 0, true); // ssi_pid
    v.setUint32(at + 16, info.uid ?? 0, true); // ssi_uid
  };
  const value = BigInt.asUintN(64, info.value ?? 0n);
  const code = info.code;
  if (code > 0 && code < SI_KERNEL) {
    // A code of the signal's own (siginfo_layout): faults carry an address, SIGCHLD a status.
    if ((SYNCHRONOUS_SIGNALS & sigbit(info.signo)) !== 0n && info.signo !== SIGSYS) {
      v.setBigUint64(at + 72, BigInt.asUintN(64, info.addr ?? 0n), true); // ssi_addr
    } else if (info.signo === SIGCHLD) {
      pidUid();
      v.setInt32(at + 40, Number(BigInt.asIntN(32, value)), true); // ssi_status
    } else pidUid();
  } else if (code === SI_TIMER) {
    v.setBigUint64(at + 48, value, true); // ssi_ptr
    v.setInt32(at + 44, Number(BigInt.asIntN(32, value)), true); // ssi_int
  } else if (code < 0) {
    // SI_QUEUE, SI_TKILL, …: sender, and the value of sigqueue.
    pidUid();
    v.setBigUint64(at + 48, value, true); // ssi_ptr
    v.setInt32(at + 44, Number(BigInt.asIntN(32, value)), true); // ssi_int
  } else pidUid();
}

export class SignalFdFile extends AnonFile {
  constructor(
    /** The signals it takes (never SIGKILL or SIGSTOP). */
    public mask: bigint,
    /** Whose signals are looked at outside any task's turn (a host event's wake-up). */
    private readonly creator: Task,
    flags: number,
    time: Timespec,
  ) {
    super("signalfd", flags, time);
  }

  /** The task calling: Linux's `current`. */
  private get current(): Task {
    return this.creator.kernel.scheduler.current ?? this.creator;
  }

  override read(buf: Uint8Array): IoResult {
    const t = this.current;
    const n = Math.floor(buf.length / SIGNALFD_SIGINFO_SIZE);
    if (n === 0) return -E.EINVAL;
    let got = 0;
    const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (got < n) {
      const info = dequeueSignal(t, this.mask);
      if (!info) break;
      buf.fill(0, got * SIGNALFD_SIGINFO_SIZE, (got + 1) * SIGNALFD_SIGINFO_SIZE);
      writeSignalfdSiginfo(v, got * SIGNALFD_SIGINFO_SIZE, info);
      got++;
    }
    if (got > 0) return got * SIGNALFD_SIGINFO_SIZE;
    return this.nonblock ? -E.EAGAIN : new Blocked(signalNotify(t.process).queue);
  }

  override poll(): PollState {
    const t = this.current;
    const pending = [...t.pendingSignals, ...t.process.sharedPending].some((s) => (this.mask & sigbit(s.signo)) !== 0n);
    const n = signalNotify(t.process);
    return { events: pending ? POLL.IN | POLL.RDNORM : 0, queue: n.queue, inSeq: n.sent };
  }
}
