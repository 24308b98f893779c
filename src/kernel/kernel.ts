// The emulated Linux kernel: the tables of processes and tasks, spawning the first process of a run,
// and the host side of utrace. The work is done in files of one purpose each, which a newcomer can
// read in this order to follow one fork through the kernel:
//
//   scheduler.ts        which task runs next, and for how long; traps out of user mode
//   phases.ts           a task's way through the kernel: syscall entry, run, exit, return to user
//   parking.ts          a task waiting on a queue, and interrupting or restarting that wait
//   signal-delivery.ts  sending, dequeuing and acting on signals; job-control stops
//   clone.ts            fork, vfork and threads (clone, clone3)
//   exec.ts             execve and execveat: a new image in the same process
//   kill.ts             marking tasks to exit: exit, exit_group, fatal signals, kills from outside
//   exit.ts             thread and process exit, zombies, SIGCHLD, re-parenting, reaping
//   wait.ts             wait4 and waitid
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { userInfo } from "node:os";
import type { Readable, Writable } from "node:stream";
import { parseElf, ElfError, type ElfImage } from "../elf/index.js";
import { Process } from "./process.js";
import { Task } from "./task.js";
import { FdTable } from "./fd-table.js";
import { initialFdLimit } from "./rlimits.js";
import { noteImage, noteStart } from "./proc-image.js";
import { generatedTrees } from "./proc-view.js";
import { utcTzif } from "./procfs/etc.js";
import { hostTimezone } from "./host/timezone.js";
import { UTSNAME } from "./uts.js";
import { MemoryBudget } from "../mem/memory-budget.js";
import { HOST_WORK_PRICES } from "./host-work.js";
import { armTimeout, outputLimitReached } from "./limits.js";
import type { OutputLimit } from "./vfs/stdio.js";
import { Vfs } from "./vfs/index.js";
import { isTerminal } from "./host/tty.js";
import { Utrace, type UtraceHost } from "../utrace/utrace.js";
import { UTRACE_SINGLESTEP, UTRACE_BLOCKSTEP } from "../utrace/constants.js";
import { StepMode } from "../cpu/hart.js";
import { SIG_IGN, SIG_DFL, SIGKILL, SIGPIPE, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, defaultAction } from "../abi/signals.js";
import type { SignalInfo } from "./signals.js";
import { Scheduler } from "./scheduler.js";
import { interruptSyscall } from "./parking.js";
import { sendSignal, sendProcessSignal } from "./signal-delivery.js";
import { exitGroup, exitThread, killProcess } from "./kill.js";
import { loadImage, parseInterpreter, type Interpreter } from "./image.js";
import { BINPRM_BUF_SIZE, isScript, parseShebang, type ExecFileHook } from "./exec.js";
import { fromBytePath, pathToBytes, toBytePath } from "./vfs/paths.js";
import { strerror } from "../abi/errno-messages.js";
import { E } from "../abi/gen/errno.js";
import { timespecFromNs } from "./vfs/stat.js";
import type { World } from "./world/world.js";
import { HostWorld } from "./world/host-world.js";
import { DEFAULT_DATE_NS, DeterministicWorld } from "./world/deterministic-world.js";

/** A directory or file of the host made visible to the guest. */
export interface Mount {
  host: string;
  guest: string;
  readOnly: boolean;
}

