// clone's and clone3's parent_tid and child_tid: read only for the flags that use them, and a fault
// on writing through them is ignored, as in Linux (kernel/fork.c: put_user's result is not checked).
// Go's runtime depends on the first: its clone leaves a2..a4 as they happen to be. Guest:
// clone-tid-args (guests/src/clone-tid-args.c); qemu 7.2 has no clone3, so no golden from it.
import { describe, expect, it } from "vitest";
import { start } from "../utrace/helpers-b.js";

describe("clone's tid pointers", () => {
  it("garbage without the SETTID flags does not fail a thread's clone; pointers above 4 GiB write nothing", async () => {
    const run = start("clone-tid-args");
    expect(await run.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    expect(run.out()).toBe(
      "clone, garbage tid pointers: a thread ran\n" +
        "clone3, tid pointers above 4 GiB: a thread ran\n" +
        // 7 as the guest set it: not the child's tid, which a pointer cut to its low 32 bits would write.
        "word 7\n",
    );
  });
});
