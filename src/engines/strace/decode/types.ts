// The types shared by the strace decoders: the options (strace's -s, -v, -x, -X, -y), the guest
// memory view, and the two-phase decoder shape (strace's entering/exiting SYS_FUNC halves).

/** strace's output options that change how arguments are printed. */
export interface DecodeOptions {
  /** -s N: the most bytes of a string or buffer printed (default 32); file names are never truncated. */
  stringLimit: number;
  /** -v: print structures unabbreviated. */
  verbose: boolean;
  /** -x: strings with non-ASCII bytes as \xNN; -xx: every byte as \xNN. */
  hexStrings: 0 | 1 | 2;
  /** -X: constants as names, raw numbers, or `0x41 /* O_WRONLY|O_CREAT *\/`. */
  constStyle: "abbrev" | "raw" | "verbose";
  /** -y: fd arguments as `3</path/to/file>`, AT_FDCWD as `AT_FDCWD</cwd>`. */
  decodeFds: boolean;
  /** The path behind a descriptor, for -y (undefined when it is not open or has none). */
  fdPath?: (fd: number) => string | undefined;
  /** The tracee's working directory, for -y on AT_FDCWD. */
  cwd?: () => string;
}

/** The tracee's memory as the decoder reads it. */
export interface GuestMemory {
  /** `len` bytes at `addr`, or null when any of them is unreadable (strace then prints the address). */
  read(addr: bigint, len: number): Uint8Array | null;
}

/** A syscall as the guest made it. */
export interface CallContext {
  nr: number;
  /** The 6 argument registers a0..a5 as the guest made the call. */
  args: readonly bigint[];
  mem: GuestMemory;
  /** The stack pointer at the call, for rt_sigreturn's `{mask=[...]}` (read from the signal frame). */
  sp?: bigint;
}

/** What a decoder sees at syscall entry. Arguments are the registers as unsigned 64-bit values. */
export interface Entry {
  readonly name: string;
  readonly nr: number;
  readonly args: readonly bigint[];
  readonly mem: GuestMemory;
  readonly o: DecodeOptions;
  readonly sp?: bigint;
}

/** What a decoder sees at syscall exit. */
export interface Exit extends Entry {
  /** a0 at exit, as an unsigned 64-bit value. */
  readonly ret: bigint;
  /** The call failed (a0 in -4095..-1): strace does not dereference its out-parameters then. */
  readonly failed: boolean;
}

/** An argument printed at exit. */
export type Deferred = (x: Exit) => string;

/**
 * One printed argument: text fixed at entry, text produced at exit (an out-parameter), or an
 * in/out argument whose entry text is followed at exit by more (`{...} => {...}`).
 */
export type Arg = string | Deferred | { readonly pre: string; readonly post: Deferred };

/** A decoded call: its arguments, optional extra arguments known only at exit, and the return text. */
export interface Decoded {
  args: Arg[];
  /** Arguments appended at exit with their own separators (clone's `parent_tid=[…]`, `tls=…`). */
  tail?: (x: Exit) => string[];
  /** The text after `= ` for a successful call (default: the return value in decimal). */
  ret?: (x: Exit) => string;
}

/** A decoder: the entering half runs now, and returns closures for the exiting half. */
export type Decoder = (e: Entry) => Decoded;

/** Decoders by syscall name. */
export type DecoderTable = Readonly<Record<string, Decoder>>;
