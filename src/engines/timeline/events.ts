// The Chrome trace-event format ("Trace Event Format", the JSON that chrome://tracing and
// ui.perfetto.dev open): the event shapes the timeline writes, and the file around them.
// Times are microseconds. A track is a (pid, tid) pair; complete events ("X") on one track nest
// by time; instants ("i") are marks; flow events ("s" start, "f" finish, same id and cat) draw an
// arrow from the slice enclosing the start to the slice enclosing (with "bp": "e") the finish.

export interface TraceEvent {
  ph: "X" | "i" | "s" | "f" | "M";
  name: string;
  cat?: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Instants: "t" marks the thread's track only. */
  s?: "t" | "p" | "g";
  /** Flows: the flow's id. */
  id?: number;
  /** Flow finish: bind to the enclosing slice. */
  bp?: "e";
  args?: Record<string, unknown>;
}

/** The file: the events, and how the viewer should show times. */
export function traceFile(events: readonly TraceEvent[]): string {
  return JSON.stringify({ traceEvents: events, displayTimeUnit: "ns" });
}
