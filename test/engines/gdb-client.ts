// A minimal gdb remote-protocol client for the stub's tests: starts `rvtrace run --gdb-wait 0`
// (or `--gdb 0`, to attach to a running program), reads the port it prints, and sends packets one at a time, waiting for each reply (acks on).
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
export const GUESTS = path.join(ROOT, "guests");
const CLI = path.join(ROOT, "bin", "rvtrace.js");

export interface Debuggee {
  child: ChildProcess;
  port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves once the program has printed `text` on its stdout. */
  printed(text: string): Promise<void>;
  /** rvtrace's exit status. */
  status: Promise<number | null>;
}

/**
 * Starts rvtrace with the gdb stub on a port the system picks; resolves when it listens. By
 * default the program is held for gdb (--gdb-wait); with "--gdb" it runs at once.
 */
export function startDebuggee(args: string[], option: "--gdb-wait" | "--gdb" = "--gdb-wait"): Promise<Debuggee> {
  const child = spawn(process.execPath, [CLI, "run", option, "0", ...args], { cwd: GUESTS, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  const printed = async (text: string) => {
    while (!out.includes(text)) await new Promise((r) => child.stdout!.once("data", r));
  };
  const status = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      err += d;
      const m = /127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve({ child, port: Number(m[1]), stdout: () => out, stderr: () => err, status, printed });
    });
    child.on("close", () => reject(new Error(`rvtrace ended before listening: ${err}`)));
  });
}

const sum = (s: string) => [...Buffer.from(s, "latin1")].reduce((a, b) => (a + b) & 0xff, 0);

export class RspClient {
  private buf = "";
  private waiters: (() => void)[] = [];
  readonly acks: string[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (d) => {
      this.buf += d.toString("latin1");
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(port: number): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => resolve(new RspClient(s)));
      s.on("error", reject);
    });
  }

  /** The next packet from the stub (its ack characters are kept in `acks`). */
  async next(): Promise<string> {
    for (;;) {
      while (this.buf[0] === "+" || this.buf[0] === "-") {
        this.acks.push(this.buf[0]);
        this.buf = this.buf.slice(1);
      }
      const m = /^\$([^#]*)#([0-9a-f]{2})/.exec(this.buf);
      if (m) {
        this.buf = this.buf.slice(m[0].length);
        if (parseInt(m[2], 16) !== sum(m[1])) throw new Error(`bad checksum in ${m[0]}`);
        this.socket.write("+");
        return m[1].replace(/}(.)/g, (_, c: string) => String.fromCharCode(c.charCodeAt(0) ^ 0x20));
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Sends a packet; resolves with its reply. */
  async ask(payload: string): Promise<string> {
    this.send(payload);
    return this.next();
  }

  send(payload: string): void {
    this.socket.write(`$${payload}#${sum(payload).toString(16).padStart(2, "0")}`);
  }

  /** Bytes as they are, unframed. */
  raw(text: string): void {
    this.socket.write(Buffer.from(text, "latin1"));
  }

  /** Ctrl-C. */
  interrupt(): void {
    this.socket.write(Buffer.of(3));
  }

  close(): void {
    this.socket.end();
  }
}

/** A little-endian hex register value as a number. */
export function leValue(hex: string): bigint {
  let v = 0n;
  for (let i = hex.length - 2; i >= 0; i -= 2) v = (v << 8n) | BigInt(parseInt(hex.slice(i, i + 2), 16));
  return v;
}
