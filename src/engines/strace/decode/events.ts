// Decoders of the event descriptors' calls that their ArgSpecs cannot print alone (strace
// src/epoll.c): epoll_ctl with EPOLL_CTL_DEL takes no event, so its pointer is only an address.
// (epoll_pwait and epoll_pwait2 are in desc.ts; eventfd2, timerfd_* and signalfd4 print from their
// ArgSpecs.)
import type { Decoded, DecoderTable, Entry } from "./types.js";
import { int, ptr } from "./print.js";
import { specDecoder } from "./generic.js";
import { SYSCALL_NUMBERS } from "../../../abi/gen/syscall-numbers.js";
import { syscallMeta } from "../../../abi/syscalls.js";

const EPOLL_CTL_DEL = 2;
const generic = specDecoder(syscallMeta(SYSCALL_NUMBERS.epoll_ctl)!);

function epollCtl(e: Entry): Decoded {
  const d = generic(e);
  if (int(e.args[1]) === EPOLL_CTL_DEL) d.args[3] = ptr(e.args[3]);
  return d;
}

export const EVENT_DECODERS: DecoderTable = {
  epoll_ctl: epollCtl,
};
