// `rvtrace trace --timeline FILE.json`: the timeline engine (src/engines/timeline) as an option
// group of `rvtrace trace`. The file is opened before the program starts (as strace opens -o), so a
// path that cannot be written is a one-line usage error; it is written when the program has ended.
// Its engine follows every task, with or without -f: a timeline shows them all.
import fs from "node:fs";
import { TraceUsageError, type TraceOptionContext, type TraceOptionGroup, type TraceSession } from "../engines/strace/options.js";
import { TimelineRecorder } from "../engines/timeline/recorder.js";
import { traceFile } from "../engines/timeline/events.js";

interface TimelineState {
  file: string;
  fd: number | null;
  recorder: TimelineRecorder | null;
}

const KEY = "timeline";
const state = (ctx: TraceOptionContext): TimelineState | undefined => ctx.ext.get(KEY) as TimelineState | undefined;

function recorderFor(st: TimelineState, session: TraceSession): TimelineRecorder {
  if (st.recorder) return st.recorder;
  const s = session.settings;
  const t0 = process.hrtime.bigint();
  st.recorder = new TimelineRecorder(session.utrace, {
    decode: { stringLimit: s.stringLimit, verbose: false, hexStrings: s.hexStrings, constStyle: s.constStyle, decodeFds: false },
    now: () => Number(process.hrtime.bigint() - t0) / 1000,
  });
  return st.recorder;
}

export const TIMELINE_OPTIONS: TraceOptionGroup = {
  title: "Timeline",
  options: [
    {
      long: ["timeline"], arg: "required", valueName: "FILE.json",
      help: "write a Chrome/Perfetto trace-event timeline (a track per task, a slice per syscall) to FILE",
      apply: (ctx, v) => {
        if (!v) throw new TraceUsageError("--timeline expects a file name");
        if (state(ctx)) throw new TraceUsageError("--timeline given twice");
        const st: TimelineState = { file: v, fd: null, recorder: null };
        ctx.ext.set(KEY, st);
        ctx.engines.push({
          name: "timeline",
          follow: "always",
          attach: (session, task) => {
            recorderFor(st, session).attach(task);
          },
          finish: () => {
            if (st.fd === null || !st.recorder) return;
            st.recorder.finish();
            fs.writeSync(st.fd, traceFile(st.recorder.events));
            fs.closeSync(st.fd);
            st.fd = null;
          },
        });
      },
    },
  ],
  prepare(ctx) {
    const st = state(ctx);
    if (!st) return;
    try {
      st.fd = fs.openSync(st.file, "w");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "No such file or directory" : code === "EACCES" ? "Permission denied"
        : code === "EISDIR" ? "Is a directory" : String(code);
      throw new TraceUsageError(`--timeline: cannot write '${st.file}': ${why}`);
    }
  },
};
