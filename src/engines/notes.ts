// Per-call notes: how an engine that changes a syscall's outcome says so on the trace line.
//
// strace marks a tampered call with " (INJECTED)" after its result. rvtrace's engines that decide a
// call's result (fault injection, policies) record a note for the task's current syscall here, and
// the strace printer, which is attached after them (nearer the guest, so its exit callback runs
// last), reads it when it prints the result:
//
//   const note = injectionNote(task);                  // "INJECTED", "DENIED by policy", or undefined
//   if (note !== undefined) line += ` (${note})`;
//
// Each engine owns one slot per task (keyed by an owner object it chooses) and sets or clears it at
// every syscall entry it sees, so a note never outlives the call it belongs to: it is readable from
// the engine's decision at entry until the task's next syscall entry. When several engines noted
// one call, the notes are joined with ", " in the order they were set. The engines can also push
// each note to a callback when they write the result (NoteSink), for printers that collect notes.
import type { Task } from "../kernel/task.js";

/** Receives "INJECTED" / "DENIED by policy" for the task's current syscall (e.g. the printer's note()). */
export type NoteSink = (task: Task, note: string) => void;

const notes = new WeakMap<Task, Map<object, string>>();

/** Sets (or, with undefined, clears) `owner`'s note on the task's current syscall. */
export function setCallNote(task: Task, owner: object, note: string | undefined): void {
  let m = notes.get(task);
  if (note === undefined) {
    m?.delete(owner);
    return;
  }
  if (!m) notes.set(task, (m = new Map()));
  m.delete(owner); // re-inserting keeps "the order they were set"
  m.set(owner, note);
}

/** Every note on the task's current syscall, in the order they were set. */
export function callNotes(task: Task): string[] {
  const m = notes.get(task);
  return m ? [...m.values()] : [];
}

/**
 * The note for the task's current syscall, for the strace printer to append as ` (${note})`:
 * "INJECTED" for a fault injection, "DENIED by policy" for a policy decision, or undefined.
 */
export function injectionNote(task: Task): string | undefined {
  const all = callNotes(task);
  return all.length === 0 ? undefined : all.join(", ");
}
