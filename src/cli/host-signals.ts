// Signals that reach rvtrace from its terminal or from other host processes go to the guest, as a
// terminal would send them (Kernel.hostSignal): ^C no longer kills rvtrace behind the back of a
// guest that handles SIGINT. A ^Z that stops the guest's first process stops rvtrace too, so the
// host shell gets its terminal back; the host's SIGCONT then continues the guest.
import type { Kernel } from "../kernel/kernel.js";

const FORWARDED: readonly [NodeJS.Signals, number][] = [
  ["SIGHUP", 1], ["SIGINT", 2], ["SIGQUIT", 3], ["SIGTERM", 15], ["SIGCONT", 18], ["SIGTSTP", 20], ["SIGWINCH", 28],
];

/** Installs the forwarding; returns a function that removes it. */
export function forwardHostSignals(kernel: Kernel): () => void {
  const handlers = FORWARDED.map(([name, signo]) => {
    const handler = () => {
      kernel.hostSignal(signo);
      if (name === "SIGTSTP") stopWhenGuestStops(kernel);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return () => {
    for (const [name, handler] of handlers) process.off(name, handler);
  };
}

/** After a forwarded ^Z: once the guest's first process has stopped, rvtrace stops as well. */
function stopWhenGuestStops(kernel: Kernel, tries = 20): void {
  const init = kernel.initProcess;
  if (!init?.alive) return;
  if (init.jobStopped) process.kill(process.pid, "SIGSTOP");
  else if (tries > 0) setTimeout(() => stopWhenGuestStops(kernel, tries - 1), 5).unref();
}