export interface KernelOptions {
  /** Host directory the guest sees as its working directory (at the same path). Default: process.cwd(). */
  cwd?: string;
  /** Extra mounts besides the working directory and the program file. */
  mounts?: Mount[];
  /**
   * A host directory shown read-only as the guest's "/" (qemu's -L), under every other mount: the
   * working directory, the program and the mounts win at their own paths. Dynamic programs find
   * their loader and libraries there.
   */
  sysroot?: string;
  /**
   * A sysroot for a dynamic first program when `sysroot` is not given: used when the program has a
   * PT_INTERP and this directory holds that loader (the CLI passes Debian's cross sysroot,
   * /usr/riscv64-linux-gnu). It is then the guest's "/" exactly as `sysroot` would be, and
   * `Kernel.notes` says so. A static program, or a loader the directory lacks, leaves it unused.
   */
  fallbackSysroot?: string;
  /** Lines about how the run was set up, for --verbose (Kernel.notes starts with them). */
  notes?: string[];
  /**
   * A host directory shown read-write as the guest's /tmp (--tmp), instead of the run's private
   * in-memory /tmp. A --mount at /tmp wins over both.
   */
  tmp?: string;
  /**
   * Kill the guest with SIGXCPU once this many instructions have run, host work done in syscalls
   * included (host-work.ts). limits.ts lists every limit and how it ends a run.
   */
  maxInsns?: number;
  /** Bytes of memory the run may hold (memory-budget.ts): ENOMEM, then SIGKILL for the writer. */
  memoryLimit?: number;
  /** RLIMIT_NOFILE's hard limit: no guest, root or not, may raise it. Default 1,048,576 (nr_open). */
  maxFds?: number;
  /** --rlimit: the [soft, hard] limits the first process starts with, by RLIMIT_* number (rlimits.ts). */
  rlimits?: Record<number, readonly [bigint, bigint]>;
  /** Wall-clock seconds from the first spawn after which the run is ended with SIGALRM. */
  timeout?: number;
  /** Bytes the guest may write to rvtrace's stdout and stderr together; past them, SIGXFSZ. */
  maxOutput?: number;
  /** Host descriptors rvtrace may hold open for guests at once (host-fds.ts); default from the host's limit. */
  maxHostFds?: number;
  /** Where rvtrace's own diagnostics go (internal errors). Default: process.stderr. */
  diagnostics?: Writable;
  /** The most tasks alive at once, zombies included (clone.ts MAX_TASKS by default): --max-procs; clone fails with EAGAIN past it. */
  maxTasks?: number;
  /**
   * A repeatable run (world/deterministic-world.ts): virtual clocks, seeded random bytes, fixed ids,
   * a deterministic view of file metadata, stdin read in whole requests.
   */
  deterministic?: boolean;
  /** The key of a deterministic run's random bytes (default 0). */
  seed?: bigint;
  /** CLOCK_REALTIME at the start of a deterministic run, ns since the epoch (default 2000-01-01). */
  dateNs?: bigint;
  /**
   * When every live task is blocked for good (deadlock.ts), end the run: one line per task on the
   * diagnostics, every process killed with SIGKILL, and `Kernel.deadlock` set. Off by default: a
   * program embedding the kernel may still send a signal or resume a task from outside, which the
   * kernel cannot see; the CLI turns it on (--await-signals turns it off).
   */
  endDeadlocks?: boolean;
  /**
   * Loads how the deadlock report shows the syscall a task waits in (default: its name and raw
   * arguments). Called only when a run deadlocks, so that the CLI loads its decoders only then.
   */
  loadCallDescriber?: () => Promise<(t: Task) => string>;
  /** Called at every syscall exit, after the engines' exit reports (--verify's log). */
  onSyscallExit?: (t: Task) => void;
  /**
   * Mount nothing of the host, not even the working directory or the program file: a replay, whose
   * every host input comes from its recording (src/engines/replay).
   */
  hostless?: boolean;
}

/**
 * Whether a host directory, seen as a guest's "/", holds an executable file at a guest path (symbolic
 * links followed inside that root, as the guest would): a throwaway file system of that one mount.
 */
function rootHasProgram(root: string, guestPath: string): boolean {
  let vfs: Vfs;
  try {
    vfs = new Vfs({ mounts: [{ host: root, guest: "/", readOnly: true }], exeHostPath: "", exeGuestPath: "", hostHasTty: false });
  } catch {
    return false; // the directory does not exist (or cannot be reached)
  }
  const opened = vfs.openExec({ cwd: "/", exe: "" }, guestPath);
  if (typeof opened === "number") return false;
  opened.file.close();
  return true;
}

