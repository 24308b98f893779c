// Types for tools/record-goldens.mjs, so the TypeScript test harnesses can import it.

export interface GuestCase {
  name: string;
  /** Path of the guest program, relative to guests/. */
  program: string;
  args: string[];
  stdin?: string;
  /** When present, the guest's exact environment; otherwise DEFAULT_ENV. */
  env?: Record<string, string>;
  /** "host": the expected output comes from a host build (tools/record-host-goldens.mjs), not qemu. */
  golden?: "host";
  /** "many": the program makes more than one task (threads, fork); its syscalls interleave. */
  tasks?: "many";
  /** A dynamic program's sysroot: qemu-riscv64 -L DIR, rvtrace --sysroot DIR. */
  sysroot?: string;
}

export interface RunResult {
  stdout: Buffer;
  stderr: Buffer;
  /** The exit code, or 128+N when signal N killed the process. */
  status: number;
}

export declare const ROOT: string;
export declare const GUESTS_DIR: string;
export declare const EXPECTED_DIR: string;
export declare const CASES_FILE: string;
export declare const DEFAULT_ENV: Readonly<Record<string, string>>;
export declare const TIMEOUT_MS: number;
/** bin/rvtrace.js, or $RVTRACE_CLI when set. */
export declare const RVTRACE_CLI: string;

export declare function loadCases(file?: string): GuestCase[];
export declare function caseEnv(c: GuestCase): Record<string, string>;
export declare function caseStdin(c: GuestCase): Buffer;
export declare function expectedPaths(name: string): { stdout: string; stderr: string; status: string };
export declare function readExpected(name: string): RunResult;
export declare function exitStatus(code: number | null, signal: NodeJS.Signals | null): number;
export declare function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: Buffer; timeoutMs?: number },
): Promise<RunResult>;
export declare function findQemu(): string | null;
export declare function stripQemuNoise(stderr: Buffer): Buffer;
export declare function qemuReversesEnv(qemu?: string | null): Promise<boolean>;
export declare function runUnderQemu(c: GuestCase, options?: { qemu?: string | null; timeoutMs?: number }): Promise<RunResult>;
export declare function rvtraceArgs(c: GuestCase): string[];
export declare function runUnderRvtrace(c: GuestCase, options?: { timeoutMs?: number }): Promise<RunResult>;
