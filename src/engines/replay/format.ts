// The recording file (docs/record-format.md): what `rvtrace record` writes and `rvtrace replay`
// reads. A magic line and the format's version, then one gzip stream of items, each a type byte,
// its payload's length and the payload: the header (the program image and how it was started),
// blobs (programs a later execve read), one item per syscall and per host event in the order they
// happened, and an end item (a recording without one was cut short and is refused).
import { lazyZlib } from "./zlib.js";
import { ByteReader, ByteWriter, RecordFormatError } from "./bytes.js";
import type { SyscallWrite } from "../../utrace/syscall-writes.js";

export { RecordFormatError };

/** The first bytes of every recording. */
export const MAGIC = Buffer.from("RVTRACE-RECORDING\n", "latin1");
/** The version of the item layout below; a reader refuses other versions. */
export const FORMAT_VERSION = 1;
/** Who wrote a recording (in its header; shown when a replay diverges). */
export const WRITER = "rvtrace 0.1.0";

const ITEM_HEADER = 1;
const ITEM_BLOB = 2;
const ITEM_SYSCALL = 3;
const ITEM_EVENT = 4;
const ITEM_END = 5;

/** How a replay treats a recorded syscall (src/engines/replay/classify.ts decides when recording). */
export const enum Mode {
  /** Run it for real: it only touched the guest's own state; the result must come out the same. */
  Run = 0,
  /** Do not run it: give the recorded result and write the recorded bytes into guest memory. */
  Inject = 1,
  /** As Inject, and write the guest's data to rvtrace's own stdout (a write to the host's stdout). */
  Stdout = 2,
  /** The same, to stderr. */
  Stderr = 3,
  /** Run it, then write the recorded bytes (a mapping of a host file: the mapping is made, its bytes come from the recording). */
  RunWrites = 4,
}

export interface RecordHeader {
  writer: string;
  /** The name the program was started by (AT_EXECFN); the guest's own path is exePath. */
  execfn: Uint8Array;
  /** Where the guest sees the program (/proc/self/exe). */
  exePath: string;
  /** The guest's initial working directory. */
  cwd: string;
  argv: Uint8Array[];
  envp: Uint8Array[];
  /** The 16 bytes of AT_RANDOM. */
  random: Uint8Array;
  /** --max-insns, or 0. */
  maxInsns: number;
  /** The program's ELF file. Blob 0. */
  program: Uint8Array;
  /** The dynamic loader's ELF file when the program has a PT_INTERP (absent: none). */
  interpreter?: Uint8Array;
}

/** A program file an execve read: where, and its bytes (a blob index). */
export interface ExecFileRef {
  guestPath: string;
  blob: number;
}

export interface SyscallRecord {
  tid: number;
  nr: number;
  args: bigint[];
  mode: Mode;
  /** a0 at the syscall's exit; null when it never returned (exit, exit_group, killed while waiting). */
  result: bigint | null;
  /** Inject, Stdout/Stderr, RunWrites: the guest memory the kernel wrote, with its bytes. */
  writes: SyscallWrite[];
  /** Run: a checksum of the memory the call wrote (null: it wrote nothing), compared by the replay. */
  writesHash: number | null;
  /** Write-family calls to the host: a checksum of the bytes written, compared by the replay. */
  dataHash: number | null;
  /** An answered call that waited: the scheduler slice it came back in (the replay holds it until then); else 0. */
  resumeSlice: number;
  /** openat: the guest path of the descriptor opened (the replay's placeholder carries it). */
  path: string | null;
  /** execve: the program files read, program first, then `#!` interpreters. */
  execFiles: ExecFileRef[] | null;
  /** execve: the new image's AT_RANDOM bytes. */
  execRandom: Uint8Array | null;
  /** Stdout, Stderr of a call whose data is not in guest memory (sendfile from a host file): the bytes. */
  output: Uint8Array | null;
}

export type HostEventRecord =
  | { slice: number; insns: number; kind: "signal"; signo: number }
  | { slice: number; insns: number; kind: "timer"; pid: number; which: number };