/** A program given as bytes rather than read from the host (a replay): see SpawnOptions.image. */
export interface SpawnImage {
  /** The ELF file. */
  bytes: Uint8Array;
  /** Where the guest sees it (/proc/self/exe). */
  guestPath: string;
  /** argv, envp and AT_EXECFN exactly, byte for byte (the spawn's own argv, env and file are not used). */
  argv: Uint8Array[];
  envp: Uint8Array[];
  execfn: Uint8Array;
  /** The dynamic loader's ELF file, for a program with PT_INTERP (a replay has no file system to find it in). */
  interpreter?: Uint8Array;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Guest working directory; default: the kernel's cwd. */
  cwd?: string;
  /** The guest's standard streams: Node streams, or "inherit" (the default): rvtrace's own fds. */
  stdin?: Readable | "inherit";
  stdout?: Writable | "inherit";
  stderr?: Writable | "inherit";
  /** Run this image instead of reading `file` (then only the name in messages). */
  image?: SpawnImage;
}

/**
 * An input that reaches the guest from the host at a moment the host decides, between two slices:
 * a signal from rvtrace's terminal or another host process (hostSignal), or the expiry of an
 * interval timer (which sends the process its signal). Record and replay place them by the
 * scheduler's slice count.
 */
export type HostEvent = { kind: "signal"; signo: number } | { kind: "timer"; pid: number; which: number };

/** A spawn that could not start: the message is one line for a person. */
export class SpawnError extends Error {}

const FIRST_PID = 1000;

export class Kernel implements UtraceHost {
  readonly options: KernelOptions;
  /** Every process that has not been reaped (zombies included), by pid. */
  readonly processes = new Map<number, Process>();
  /** Every task that has not been reaped, by tid. */
  readonly tasks = new Map<number, Task>();
  /** Syscall numbers met that rvtrace does not implement (for --verbose). */
  readonly unimplemented = new Map<number, number>();
  /** The file system the guests see. Set up at the first spawn. */
  vfs!: Vfs;
  /** Total instructions run by every task (for --max-insns). */
  instructions = 0;
  /** Host work done in syscalls, in instruction-equivalents (host-work.ts), also for --max-insns. */
  hostWork = 0;
  /** The run's memory limit, or null. */
  readonly memory: MemoryBudget | null;
  /** What ended the run (a limit of limits.ts), or null. */
  limitReached: string | null = null;
  /** The lines of the deadlock report when every task was blocked for good (deadlock.ts), or null. */
  deadlock: string[] | null = null;
  /** The first process of the run: orphans are re-parented to it. */
  initProcess: Process | null = null;
  /** Record and replay: sees, or supplies, the files execve reads (exec.ts). */
  execFiles: ExecFileHook | null = null;
  /** The dynamic loader's ELF file the first spawn loaded, or null (a recording keeps it for the replay). */
  spawnedLoader: Uint8Array | null = null;
  /** How the run was set up, one line each, for --verbose: KernelOptions.notes, then the kernel's own. */
  readonly notes: string[];
  /** The guest's "/" when it is a host directory: KernelOptions.sysroot, or the fallback a dynamic program chose. */
  get sysroot(): string | undefined {
    return this.root;
  }
  private root: string | undefined;
  /** Told of every HostEvent just before it acts (a recording logs them). */
  onHostEvent: ((e: HostEvent) => void) | null = null;

  private nextId = FIRST_PID;
  /** --max-output: what the guest may still write to rvtrace's stdout and stderr (stdio.ts). */
  private outputLimit: OutputLimit | null | undefined = undefined;
  readonly scheduler: Scheduler = new Scheduler(this);
  /** The engine layer: engines attach to tasks through it. */
  readonly utrace: Utrace = new Utrace(this);
  /** Clocks, timers, randomness, ids and file metadata as the guest sees them (world/). */
  readonly world: World;

