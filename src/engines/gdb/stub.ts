// The protocol side of the gdb stub: gdb's packets in, replies out, the GdbTarget doing the work.
// All-stop mode: a stop reply (`T05thread:…;`) is sent when the first thread stops after a resume,
// and every other thread is held with it. Packets not listed here get the empty reply, which
// tells gdb "not supported" (gdb then does without: watchpoints become software watchpoints that
// single-step the program).
import { GuestFault } from "../../mem/address-space.js";
import { fromHex, fromLeHex, leHex, toHex } from "./rsp.js";
import { gdbSignal, linuxSignal } from "./signals.js";
import { REGISTER_COUNT, TARGET_XML, readRegister, registerSize, writeRegister } from "./registers.js";
import type { GdbTarget, GdbThread, ResumeRequest } from "./target.js";

/** How the program ended: an exit code or a killing signal (Linux number). */
export type GdbExit = { exitCode: number; signal: null } | { exitCode: null; signal: number };

export interface StubIo {
  /** Sends one reply payload (framing is the connection's business). */
  send(payload: string): void;
  /** Ends the program at once (gdb's kill). */
  kill(): void;
  /** gdb detached: the program runs on untraced. */
  detached(): void;
}

const SIGTRAP = 5;
const hex2 = (n: number): string => (n & 0xff).toString(16).padStart(2, "0");
const ERR_FAULT = "E0e"; // EFAULT
const ERR_ARG = "E16"; // EINVAL

export class GdbStub {
  /** gdb waits for a stop reply (the program runs). */
  private running = false;
  /** The thread of the last stop reply: its signal is gdb's to pass on; others keep theirs. */
  private reported: GdbThread | null = null;
  private exit: GdbExit | null = null;
  private gThread = 0;
  private cThread = 0;
  /** gdb attached to the running program: its packets wait here until the first thread stops. */
  private attaching: string[] | null = null;

  constructor(private readonly target: GdbTarget, private readonly io: StubIo) {
    target.onStop = (t) => this.threadStopped(t);
  }

  /** A thread stopped for gdb; only the first stop after a resume is reported. */
  private threadStopped(thread: GdbThread): void {
    if (!this.running || this.exit) return;
    this.running = false;
    this.reported = thread;
    this.gThread = thread.task.tid;
    this.target.stopAll(0);
    // The stop that attaching made is gdb's answer to its `?`, not a reply of its own.
    if (this.attaching) this.endAttach();
    else this.io.send(this.stopReply(thread));
  }

  /**
   * gdb connected to a program that runs: stop every thread. The first to stop is the current
   * thread and reports SIGTRAP, as gdbserver reports an attach (its SIGSTOP becomes a SIGTRAP,
   * which gdb takes as "stopped, nothing to pass on"). Packets wait until then, so that gdb's
   * first questions (`?`, registers, threads) see a stopped program.
   */
  attach(): void {
    if (this.exit) return;
    this.attaching = [];
    this.running = true;
    this.target.stopAll(SIGTRAP);
  }

  private endAttach(): void {
    const queued = this.attaching ?? [];
    this.attaching = null;
    for (const p of queued) this.handle(p);
  }

  private stopReply(thread: GdbThread): string {
    return `T${hex2(gdbSignal(thread.stopSignal || 5))}thread:${thread.task.tid.toString(16)};`;
  }

  private exitReply(e: GdbExit): string {
    return e.signal !== null ? `X${hex2(gdbSignal(e.signal))}` : `W${hex2(e.exitCode)}`;
  }

  /** The program ended: gdb hears it now if it waits, else at its next question. */
  exited(e: GdbExit): void {
    this.exit = e;
    if (this.attaching) {
      // It ended before any thread stopped: gdb's queued questions get the exit as answer.
      this.running = false;
      this.endAttach();
    } else if (this.running) {
      this.running = false;
      this.io.send(this.exitReply(e));
    }
  }

  /** gdb's Ctrl-C. */
  interrupt(): void {
    if (this.running && !this.attaching) this.target.interrupt();
  }

