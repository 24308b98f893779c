// The address a checked accessor faults at, for the tests of this folder.
import { GuestFault } from "../../src/mem/address-space.js";

/** The GuestFault address of f(), or null if it does not throw one. */
export function faultOf(f: () => unknown): number | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof GuestFault) return e.address;
    throw e;
  }
}