  constructor(options: KernelOptions = {}) {
    this.options = options;
    this.world = options.deterministic
      ? new DeterministicWorld(() => this.instructions, { seed: options.seed ?? 0n, dateNs: options.dateNs ?? DEFAULT_DATE_NS })
      : new HostWorld();
    this.memory = options.memoryLimit !== undefined ? new MemoryBudget(options.memoryLimit) : null;
    this.notes = [...(options.notes ?? [])];
    this.root = options.sysroot;
  }

  /** Charges host work done for a guest against --max-insns (host-work.ts gives the prices). */
  charge(units: number): void {
    this.hostWork += units;
  }

  /** FdMeter: every descriptor table of the run charges its allocations here. */
  chargeFdAllocation(): void {
    this.hostWork += HOST_WORK_PRICES.fdAllocation;
  }

  /** The last pid or tid given out (/proc/loadavg). */
  get lastId(): number {
    return this.nextId - 1;
  }

  /** A fresh pid or tid (one number space, as in Linux). */
  allocateId(): number {
    return this.nextId++;
  }

  /**
   * Loads a riscv64 ELF (and its dynamic loader, when it names one) and creates a process for it. No guest instruction runs before the
   * current JavaScript turn ends, so anything attached right after spawn sees the whole run.
   */
  spawn(file: string, argv: string[], opts: SpawnOptions = {}): Process {
    const hostCwd = path.resolve(this.options.cwd ?? process.cwd());
    if (opts.image) return this.spawnImage(file, opts.image, hostCwd, opts);
    const hostPath = path.resolve(hostCwd, file);
    let bytes: Uint8Array;
    let exe = { guestPath: hostPath, hostPath };
    // The first program's parse when choosing a fallback sysroot needed one: not parsed twice.
    let parsed: { bytes: Uint8Array; image: ElfImage } | null = null;
    // With a sysroot, an absolute path is the guest's first (the guest's / is the sysroot):
    // `--sysroot DIR /usr/bin/lua5.4` runs DIR's lua, not the host's; a path the guest does not
    // see is the host's, as without one.
    const inSysroot = this.programInSysroot(file, hostCwd);
    if (inSysroot) {
      ({ bytes, ...exe } = inSysroot);
    } else {
      try {
        // Only a regular file can be a program (Linux: EACCES): reading /dev/zero or a FIFO whole
        // would never end.
        if (!statSync(hostPath).isFile()) throw Object.assign(new Error("not a regular file"), { code: "EACCES" });
        bytes = readFileSync(hostPath);
      } catch (e) {
        throw new SpawnError(`${file}: ${describeHostError(e)}`);
      }
      if (!this.vfs) parsed = this.chooseFallbackSysroot(bytes);
    }

    if (!this.vfs) this.makeVfs(this.hostMounts(hostCwd), hostPath, hostPath);

    // A `#!` script runs its interpreter, found in the guest's file system as execve finds it.
    let programArgv: (string | Uint8Array)[] = argv;
    if (isScript(bytes)) {
      const script = this.scriptInterpreter(file, hostCwd, hostPath, bytes);
      bytes = script.bytes;
      exe = script;
      programArgv = [script.interpreter, ...script.arg, file, ...argv.slice(1)];
    }
    let image;
    try {
      image = parsed?.bytes === bytes ? parsed.image : parseElf(bytes);
    } catch (e) {
      if (e instanceof ElfError) throw new SpawnError(`${file}: ${e.message}`);
      throw e;
    }

    const interp = image.interpreter !== null ? this.dynamicLoader(file, hostCwd, exe.guestPath, image.interpreter) : null;
    const env = opts.env ?? {};
    const loaded = this.load(file, () => loadImage(image, bytes, programArgv, Object.entries(env).map(([k, v]) => `${k}=${v}`), file, this.world, this.memory, interp, exe.guestPath));
    this.checkFits(loaded, file);
    return this.startProcess(loaded, exe, hostCwd, opts);
  }