  private thread(id: number): GdbThread | undefined {
    if (id > 0) return this.target.threads.get(id);
    return this.reported && this.target.threads.has(this.reported.task.tid)
      ? this.reported : this.target.threads.values().next().value;
  }

  /** Handles one packet; a reply is sent unless the packet resumed the program. */
  handle(packet: string): void {
    if (this.attaching) {
      this.attaching.push(packet);
      return;
    }
    const reply = this.reply(packet);
    if (reply !== null) this.io.send(reply);
  }

  private reply(p: string): string | null {
    try {
      return this.dispatch(p);
    } catch (e) {
      if (e instanceof GuestFault) return ERR_FAULT;
      if (e instanceof RangeError || (e instanceof Error && e.message.startsWith("bad hex"))) return ERR_ARG;
      throw e;
    }
  }

  private dispatch(p: string): string | null {
    if (this.exit && /^[?cCsSv]/.test(p) && !p.startsWith("vMustReplyEmpty") && !p.startsWith("vCont?")) {
      return this.exitReply(this.exit);
    }
    switch (p[0]) {
      case "?": {
        const t = this.thread(0);
        return t ? this.stopReply(t) : "W00";
      }
      case "g": return this.readAllRegisters();
      case "G": return this.writeAllRegisters(p.slice(1));
      case "p": {
        const n = parseInt(p.slice(1), 16);
        if (!(n >= 0 && n < REGISTER_COUNT)) return ERR_ARG;
        return leHex(readRegister(this.regThread().regs, n), registerSize(n));
      }
      case "P": {
        const [num, val] = p.slice(1).split("=");
        const n = parseInt(num, 16);
        if (!(n >= 0 && n < REGISTER_COUNT) || val === undefined) return ERR_ARG;
        writeRegister(this.regThread().regs, n, fromLeHex(val));
        return "OK";
      }
      case "m": {
        const [addr, len] = p.slice(1).split(",").map((x) => parseInt(x, 16));
        return toHex(this.target.readMemory(addr, Math.min(len, 0x1000)));
      }
      case "M": {
        const [where, data] = p.slice(1).split(":");
        const [addr] = where.split(",").map((x) => parseInt(x, 16));
        this.target.writeMemory(addr, fromHex(data));
        return "OK";
      }
      case "X": {
        const colon = p.indexOf(":");
        const [addr, len] = p.slice(1, colon).split(",").map((x) => parseInt(x, 16));
        const data = Buffer.from(p.slice(colon + 1), "latin1");
        if (data.length !== len) return ERR_ARG;
        if (len > 0) this.target.writeMemory(addr, Uint8Array.from(data));
        return "OK";
      }
      case "Z":
      case "z": {
        const [type, addr, kind] = p.slice(1).split(",");
        if (type !== "0") return ""; // hardware breakpoints and watchpoints: gdb does them in software
        const a = parseInt(addr, 16);
        if (p[0] === "Z") this.target.insertBreakpoint(a, parseInt(kind, 16));
        else this.target.removeBreakpoint(a);
        return "OK";
      }
      case "H": {
        const id = parseThreadId(p.slice(2));
        if (id > 0 && !this.target.threads.has(id)) return "E01";
        if (p[1] === "g") this.gThread = id;
        else this.cThread = id;
        return "OK";
      }
      case "T": return this.target.threads.has(parseThreadId(p.slice(1))) ? "OK" : "E01";
      case "c": case "s": return this.resumeAll(p[0] === "s", 0);
      case "C": case "S": return this.resumeAll(p[0] === "S", linuxSignal(parseInt(p.slice(1).split(";")[0], 16)));
      case "k":
        this.io.kill();
        return null;
      case "D":
        this.target.detach();
        this.io.detached();
        return "OK";
      case "q": return this.query(p);
      case "Q": return p === "QStartNoAckMode" ? "OK" : "";
      case "v": return this.vPacket(p);
      default: return "";
    }
  }

  private regThread(): GdbThread {
    const t = this.thread(this.gThread);
    if (!t) throw new RangeError("no such thread");
    return t;
  }