export interface RecordEnd {
  /** rvtrace's exit status for the run (the guest's status, 128+N for a signal). */
  status: number;
  syscalls: number;
  events: number;
  /** Guest instructions run in all. */
  insns: number;
}

export interface Recording {
  header: RecordHeader;
  /** Program files by blob index (0 is the header's program). */
  blobs: Uint8Array[];
  syscalls: SyscallItems;
  events: HostEventRecord[];
  end: RecordEnd;
}

// Flag bits of a syscall item: which optional fields follow.
const HAS_RESULT = 1;
const HAS_WRITES = 2;
const HAS_WRITES_HASH = 4;
const HAS_DATA_HASH = 8;
const HAS_RESUME = 16;
const HAS_PATH = 32;
const HAS_EXEC_FILES = 64;
const HAS_EXEC_RANDOM = 128;
const HAS_OUTPUT = 256;

const EVENT_SIGNAL = 1;
const EVENT_TIMER = 2;

/** Writes a recording item by item, in memory; finish() gives the file's bytes. */
export class RecordWriter {
  private readonly body = new ByteWriter();
  private readonly item = new ByteWriter();
  /** Blobs by checksum and length (equal bytes are kept once: a program that execs itself). */
  private readonly blobIds = new Map<string, { bytes: Uint8Array; index: number }[]>();
  private nextBlob = 1;
  syscalls = 0;
  events = 0;

  constructor(header: RecordHeader) {
    const w = this.item;
    w.text(header.writer);
    w.bytes(header.execfn);
    w.text(header.exePath);
    w.text(header.cwd);
    w.varint(header.argv.length);
    for (const a of header.argv) w.bytes(a);
    w.varint(header.envp.length);
    for (const e of header.envp) w.bytes(e);
    w.raw(header.random);
    w.varint(header.maxInsns);
    w.bytes(header.program);
    // Empty when the program needs no loader; a reader of recordings without the field sees none.
    w.bytes(header.interpreter ?? new Uint8Array(0));
    this.blobIds.set(blobKey(header.program), [{ bytes: header.program, index: 0 }]);
    this.flush(ITEM_HEADER);
  }

  /** The blob index of a program file, adding it if it is new. */
  blob(bytes: Uint8Array): number {
    const key = blobKey(bytes);
    const same = this.blobIds.get(key) ?? [];
    const known = same.find((b) => Buffer.compare(b.bytes, bytes) === 0);
    if (known) return known.index;
    this.item.bytes(bytes);
    this.flush(ITEM_BLOB);
    same.push({ bytes, index: this.nextBlob });
    this.blobIds.set(key, same);
    return this.nextBlob++;
  }

  syscall(r: SyscallRecord): void {
    const w = this.item;
    let flags = 0;
    if (r.result !== null) flags |= HAS_RESULT;
    if (r.writes.length > 0) flags |= HAS_WRITES;
    if (r.writesHash !== null) flags |= HAS_WRITES_HASH;
    if (r.dataHash !== null) flags |= HAS_DATA_HASH;
    if (r.resumeSlice > 0) flags |= HAS_RESUME;
    if (r.path !== null) flags |= HAS_PATH;
    if (r.execFiles !== null) flags |= HAS_EXEC_FILES;
    if (r.execRandom !== null) flags |= HAS_EXEC_RANDOM;
    if (r.output !== null) flags |= HAS_OUTPUT;
    w.varint(r.tid);
    w.bigint(BigInt(r.nr));
    w.u8(r.mode);
    w.varint(flags);
    for (let i = 0; i < 6; i++) w.bigint(r.args[i] ?? 0n);
    if (r.result !== null) w.bigint(r.result);
    if (r.writes.length > 0) {
      w.varint(r.writes.length);
      for (const x of r.writes) {
        w.varint(x.addr);
        w.bytes(x.bytes);
      }
    }
    if (r.writesHash !== null) w.u32(r.writesHash);
    if (r.dataHash !== null) w.u32(r.dataHash);
    if (r.resumeSlice > 0) w.varint(r.resumeSlice);
    if (r.path !== null) w.latin1(r.path);
    if (r.execFiles !== null) {
      w.varint(r.execFiles.length);
      for (const f of r.execFiles) {
        w.latin1(f.guestPath);
        w.varint(f.blob);
      }
    }
    if (r.execRandom !== null) w.raw(r.execRandom);
    if (r.output !== null) w.bytes(r.output);
    this.flush(ITEM_SYSCALL);
    this.syscalls++;
  }

