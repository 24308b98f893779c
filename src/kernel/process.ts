// A process: an address space, a descriptor table, a working directory and signal dispositions,
// shared by its tasks (threads).
import type { AddressSpace } from "../mem/address-space.js";
import type { FdTable } from "./fd-table.js";
import type { Task } from "./task.js";
import type { Kernel } from "./kernel.js";
import { SigAction, defaultSigActions, type SignalInfo } from "./signals.js";
import { WaitQueue } from "./wait-queue.js";

/** How a process ended: exit code, or the signal that killed it. */
export interface ExitStatus {
  exitCode: number | null;
  signal: number | null;
  coreDumped: boolean;
}

/** The working directory and umask: one object, shared by the processes that clone with CLONE_FS. */
export class FsState {
  /** Guest path of the working directory (absolute, normalised). */
  cwd = "/";
  umask = 0o022;
}

export class Process {
  readonly tasks: Task[] = [];
  fs = new FsState();
  /** Guest path of the working directory (absolute, normalised). */
  get cwd(): string {
    return this.fs.cwd;
  }
  set cwd(path: string) {
    this.fs.cwd = path;
  }
  get umask(): number {
    return this.fs.umask;
  }
  set umask(mask: number) {
    this.fs.umask = mask;
  }
  /** Guest path of the running program (for /proc/self/exe and AT_EXECFN). */
  exePath = "";
  /** Host path of the running program file. */
  exeHostPath = "";
  /** Signal dispositions, indexed by signal number (0 unused); shared by processes cloned with CLONE_SIGHAND. */
  sigactions: SigAction[] = defaultSigActions();
  /** The wait status of a group exit in progress (exit_group or a fatal signal). */
  groupStatus: number | undefined = undefined;
  /** Set when the process has ended. */
  exitStatus: ExitStatus | null = null;
  /** Resolvers waiting for the process to end (Process.wait in the API). */
  readonly exitWaiters: ((s: ExitStatus) => void)[] = [];
  /**
   * Process group and session. A new process is in its parent's, as a program started from a
   * script is (not a group leader, so setsid works), until setpgid or setsid.
   */
  pgid: number;
  sid: number;
  /**
   * The nice value, -20 (most favoured) to 19. The first process starts at 0 whatever rvtrace's own
   * nice is (qemu passes the host's on): the host's scheduling state is not the guest's to see.
   */
  nice = 0;
  /** The guest process that waits for this one, or null for a process rvtrace itself started. */
  parent: Process | null = null;
  /** The tid of the parent's thread that made this process (wait's __WNOTHREAD). */
  creatorTid = 0;
  /** The signal the parent gets when this process ends (clone's CSIGNAL; SIGCHLD for fork, 0: none). */
  exitSignal = 17;
  /** The wait status once the process has ended (code << 8, or the signal | 0x80 with a core). */
  waitStatus = 0;
  /** A zombie is reaped (wait, or by the kernel when nobody will wait): gone from every table. */
  reaped = false;
  /** Signals sent to the process as a whole (kill), taken by whichever thread does not block them. */
  readonly sharedPending: SignalInfo[] = [];
  /** Woken whenever one of this process's children changes state (exit, stop, continue). */
  readonly childWait = new WaitQueue();
  /** In a group stop (SIGSTOP, SIGTSTP, …): no thread runs until SIGCONT. */
  jobStopped = false;
  /** The signal that made the last group stop (for the deadlock report). */
  jobStopSignal = 0;
  /**
   * A stop signal from outside rvtrace (a ^Z at its terminal) was sent to this process, and whether
   * the group stop in force came from one: the host may continue such a stop (the shell's `fg`), so
   * it is no deadlock (deadlock.ts).
   */
  hostStopSent = false;
  stoppedFromHost = false;
  /** The job-control change a waiting parent has not yet been told of (WUNTRACED, WCONTINUED). */
  jobReport: { stopped: true; signo: number } | { stopped: false } | null = null;
  /** A vfork child: its parent task sleeps on this queue until the child execs or ends. */
  vforkDone: WaitQueue | null = null;
  /** Set by execve (setpgid on a child that has exec'd is EACCES). */
  didExec = false;
  /** PR_SET_CHILD_SUBREAPER: orphaned descendants are re-parented here. */
  subreaper = false;
  /** Resource limits [soft, hard] by RLIMIT_* (syscalls/process.ts); null until first used. */
  rlimits: [soft: bigint, hard: bigint][] | null = null;
  /** PR_SET_PDEATHSIG: the signal this process gets when its parent ends (0: none). */
  pdeathsig = 0;
  constructor(
    readonly kernel: Kernel,
    readonly pid: number,
    public ppid: number,
    public mem: AddressSpace,
    public fds: FdTable,
  ) {
    this.pgid = ppid;
    this.sid = ppid;
  }

  /** The first task (its tid equals the pid). */
  get leader(): Task {
    return this.tasks[0];
  }

  get alive(): boolean {
    return this.exitStatus === null;
  }

  /** Ended and not yet reaped. */
  get zombie(): boolean {
    return this.exitStatus !== null && !this.reaped;
  }

  /** Sends signal `signo` to the process (as kill(2) from outside would). */
  kill(signo: number): void {
    this.kernel.sendProcessSignal(this, { signo, code: 0 /* SI_USER */, pid: 0, uid: 0 });
  }

  /**
   * Runs `fn` as soon as the process has ended, before anything waiting in wait() resumes (the
   * kernel calls exitWaiters in order, synchronously): for state of the process that must be
   * settled by then, such as host timers to stop and shared mappings to write back.
   */
  atExit(fn: () => void): void {
    this.exitWaiters.unshift(() => fn());
  }

  /** Resolves when the process has ended: its exit code, or the signal that killed it. */
  wait(): Promise<ExitStatus> {
    if (this.exitStatus) return Promise.resolve(this.exitStatus);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }
}
