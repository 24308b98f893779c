// MAP_SHARED memory seen by more than one address space (a shared mapping inherited across fork).
// Each address space has one backing memory of its own, so a shared segment has a copy in every
// member; the copies are kept equal by handing the segment over when the scheduler switches
// address spaces: the memory that will run next takes the newest bytes from the member that ran
// with them last (the owner). Only one task runs at a time, so that is all the sharing needs;
// its cost is one copy of the segment per switch between processes that share it.
import type { AddressSpace } from "./address-space.js";

export class SharedSegment {
  /** The member whose copy holds the newest bytes, or null: then `snapshot` holds them. */
  owner: AddressSpace | null = null;
  snapshot: Uint8Array | null = null;
  /** Where the segment starts in each member. */
  readonly members = new Map<AddressSpace, number>();
  constructor(readonly size: number) {}

  /** Makes `as`'s copy the newest one (before code of `as` runs, or its memory is read). */
  takeOver(as: AddressSpace): void {
    if (this.owner === as) return;
    const at = this.members.get(as)!;
    if (this.owner) {
      const from = this.members.get(this.owner)!;
      as.bytes.set(this.owner.bytes.subarray(from, from + this.size), at);
    } else if (this.snapshot) {
      as.bytes.set(this.snapshot, at);
      this.snapshot = null;
    }
    this.owner = as;
  }

  /** `as` leaves the segment (munmap, a mapping over it, exit, exec); the newest bytes stay. */
  leave(as: AddressSpace): void {
    const at = this.members.get(as);
    if (at === undefined) return;
    if (this.owner === as) {
      this.snapshot = as.bytes.slice(at, at + this.size);
      this.owner = null;
    }
    this.members.delete(as);
  }
}
