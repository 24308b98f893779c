// The memory a run may hold (--memory-limit): one budget shared by every address space and pipe of
// the run. What is counted is what costs the host memory: guest pages once written (a page mapped
// but never written reads as zeros from the host's shared zero page), pages whose contents the
// kernel put there (program segments, file mappings, the stack's strings), whole MAP_SHARED
// mappings (each process that shares one holds a copy), and pipe buffers.
//
// Two ways in, as Linux's heuristic overcommit: a new mapping (mmap, brk, mremap) larger than what
// is left is refused with ENOMEM at once; a page written when nothing is left kills the process
// that wrote it (the OOM killer's SIGKILL, see kernel/limits.ts).

export class MemoryBudget {
  /** Bytes held now. */
  used = 0;
  /** The most ever held at once (reported by --stats). */
  peak = 0;

  constructor(readonly limit: number) {}

  /** What may still be taken. */
  get available(): number {
    return this.limit - this.used;
  }

  /** Takes `bytes` if they fit under the limit; false (nothing taken) if not. */
  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.take(bytes);
    return true;
  }

  /**
   * Takes `bytes` whatever the limit: for data that must exist once its operation has begun (a
   * fork's copy, a program's segments); the caller checks `exceeded` and undoes the operation.
   */
  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.peak) this.peak = this.used;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }

  get exceeded(): boolean {
    return this.used > this.limit;
  }
}