  event(e: HostEventRecord): void {
    const w = this.item;
    w.varint(e.slice);
    w.varint(e.insns);
    if (e.kind === "signal") {
      w.u8(EVENT_SIGNAL);
      w.varint(e.signo);
    } else {
      w.u8(EVENT_TIMER);
      w.varint(e.pid);
      w.varint(e.which);
    }
    this.flush(ITEM_EVENT);
    this.events++;
  }

  /** The file: the magic, the version and the compressed items, closed by the end item. */
  finish(status: number, insns: number): Buffer {
    const w = this.item;
    w.varint(status);
    w.varint(this.syscalls);
    w.varint(this.events);
    w.varint(insns);
    this.flush(ITEM_END);
    return Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION]), lazyZlib().gzipSync(this.body.view())]);
  }

  private flush(type: number): void {
    this.body.u8(type);
    this.body.bytes(this.item.view());
    this.item.reset();
  }
}

function blobKey(b: Uint8Array): string {
  return `${b.length}:${lazyZlib().crc32(b)}`;
}

/**
 * The syscall items of a recording, decoded when asked for: a long run has millions, and holding
 * them all as objects would cost the replay more in garbage collection than the replay itself.
 * Every item has been decoded once when the file was read, so a damaged one is found then.
 */
export class SyscallItems {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly tids: number[] = [];

  constructor(private readonly body: Uint8Array) {}

  get length(): number {
    return this.starts.length;
  }

  /** The thread id of item i (0-based). */
  tid(i: number): number {
    return this.tids[i];
  }

  /** Item i (0-based), decoded. */
  get(i: number): SyscallRecord {
    return readSyscall(new ByteReader(this.body.subarray(this.starts[i], this.ends[i]), `syscall item ${i + 1}`), Infinity);
  }

  /** Every item, decoded (for tools and tests; a replay takes them one by one). */
  all(): SyscallRecord[] {
    return this.starts.map((_, i) => this.get(i));
  }

  /** Adds the item at [start, end) of the body, checking it decodes. */
  add(start: number, end: number, blobCount: number): void {
    const r = readSyscall(new ByteReader(this.body.subarray(start, end), `syscall item ${this.length + 1}`), blobCount);
    this.starts.push(start);
    this.ends.push(end);
    this.tids.push(r.tid);
  }
}