  /**
   * An absolute program path looked up in the guest's file system, when there is a sysroot; null
   * when there is none or the guest has no such program (then the host's path is tried).
   */
  private programInSysroot(file: string, hostCwd: string): { bytes: Uint8Array; guestPath: string; hostPath: string } | null {
    if (this.sysroot === undefined || !path.isAbsolute(file)) return null;
    if (!this.vfs) this.makeVfs(this.hostMounts(hostCwd), "", "");
    const guestPath = toBytePath(file);
    const read = this.readGuestProgram(hostCwd, guestPath, guestPath);
    return typeof read === "number" ? null : read;
  }

  /** The sysroot at "/" first (the others are placed over it), the working directory, the --mounts. */
  private hostMounts(hostCwd: string): Mount[] {
    const root: Mount[] = this.sysroot !== undefined ? [{ host: this.sysroot, guest: "/", readOnly: true }] : [];
    const tmp: Mount[] = this.options.tmp !== undefined ? [{ host: this.options.tmp, guest: "/tmp", readOnly: false }] : [];
    return [...root, { host: hostCwd, guest: hostCwd, readOnly: false }, ...tmp, ...(this.options.mounts ?? [])];
  }

  /**
   * With no sysroot, a dynamic first program whose loader is in KernelOptions.fallbackSysroot gets
   * that directory as its sysroot, as if it had been given. Anything else (a script, a static or
   * unreadable ELF, a loader the directory lacks) leaves the run without one: the usual errors follow.
   * Returns the program's parse when it made one (spawn uses it rather than parsing again).
   */
  private chooseFallbackSysroot(bytes: Uint8Array): { bytes: Uint8Array; image: ElfImage } | null {
    const fallback = this.options.fallbackSysroot;
    if (this.sysroot !== undefined || fallback === undefined || isScript(bytes)) return null;
    let image: ElfImage;
    try {
      image = parseElf(bytes);
    } catch (e) {
      if (e instanceof ElfError) return null;
      throw e;
    }
    const parsed = { bytes, image };
    const interpreter = image.interpreter;
    if (interpreter === null || !rootHasProgram(fallback, interpreter)) return parsed;
    this.root = fallback;
    this.notes.push(`dynamic program and no --sysroot: ${fallback} is the guest's / (as with --sysroot ${fallback}); the loader ${fromBytePath(interpreter)} and the libraries come from there`);
    return parsed;
  }

  /** spawn of a program given as bytes, in a file system without host mounts if the kernel is hostless. */
  private spawnImage(file: string, given: SpawnImage, hostCwd: string, opts: SpawnOptions): Process {
    if (!this.vfs) this.makeVfs(this.options.hostless ? [] : this.hostMounts(hostCwd), "", "");
    let image;
    try {
      image = parseElf(given.bytes);
    } catch (e) {
      if (e instanceof ElfError) throw new SpawnError(`${file}: ${e.message}`);
      throw e;
    }
    const interp = image.interpreter === null ? null
      : given.interpreter ? this.givenLoader(file, image.interpreter, given.interpreter)
      : this.dynamicLoader(file, hostCwd, given.guestPath, image.interpreter);
    const loaded = this.load(file, () => loadImage(image, given.bytes, given.argv, given.envp, given.execfn, this.world, this.memory, interp, given.guestPath));
    this.checkFits(loaded, file);
    return this.startProcess(loaded, { guestPath: given.guestPath, hostPath: "" }, hostCwd, opts);
  }

  /** Runs loadImage; an image that cannot be laid out (no room for the interpreter) is a SpawnError. */
  private load(file: string, f: () => ReturnType<typeof loadImage>): ReturnType<typeof loadImage> {
    try {
      return f();
    } catch (e) {
      if (e instanceof ElfError) throw new SpawnError(`${file}: ${e.message}`);
      throw e;
    }
  }

