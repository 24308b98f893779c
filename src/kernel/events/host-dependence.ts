// Which event files' behaviour depends on the host, for record and replay (src/cli/record.ts
// classifies descriptors): an eventfd or a signalfd holds only guest state (a counter, the guest's
// signals), so calls on it are run again by a replay; a timerfd counts by the host's clock, so its
// reads come from the recording; an epoll is the host's when it watches, at any depth, anything
// that is not guest state (a timerfd, a host file, a terminal).
import type { OpenFile } from "../vfs/open-file.js";
import { EpollFile } from "./epoll.js";
import { EventFdFile } from "./eventfd.js";
import { SignalFdFile } from "./signalfd.js";
import { TimerFdFile } from "./timerfd.js";

/**
 * For an event file: true when what it does depends on the host, false when only on the guest;
 * null for any other file (the caller decides). `guestOnly` says that of the other files.
 */
export function eventFileOnHost(f: OpenFile, guestOnly: (f: OpenFile) => boolean): boolean | null {
  if (f instanceof EventFdFile || f instanceof SignalFdFile) return false;
  if (f instanceof TimerFdFile) return true;
  if (f instanceof EpollFile) {
    return f.watchedFiles().some((w) => {
      const ev = eventFileOnHost(w, guestOnly);
      return ev === null ? !guestOnly(w) : ev;
    });
  }
  return null;
}
