// The kernel's syscall registry: which syscalls rvtrace implements, with their handlers and support
// level. What a syscall IS (number, name, strace classes, argument kinds) is data in src/abi/
// (gen/syscall-numbers.ts, syscalls.ts), shared with the engines that print and filter calls;
// rows here are keyed by that name. Each family file exports its rows.
import type { SyscallRow } from "./types.js";
import { SYSCALL_NUMBERS, type SyscallName } from "../../abi/gen/syscall-numbers.js";
import { fsSyscalls } from "./fs.js";
import { mmSyscalls } from "./mm.js";
import { processSyscalls } from "./process.js";
import { signalSyscalls } from "./signal.js";
import { timeSyscalls } from "./time.js";
import { miscSyscalls } from "./misc.js";
import { futexSyscalls } from "./futex.js";
import { pollSyscalls } from "./poll.js";
import { itimerSyscalls } from "./itimer.js";
import { socketSyscalls } from "./socket.js";
import { socketMsgSyscalls } from "./socket-msg.js";
import { sockoptSyscalls } from "./sockopt.js";
import { xattrSyscalls } from "./xattr.js";
import { inotifySyscalls } from "./inotify.js";
import { memfdSyscalls } from "./memfd.js";
import { epollSyscalls } from "./epoll.js";
import { eventfdSyscalls } from "./eventfd.js";
import { timerfdSyscalls } from "./timerfd.js";
import { signalfdSyscalls } from "./signalfd.js";

/** Every implemented syscall, by family. */
export const SYSCALLS: readonly SyscallRow[] = [
  ...fsSyscalls,
  ...mmSyscalls,
  ...processSyscalls,
  ...signalSyscalls,
  ...timeSyscalls,
  ...miscSyscalls,
  ...futexSyscalls,
  ...pollSyscalls,
  ...itimerSyscalls,
  ...socketSyscalls,
  ...socketMsgSyscalls,
  ...sockoptSyscalls,
  ...xattrSyscalls,
  ...inotifySyscalls,
  ...memfdSyscalls,
  ...epollSyscalls,
  ...eventfdSyscalls,
  ...timerfdSyscalls,
  ...signalfdSyscalls,
];

/** The number of a syscall name. */
export function syscallNumber(name: SyscallName): number {
  return SYSCALL_NUMBERS[name];
}

const nameByNumber = new Map<number, string>(
  Object.entries(SYSCALL_NUMBERS).map(([name, nr]) => [nr, name]),
);

/** The name of a syscall number, or `syscall_<n>` as strace prints unknown ones. */
export function syscallName(nr: number): string {
  return nameByNumber.get(nr) ?? `syscall_${nr}`;
}

/** A dense array indexed by syscall number, for dispatch. Throws if two rows claim one number. */
export function syscallTable(): (SyscallRow | undefined)[] {
  const table: (SyscallRow | undefined)[] = [];
  for (const row of SYSCALLS) {
    const nr = SYSCALL_NUMBERS[row.name];
    if (table[nr]) throw new Error(`syscall ${row.name} registered twice`);
    table[nr] = row;
  }
  return table;
}
