// Writing rvtrace's own output (help, traces, replayed guest output) to a host descriptor at once.
// Synchronous, so nothing is left queued when rvtrace ends; EAGAIN (a non-blocking pipe that is
// full) is waited out; EPIPE (the reader went away, as in `rvtrace run --help | head -1`) ends the
// write quietly, as a Unix tool that ignores SIGPIPE does: what was left has nowhere to go.
import * as fs from "node:fs";

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `data` (UTF-8 if a string) to host fd `fd`, or as much as a reader took before it left. */
export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  for (let done = 0; done < bytes.length; ) {
    try {
      done += fs.writeSync(fd, bytes, done, bytes.length - done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(sleepCell, 0, 0, 1);
        continue;
      }
      if (code === "EPIPE") return;
      throw e;
    }
  }
}