/** Reads a recording; throws RecordFormatError (one line) when it is not one, or is damaged. */
export function readRecording(file: Uint8Array): Recording {
  const head = Buffer.from(file.subarray(0, MAGIC.length));
  if (file.length < MAGIC.length + 1 || !head.equals(MAGIC)) throw new RecordFormatError("not an rvtrace recording");
  const version = file[MAGIC.length];
  if (version !== FORMAT_VERSION) {
    throw new RecordFormatError(`recording format ${version} is not supported (this rvtrace reads format ${FORMAT_VERSION})`);
  }
  let body: Uint8Array;
  try {
    body = lazyZlib().gunzipSync(file.subarray(MAGIC.length + 1));
  } catch (e) {
    throw new RecordFormatError(`damaged (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
  const items = new ByteReader(body, "the recording");
  let header: RecordHeader | null = null;
  const blobs: Uint8Array[] = [];
  const syscalls = new SyscallItems(body);
  const events: HostEventRecord[] = [];
  let end: RecordEnd | null = null;
  while (!items.done) {
    const type = items.u8();
    const length = items.varint();
    const at = items.offset;
    const payload = items.view(length);
    if (end) throw new RecordFormatError("damaged (items after the end)");
    if (!header && type !== ITEM_HEADER) throw new RecordFormatError("damaged (no header)");
    switch (type) {
      case ITEM_HEADER:
        if (header) throw new RecordFormatError("damaged (two headers)");
        header = readHeader(new ByteReader(payload, "the header"));
        blobs.push(header.program);
        break;
      case ITEM_BLOB:
        blobs.push(new ByteReader(payload, "a program item").bytes());
        break;
      case ITEM_SYSCALL:
        syscalls.add(at, at + length, blobs.length);
        break;
      case ITEM_EVENT:
        events.push(readEvent(new ByteReader(payload, `event item ${events.length + 1}`)));
        break;
      case ITEM_END: {
        const r = new ByteReader(payload, "the end item");
        end = { status: r.varint(), syscalls: r.varint(), events: r.varint(), insns: r.varint() };
        if (end.syscalls !== syscalls.length || end.events !== events.length) {
          throw new RecordFormatError("damaged (the end item counts other items than there are)");
        }
        break;
      }
      default:
        throw new RecordFormatError(`damaged (unknown item type ${type})`);
    }
  }
  if (!header) throw new RecordFormatError("empty");
  if (!end) throw new RecordFormatError("cut short (no end item: the recording did not finish)");
  return { header, blobs, syscalls, events, end };
}

function readHeader(r: ByteReader): RecordHeader {
  const writer = r.text();
  const execfn = r.bytes();
  const exePath = r.text();
  const cwd = r.text();
  const argv = list(r, () => r.bytes());
  const envp = list(r, () => r.bytes());
  const random = r.raw(16);
  const maxInsns = r.varint();
  const program = r.bytes();
  const loader = r.done ? new Uint8Array(0) : r.bytes();
  return { writer, execfn, exePath, cwd, argv, envp, random, maxInsns, program, ...(loader.length > 0 ? { interpreter: loader } : {}) };
}

function readSyscall(r: ByteReader, blobCount: number): SyscallRecord {
  const tid = r.varint();
  const nr = Number(r.bigint());
  const mode = r.u8();
  if (mode > Mode.RunWrites) throw new RecordFormatError(`damaged (syscall mode ${mode})`);
  const flags = r.varint();
  const args: bigint[] = [];
  for (let i = 0; i < 6; i++) args.push(r.bigint());
  const result = flags & HAS_RESULT ? r.bigint() : null;
  const writes: SyscallWrite[] = flags & HAS_WRITES ? list(r, () => ({ addr: r.varint(), bytes: r.bytes() })) : [];
  const writesHash = flags & HAS_WRITES_HASH ? r.u32() : null;
  const dataHash = flags & HAS_DATA_HASH ? r.u32() : null;
  const resumeSlice = flags & HAS_RESUME ? r.varint() : 0;
  const path = flags & HAS_PATH ? r.latin1() : null;
  const execFiles = flags & HAS_EXEC_FILES
    ? list(r, () => {
      const guestPath = r.latin1();
      const blob = r.varint();
      if (blob >= blobCount) throw new RecordFormatError("damaged (an execve names a program that is not in the recording)");
      return { guestPath, blob };
    })
    : null;
  const execRandom = flags & HAS_EXEC_RANDOM ? r.raw(16) : null;
  const output = flags & HAS_OUTPUT ? r.bytes() : null;
  return { tid, nr, args, mode: mode as Mode, result, writes, writesHash, dataHash, resumeSlice, path, execFiles, execRandom, output };
}

function readEvent(r: ByteReader): HostEventRecord {
  const slice = r.varint();
  const insns = r.varint();
  const kind = r.u8();
  if (kind === EVENT_SIGNAL) return { slice, insns, kind: "signal", signo: r.varint() };
  if (kind === EVENT_TIMER) return { slice, insns, kind: "timer", pid: r.varint(), which: r.varint() };
  throw new RecordFormatError(`damaged (host event kind ${kind})`);
}

function list<T>(r: ByteReader, one: () => T): T[] {
  const n = r.varint();
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(one());
  return out;
}
