// GDB's remote protocol numbers signals its own way (gdb/include/gdb/signals.def), not as Linux
// does; stop replies and C/S packets use GDB's numbers. These tables translate both ways.

// Linux (asm-generic, riscv64) number → GDB number, for 1…31.
const LINUX_TO_GDB: Record<number, number> = {
  1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 10 /* BUS */, 8: 8, 9: 9, 10: 30 /* USR1 */, 11: 11,
  12: 31 /* USR2 */, 13: 13, 14: 14, 15: 15, 17: 20 /* CHLD */, 18: 19 /* CONT */, 19: 17 /* STOP */,
  20: 18 /* TSTP */, 21: 21, 22: 22, 23: 16 /* URG */, 24: 24, 25: 25, 26: 26, 27: 27, 28: 28,
  29: 23 /* IO */, 30: 32 /* PWR */, 31: 12 /* SYS */,
};
const GDB_TO_LINUX = new Map(Object.entries(LINUX_TO_GDB).map(([l, g]) => [g, Number(l)]));

// GDB_SIGNAL_REALTIME_33 is 45 and 34…63 follow it; GDB_SIGNAL_REALTIME_32 is 77, 64 is 78.
const GDB_RT32 = 77;
const GDB_RT33 = 45;
const GDB_RT64 = 78;

/** GDB's number for a Linux signal (143, GDB_SIGNAL_UNKNOWN, when it has none). */
export function gdbSignal(linux: number): number {
  if (LINUX_TO_GDB[linux] !== undefined) return LINUX_TO_GDB[linux];
  if (linux === 32) return GDB_RT32;
  if (linux >= 33 && linux <= 63) return GDB_RT33 + (linux - 33);
  if (linux === 64) return GDB_RT64;
  return 143;
}

/** The Linux signal for GDB's number, or 0 when Linux has none. */
export function linuxSignal(gdb: number): number {
  const l = GDB_TO_LINUX.get(gdb);
  if (l !== undefined) return l;
  if (gdb === GDB_RT32) return 32;
  if (gdb >= GDB_RT33 && gdb <= GDB_RT33 + 30) return 33 + (gdb - GDB_RT33);
  if (gdb === GDB_RT64) return 64;
  return 0;
}
