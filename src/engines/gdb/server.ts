// The gdb stub on a TCP port of 127.0.0.1: one gdb connection at a time, acknowledgements until
// gdb asks for QStartNoAckMode, and the program's end reported and the socket closed.
// Two ways to start: `wait` holds the program before its first instruction until gdb connects
// (qemu-user's -g); otherwise the program runs at once, untraced, and gdb attaches whenever it
// connects: every thread is stopped then, as gdbserver --attach does. After a detach the port
// takes the next gdb, which attaches the same way.
import net from "node:net";
import type { Task } from "../../kernel/task.js";
import type { Utrace } from "../../utrace/utrace.js";
import { RspDecoder, framePacket } from "./rsp.js";
import { GdbStub, type GdbExit } from "./stub.js";
import { GdbTarget } from "./target.js";

export interface GdbServerOptions {
  utrace: Utrace;
  /** The program's first thread, held before its first instruction until the port is open. */
  leader: Task;
  port: number;
  /** Hold the program until gdb connects and resumes it (else it runs until gdb connects). */
  wait: boolean;
  /** Ends the program (gdb's kill, or gdb going away without detaching). */
  kill: () => void;
}

export interface GdbServer {
  /** The port listened on (useful with port 0). */
  readonly port: number;
  /** Resolves when gdb has connected. */
  readonly connected: Promise<void>;
  /** Tells gdb how the program ended and closes the port. */
  exited(e: GdbExit): Promise<void>;
}

/** Attaches the stub to `leader` and listens; resolves once the port is open. */
export async function startGdbServer(opts: GdbServerOptions): Promise<GdbServer> {
  // Held from here on, so that a port that cannot be opened leaves a program that never ran.
  const target = new GdbTarget(opts.utrace, opts.leader);
  const proc = opts.leader.process;
  const server = net.createServer();
  let socket: net.Socket | null = null;
  /** The connected gdb's stub. */
  let current: GdbStub | null = null;
  let exit: GdbExit | null = null;
  /** The program waits, held at its first instruction, for the first gdb (--gdb-wait). */
  let held = opts.wait;
  let onConnect!: () => void;
  const connected = new Promise<void>((resolve) => (onConnect = resolve));

  server.on("connection", (s) => {
    if (socket) {
      s.end(); // one debugger at a time
      return;
    }
    socket = s;
    /** This gdb detached: the program runs on untraced, and the port takes the next gdb. */
    let detached = false;
    s.setNoDelay(true);
    let ack = true;
    const decoder = new RspDecoder();
    const send = (payload: string) => {
      if (!s.destroyed) s.write(framePacket(payload));
    };
    const stub = new GdbStub(target, {
      send,
      kill: () => opts.kill(),
      detached: () => {
        detached = true;
        // free before the reply goes out, so that a gdb connecting after it is taken
        socket = null;
        current = null;
      },
    });
    current = stub;
    if (exit) stub.exited(exit);
    else if (!held) {
      // gdb attaches to a running program (--gdb, or any gdb after one detached): follow every
      // live thread, stop them all, and answer gdb's first packets once one has stopped (the
      // stub queues them until then).
      target.attachRunning(proc.tasks);
      stub.attach();
    }
    held = false;
    s.on("data", (chunk: Buffer) => {
      for (const ev of decoder.push(chunk)) {
        if (ev.kind === "interrupt") stub.interrupt();
        else if (ev.kind === "bad-checksum") {
          if (ack) s.write("-");
        } else {
          if (ack) s.write("+");
          const text = ev.data.toString("latin1");
          if (text === "QStartNoAckMode") {
            stub.handle(text);
            ack = false;
          } else stub.handle(text);
        }
      }
    });
    s.on("error", () => {});
    s.on("close", () => {
      // gdb went away without detaching: the program it was debugging ends with it.
      if (!detached && !exit) opts.kill();
    });
    onConnect();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  // Not waiting: the program runs untraced (no engine, no cost) until gdb connects. The listener
  // stays referenced so that gdb can still attach to a program blocked for good (a deadlock);
  // exited() closes it, so rvtrace ends with the program whether gdb came or not.
  if (!opts.wait) target.detach();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    port,
    connected,
    async exited(e: GdbExit) {
      exit = e;
      current?.exited(e);
      const s = socket as net.Socket | null;
      if (s && !s.destroyed) await new Promise<void>((resolve) => s.end(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