  /**
   * The dynamic loader named by a program's PT_INTERP, found in the guest's file system as execve
   * finds it; a missing or unusable one is a SpawnError of one line, as a shell reports it.
   */
  private dynamicLoader(file: string, hostCwd: string, exeGuestPath: string, interpreter: string): Interpreter {
    const shown = fromBytePath(interpreter);
    const read = this.readGuestProgram(hostCwd, exeGuestPath, interpreter);
    if (typeof read === "number") throw new SpawnError(`${file}: interpreter ${shown}: ${strerror(-read)}`);
    try {
      const loader = { image: parseInterpreter(read.bytes), bytes: read.bytes };
      this.spawnedLoader = read.bytes;
      return loader;
    } catch (e) {
      if (e instanceof ElfError) throw new SpawnError(`${file}: interpreter ${shown}: ${e.message}`);
      throw e;
    }
  }

  /** A dynamic loader given as bytes (a replay's, from its recording). */
  private givenLoader(file: string, interpreter: string, bytes: Uint8Array): Interpreter {
    try {
      const loader = { image: parseInterpreter(bytes), bytes };
      this.spawnedLoader = bytes;
      return loader;
    } catch (e) {
      if (e instanceof ElfError) throw new SpawnError(`${file}: interpreter ${fromBytePath(interpreter)}: ${e.message}`);
      throw e;
    }
  }

  /** Reads a program file through the guest's file system (execute permission needed), or -errno. */
  private readGuestProgram(hostCwd: string, exeGuestPath: string, guestPath: string): { bytes: Uint8Array; guestPath: string; hostPath: string } | number {
    const fds = new FdTable();
    const opened = this.vfs.openExec({ cwd: toBytePath(hostCwd), exe: toBytePath(exeGuestPath), fds }, guestPath);
    if (typeof opened === "number") return opened;
    try {
      const st = opened.file.stat();
      const size = typeof st === "number" ? 0 : Number(st.size);
      const buf = new Uint8Array(size);
      const n = opened.file.pread(buf, 0);
      if (typeof n !== "number") return -E.EIO;
      if (n < 0) return n;
      return { bytes: buf.subarray(0, n), guestPath: opened.path, hostPath: opened.hostPath };
    } finally {
      opened.file.close();
    }
  }

  /** A program whose image alone does not fit in --memory-limit does not start. */
  private checkFits(loaded: ReturnType<typeof loadImage>, file: string): void {
    if (!this.memory?.exceeded) return;
    loaded.mem.release();
    throw new SpawnError(`${file}: does not fit in the memory limit (${this.options.memoryLimit} bytes)`);
  }

  /** The first process of a loaded program: standard streams, ids, the first task, runnable. */
  private startProcess(loaded: ReturnType<typeof loadImage>, exe: { guestPath: string; hostPath: string }, hostCwd: string, opts: SpawnOptions): Process {
    const world = this.world;
    const fds = new FdTable();
    fds.meter = this;
    fds.limit = initialFdLimit(this.options);
    this.outputLimit ??= this.options.maxOutput === undefined ? null : { remaining: this.options.maxOutput, reached: () => outputLimitReached(this) };
    const stdio = this.vfs.stdioFiles(
      { stdin: opts.stdin ?? "inherit", stdout: opts.stdout ?? "inherit", stderr: opts.stderr ?? "inherit" },
      { deterministic: world.deterministic, output: this.outputLimit },
    );
    stdio.forEach((f, fd) => fds.installAt(fd, f, false));
    if (world.deterministic && stdio[0].isTerminal?.()) world.noteHostInput("stdin is a terminal: what a read returns is what was typed");

    const pid = this.allocateId();
    const proc = new Process(this, pid, 1, loaded.mem, fds);
    proc.cwd = opts.cwd ?? hostCwd;
    proc.exePath = fromBytePath(exe.guestPath);
    proc.exeHostPath = exe.hostPath;
    noteImage(proc, loaded.sp);
    noteStart(proc, world.monotonicNs());
    this.initProcess ??= proc;
    const task = new Task(this, pid, proc);
    task.hart.pc = loaded.entry;
    task.hart.setXNumber(2, loaded.sp);
    proc.tasks.push(task);
    this.processes.set(pid, proc);
    this.tasks.set(pid, task);
    this.scheduler.makeRunnable(task);
    this.scheduler.start();
    armTimeout(this);
    return proc;
  }