  private readAllRegisters(): string {
    const regs = this.regThread().regs;
    let out = "";
    for (let n = 0; n < REGISTER_COUNT; n++) out += leHex(readRegister(regs, n), registerSize(n));
    return out;
  }

  private writeAllRegisters(data: string): string {
    const regs = this.regThread().regs;
    let at = 0;
    for (let n = 0; n < REGISTER_COUNT && at < data.length; n++) {
      const w = registerSize(n) * 2;
      writeRegister(regs, n, fromLeHex(data.slice(at, at + w)));
      at += w;
    }
    return "OK";
  }

  private query(p: string): string {
    if (p.startsWith("qSupported")) {
      return "PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;vContSupported+";
    }
    if (p.startsWith("qXfer:features:read:target.xml:")) {
      const [off, len] = p.slice("qXfer:features:read:target.xml:".length).split(",").map((x) => parseInt(x, 16));
      const chunk = TARGET_XML.slice(off, off + len);
      return (off + len >= TARGET_XML.length ? "l" : "m") + chunk;
    }
    if (p.startsWith("qXfer:features:read:")) return "E00";
    if (p === "qfThreadInfo") {
      const ids = [...this.target.threads.keys()].map((t) => t.toString(16));
      return ids.length ? `m${ids.join(",")}` : "l";
    }
    if (p === "qsThreadInfo") return "l";
    if (p === "qC") {
      const t = this.thread(this.gThread);
      return t ? `QC${t.task.tid.toString(16)}` : "";
    }
    if (p === "qAttached") return "0"; // rvtrace started the program: gdb's quit kills it
    if (p.startsWith("qSymbol")) return "OK";
    return "";
  }

  private vPacket(p: string): string | null {
    if (p === "vCont?") return "vCont;c;C;s;S";
    if (p.startsWith("vCont;")) return this.vCont(p.slice(6).split(";"));
    if (p.startsWith("vKill")) {
      this.io.kill();
      return "OK";
    }
    return "";
  }

  /** vCont;ACTION[:TID];…: the first action naming a thread (or none) applies to it. */
  private vCont(actions: string[]): string | null {
    const plan = new Map<GdbThread, ResumeRequest>();
    for (const a of actions) {
      const [what, tid] = a.split(":");
      const req: ResumeRequest = { step: what[0] === "s" || what[0] === "S", signal: 0 };
      if (what[0] === "C" || what[0] === "S") req.signal = linuxSignal(parseInt(what.slice(1), 16));
      else if (what[0] !== "c" && what[0] !== "s") return ""; // t, r: not supported
      const targets = tid === undefined || parseThreadId(tid) <= 0
        ? [...this.target.threads.values()] : [this.target.threads.get(parseThreadId(tid))].filter((x) => x !== undefined);
      for (const t of targets) if (!plan.has(t)) plan.set(t, req);
    }
    return this.start(plan);
  }

  /** c/s/C/S: the Hc thread (or the reported one) does that, the others continue. */
  private resumeAll(step: boolean, signal: number): string | null {
    const main = this.thread(this.cThread);
    const plan = new Map<GdbThread, ResumeRequest>();
    if (main) plan.set(main, { step, signal });
    for (const t of this.target.threads.values()) if (!plan.has(t)) plan.set(t, { step: false, signal: 0 });
    return this.start(plan);
  }

  private start(plan: Map<GdbThread, ResumeRequest>): string | null {
    if (plan.size === 0) return "E01";
    this.running = true;
    const reported = this.reported;
    this.reported = null;
    for (const [t, req] of plan) {
      // A signal a thread took while held for another thread's stop is given back to it.
      const signal = t === reported ? req.signal : req.signal || t.heldSignal;
      this.target.resume(t, { step: req.step, signal });
    }
    return null;
  }
}

/** A thread id as gdb writes it: hex, -1 for all, 0 for any (pPID.TID forms keep the TID). */
function parseThreadId(s: string): number {
  const id = s.includes(".") ? s.split(".")[1] : s.replace(/^p/, "");
  if (id === "-1") return -1;
  const n = parseInt(id, 16);
  return Number.isNaN(n) ? 0 : n;
}
