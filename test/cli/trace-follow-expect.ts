// Reading the st-follow* guests' expectations and checking traces against them (the guests'
// format is described in guests/src/st-follow.h): a task's expected lines come in blocks opened by
// "== TID"; "~line" is expected once anywhere among the task's lines, "?line" at most once.
//
// Traces are compared after every hex number is replaced by one placeholder (addresses differ
// between runs and machines; the guests print 0x0 for them). A shared log (-f) is first split by
// task: "[pid N] " or "N     " columns say whose a line is, an unprefixed line is the only traced
// task's, and a call cut with " <unfinished ...>" is joined with its "<... name resumed>" rest.

/** What one task is expected to print. */
export interface TaskExpectation {
  ordered: string[];
  anywhere: string[];
  optional: string[];
}

/** Replaces every hex number by "0x?". */
export function normalize(line: string): string {
  return line.replace(/0x[0-9a-f]+/g, "0x?");
}

/** The blocks of a guest's stdout, by tid, in the order the tids first appear. */
export function parseBlocks(stdout: string): Map<number, TaskExpectation> {
  const tasks = new Map<number, TaskExpectation>();
  let cur: TaskExpectation | null = null;
  for (const line of stdout.split("\n")) {
    if (line === "") continue;
    const head = /^== (\d+)$/.exec(line);
    if (head) {
      const tid = Number(head[1]);
      cur = tasks.get(tid) ?? { ordered: [], anywhere: [], optional: [] };
      tasks.set(tid, cur);
      continue;
    }
    if (!cur) throw new Error(`expected line before any block: ${line}`);
    if (line.startsWith("~")) cur.anywhere.push(normalize(line.slice(1)));
    else if (line.startsWith("?")) cur.optional.push(normalize(line.slice(1)));
    else cur.ordered.push(normalize(line));
  }
  return tasks;
}

/** Mismatches between a task's lines and what it expects (empty when they agree). */
export function checkTask(lines: string[], exp: TaskExpectation): string[] {
  const errors: string[] = [];
  const anywhere = [...exp.anywhere];
  const optional = [...exp.optional];
  let i = 0;
  for (const raw of lines) {
    const line = normalize(raw);
    if (i < exp.ordered.length && line === exp.ordered[i]) {
      i++;
      continue;
    }
    const a = anywhere.indexOf(line);
    if (a >= 0) {
      anywhere.splice(a, 1);
      continue;
    }
    const o = optional.indexOf(line);
    if (o >= 0) {
      optional.splice(o, 1);
      continue;
    }
    errors.push(`unexpected: ${line}${i < exp.ordered.length ? `\n   wanted: ${exp.ordered[i]}` : ""}`);
  }
  for (; i < exp.ordered.length; i++) errors.push(`missing: ${exp.ordered[i]}`);
  for (const line of anywhere) errors.push(`missing (anywhere): ${line}`);
  return errors;
}

/** One line of a shared log: whose it is by its column (null: no column), and the rest. */
export interface LogLine {
  tid: number | null;
  text: string;
}

/** A shared log's lines, with "rvtrace: ..." messages kept apart as tid -1. */
export function parseLog(text: string, column: "bracket" | "plain"): LogLine[] {
  const out: LogLine[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("rvtrace: ")) {
      out.push({ tid: -1, text: line });
      continue;
    }
    const m = column === "bracket" ? /^\[pid +(\d+)\] (.*)$/.exec(line) : /^(\d+) +(.*)$/.exec(line);
    out.push(m ? { tid: Number(m[1]), text: m[2] } : { tid: null, text: line });
  }
  return out;
}

const ATTACHED = /^rvtrace: Process (\d+) attached$/;
const SUPERSEDED = /^\+\+\+ superseded by execve in pid (\d+) \+\+\+$/;
const ENDED = /^\+\+\+ (exited with|killed by) /;

/**
 * Splits a -f log by task, checking strace's rules on the way: a line has the "[pid N]" column
 * exactly when more than one task is traced (a task counts from its "Process N attached" to its
 * "+++" line; the clone line that follows an attach message was begun before it), a cut call
 * resumes in the same task with the same name after some other line, and nothing stays cut.
 * `first` is the first task's tid.
 */
export function splitLog(
  lines: LogLine[], first: number,
): { byTask: Map<number, string[]>; firstLine: Map<number, number>; errors: string[] } {
  const errors: string[] = [];
  const byTask = new Map<number, string[]>();
  /** Where each task's first line is. */
  const firstLine = new Map<number, number>();
  const live = new Set([first]);
  const cut = new Map<number, { name: string; head: string; at: number }>();
  /** The task whose attach message was the previous line. */
  let justAttached: number | null = null;
  const push = (tid: number, text: string) => {
    const list = byTask.get(tid) ?? [];
    list.push(text);
    byTask.set(tid, list);
  };
  lines.forEach((l, at) => {
    const attach = l.tid === -1 ? ATTACHED.exec(l.text) : null;
    if (l.tid === -1) {
      justAttached = attach ? Number(attach[1]) : null;
      if (justAttached !== null) live.add(justAttached);
      return;
    }
    const superseded = SUPERSEDED.exec(l.text);
    // strace forgets the replaced leader before it prints the thread's "superseded" line.
    if (superseded) live.delete(Number(superseded[1]));
    const begunBefore = justAttached !== null && l.tid === null && /^(clone3?|vfork)\(/.test(l.text);
    const newcomer = justAttached;
    justAttached = null;
    const count = begunBefore ? live.size - 1 : live.size;
    if ((l.tid !== null) !== count > 1) {
      errors.push(`line ${at}: ${l.tid !== null ? "a column" : "no column"} with ${count} task(s) traced: ${l.text}`);
    }
    let tid: number;
    if (l.tid !== null) {
      tid = l.tid;
      if (!live.has(tid)) errors.push(`line ${at}: task ${tid} is not traced: ${l.text}`);
    } else {
      // The only task traced (for a clone line begun before the attach message: the other one).
      tid = [...live].filter((t) => !begunBefore || t !== newcomer)[0];
    }
    if (!firstLine.has(tid)) firstLine.set(tid, at);
    let text = l.text;
    const unfinished = / <unfinished \.\.\.>$/.exec(text);
    const resumed = /^<\.\.\. ([a-z0-9_]+) resumed>(.*)$/.exec(text);
    if (unfinished) {
      if (cut.has(tid)) errors.push(`line ${at}: task ${tid} cut twice`);
      const head = text.slice(0, unfinished.index);
      cut.set(tid, { name: head.slice(0, head.indexOf("(")), head, at });
      return;
    }
    if (resumed && !(at > 0 && SUPERSEDED.test(lines[at - 1].text))) {
      const c = cut.get(tid);
      if (!c || c.name !== resumed[1]) {
        errors.push(`line ${at}: resumed without a cut call of task ${tid}: ${text}`);
      } else {
        cut.delete(tid);
        if (c.at === at - 1) errors.push(`line ${at}: cut with nothing in between: ${text}`);
        text = c.head + resumed[2];
      }
    }
    push(tid, text);
    if (ENDED.test(text)) live.delete(tid);
  });
  for (const [tid, c] of cut) errors.push(`task ${tid}: ${c.name} cut and never resumed`);
  return { byTask, firstLine, errors };
}