  private makeVfs(mounts: Mount[], exeHostPath: string, exeGuestPath: string): void {
    // Host files are reached through /proc/PID/fd (vfs/host-ref.ts): without /proc, nothing can be.
    if (!existsSync(`/proc/${process.pid}/fd`)) throw new SpawnError("the host's /proc is not mounted; rvtrace needs it to reach files safely");
    const world = this.world;
    const det = world.deterministic;
    this.vfs = new Vfs({
      mounts,
      exeHostPath,
      exeGuestPath,
      // A deterministic run has no terminal of its own to offer (/dev/tty would read the keyboard).
      hostHasTty: !det && (isTerminal(0) || isTerminal(1)),
      memory: this.memory,
      maxHostFds: this.options.maxHostFds,
      random: (buf) => world.random(buf),
      syntheticTime: det ? Number(world.realtimeNs() / 1_000_000_000n) : undefined,
      now: () => timespecFromNs(world.realtimeNs()),
      generated: generatedTrees(this, {
        uid: world.uid,
        gid: world.gid,
        user: det ? "user" : hostUserName(),
        hostname: UTSNAME.nodename,
        // A deterministic run is in UTC whatever the host's zone (as its clock starts at --date).
        localtime: (det ? null : hostTimezone()) ?? utcTzif(),
      }),
      // The run's private tmpfs: /tmp (unless --tmp gives a host directory) and /dev/shm.
      memoryFs: this.options.tmp !== undefined ? ["/dev/shm"] : ["/tmp", "/dev/shm"],
      cred: { uid: world.uid, gid: world.gid },
    });
    // A write to a pipe nobody reads: EPIPE, and SIGPIPE to the writer (which ends it by default).
    this.vfs.onBrokenPipe = (t) => sendSignal(this, t, { signo: SIGPIPE, code: 0 /* SI_USER */, pid: t.process.pid, uid: this.world.uid });
  }

  /** The interpreter of a `#!` script given to spawn: its bytes, paths and argv head. */
  private scriptInterpreter(file: string, hostCwd: string, hostPath: string, bytes: Uint8Array) {
    const line = parseShebang(bytes.subarray(0, BINPRM_BUF_SIZE));
    if (!line) throw new SpawnError(`${file}: no interpreter on its #! line`);
    const shown = fromBytePath(line.interpreter);
    const read = this.readGuestProgram(hostCwd, hostPath, line.interpreter);
    if (typeof read === "number") throw new SpawnError(`${file}: interpreter ${shown}: ${read === -E.EIO ? "cannot be read" : strerror(-read)}`);
    if (isScript(read.bytes)) throw new SpawnError(`${file}: interpreter ${shown} is itself a script`);
    return { ...read, interpreter: pathToBytes(line.interpreter), arg: line.arg !== null ? [pathToBytes(line.arg)] : [] };
  }

  // ======================= the API the syscalls, engines and the CLI use =======================

  /** Sends a signal to one task (tgkill, faults, engines). */
  sendSignal(t: Task, info: SignalInfo): void {
    sendSignal(this, t, info);
  }

  /** Sends a signal to a process as a whole (kill): any thread that does not block it takes it. */
  sendProcessSignal(p: Process, info: SignalInfo): void {
    sendProcessSignal(this, p, info);
  }

