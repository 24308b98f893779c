// Attaching a built-in engine to a task, and to every task it clones when asked to follow: the
// engine's ops get a reportClone that attaches the same ops, with fresh per-task data, to the
// child before the child runs (clone reports come in attach order, so the engines of a child are
// in the same order as its parent's).
import type { Kernel } from "../../kernel/kernel.js";
import type { Task } from "../../kernel/task.js";
import type { Engine } from "../../utrace/engine.js";
import type { EngineOps } from "../../utrace/types.js";
import { UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME } from "../../utrace/constants.js";

/** Returns `attach(task)`: attaches `base` with `newData(task)` and the event mask `events`. */
export function engineAttacher<D>(
  kernel: Kernel,
  base: EngineOps<D>,
  events: number,
  newData: (task: Task) => D,
  follow: boolean,
): (task: Task) => Engine<D> {
  const ops: EngineOps<D> = follow
    ? {
      ...base,
      reportClone(action, engine, cloneFlags, child) {
        attach(child);
        return base.reportClone ? base.reportClone(action, engine, cloneFlags, child) : UTRACE_RESUME;
      },
    }
    : base;
  const mask = follow ? events | UTRACE_EVENT.CLONE : events;
  function attach(task: Task): Engine<D> {
    const engine = kernel.utrace.attachTask(task, UTRACE_ATTACH_CREATE, ops, newData(task));
    kernel.utrace.setEvents(task, engine, mask);
    engine.put(); // the attachment holds the engine from now on
    return engine;
  }
  return attach;
}