  /** exit(2): this thread exits; the process ends with its last thread. */
  exitThread(t: Task, code: number): void {
    exitThread(t, code);
  }

  /** exit_group(2): the caller exits with `code`; every other thread of its process is killed. */
  exitGroup(t: Task, code: number): void {
    exitGroup(this, t, code);
  }

  /** Ends a whole process by a signal from outside (SIGKILL, SIGXCPU): nothing may hold its tasks. */
  killProcess(proc: Process, signo: number, core = false): void {
    killProcess(this, proc, signo, core);
  }

  /** The host terminal's foreground process group (tcsetpgrp), or null: the first process's group. */
  private foreground: number | null = null;

  foregroundPgid(): number {
    return this.foreground ?? this.initProcess?.pgid ?? 0;
  }

  setForegroundPgid(pgid: number): void {
    this.foreground = pgid;
  }

  /**
   * A signal that reached rvtrace itself from its terminal or from another host process (SIGINT on
   * ^C, SIGTSTP on ^Z, SIGTERM, SIGHUP, SIGWINCH, SIGCONT): it goes where a terminal would send it,
   * to every process of the foreground group, or to the first process when none is left there.
   */
  hostSignal(signo: number): void {
    this.world.noteHostInput(`signal ${signo} from the host`);
    this.onHostEvent?.({ kind: "signal", signo });
    const pgid = this.foregroundPgid();
    const group = [...this.processes.values()].filter((p) => p.pgid === pgid && p.alive);
    const targets = group.length > 0 ? group : this.initProcess?.alive ? [this.initProcess] : [];
    const stop = signo === SIGSTOP || signo === SIGTSTP || signo === SIGTTIN || signo === SIGTTOU;
    for (const p of targets) {
      if (stop) p.hostStopSent = true;
      this.sendProcessSignal(p, { signo, code: 0x80 /* SI_KERNEL */ });
    }
  }

  // ======================= UtraceHost =======================

  park(t: Task): void {
    t.state = "stopped";
  }

  unpark(t: Task): void {
    if (t.state === "stopped") this.scheduler.makeRunnable(t);
  }

  notifyResume(t: Task): void {
    this.scheduler.notifyResume(t);
  }

  interrupt(t: Task): void {
    interruptSyscall(this, t);
  }

  setStepping(t: Task, mode: number): void {
    t.hart.stepMode = mode === UTRACE_SINGLESTEP ? StepMode.Single : mode === UTRACE_BLOCKSTEP ? StepMode.Block : StepMode.None;
  }

  findTask(pid: number): Task | undefined {
    return this.tasks.get(pid);
  }

  isKilled(t: Task): boolean {
    return t.killed;
  }

  isDead(t: Task): boolean {
    return t.state === "dead";
  }

  isReaped(t: Task): boolean {
    return t.reaped;
  }

  signalIgnored(signo: number, handler: bigint): boolean {
    return handler === SIG_IGN || (handler === SIG_DFL && ["ignore", "continue", "stop"].includes(defaultAction(signo)));
  }

  diagnostics(line: string): void {
    (this.options.diagnostics ?? process.stderr).write(line + "\n");
  }

  /** A bug in rvtrace itself: one line naming the guest pc and what was running; the process dies. */
  internalError(t: Task, what: string, e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.diagnostics(`rvtrace: internal error in ${what} at pc 0x${t.hart.pc.toString(16)}: ${msg}`);
    killProcess(this, t.process, SIGKILL);
  }
}

/** The host user's name, for the guest's /etc/passwd ("user" when the host has none to give). */
function hostUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return "user";
  }
}

function describeHostError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case "ENOENT": return "No such file or directory";
    case "EACCES": return "Permission denied";
    case "EISDIR": return "Is a directory";
    default: return e instanceof Error ? e.message : String(e);
  }
}
