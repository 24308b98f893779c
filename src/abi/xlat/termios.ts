// struct termios bits in strace's print order (strace xlat/term_iflags.in, term_oflags*.in,
// term_cflags*.in, term_lflags.in, baud_options.in, term_line_discs.in, term_cc.in) with the
// asm-generic/termbits.h values riscv64 uses.
import { xlat, xlatSeq } from "./types.js";

export const TERM_IFLAGS = xlat([
  ["IGNBRK", 0x1],
  ["BRKINT", 0x2],
  ["IGNPAR", 0x4],
  ["PARMRK", 0x8],
  ["INPCK", 0x10],
  ["ISTRIP", 0x20],
  ["INLCR", 0x40],
  ["IGNCR", 0x80],
  ["ICRNL", 0x100],
  ["IUCLC", 0x200],
  ["IXON", 0x400],
  ["IXANY", 0x800],
  ["IXOFF", 0x1000],
  ["IMAXBEL", 0x2000],
  ["IUTF8", 0x4000],
]);

export const TERM_OFLAGS = xlat([
  ["OPOST", 0x1],
  ["OLCUC", 0x2],
  ["ONLCR", 0x4],
  ["OCRNL", 0x8],
  ["ONOCR", 0x10],
  ["ONLRET", 0x20],
  ["OFILL", 0x40],
  ["OFDEL", 0x80],
]);

/** The delay fields of c_oflag, each printed as a value before the flag bits. */
export const TERM_OFLAG_DELAYS: readonly { readonly mask: bigint; readonly names: ReturnType<typeof xlat>; readonly dflt: string }[] = [
  { mask: 0x100n, names: xlat([["NL0", 0], ["NL1", 0x100]]), dflt: "NL?" },
  { mask: 0x600n, names: xlat([["CR0", 0], ["CR1", 0x200], ["CR2", 0x400], ["CR3", 0x600]]), dflt: "CR?" },
  { mask: 0x1800n, names: xlat([["TAB0", 0], ["TAB1", 0x800], ["TAB2", 0x1000], ["XTABS", 0x1800]]), dflt: "TAB?" },
  { mask: 0x2000n, names: xlat([["BS0", 0], ["BS1", 0x2000]]), dflt: "BS?" },
  { mask: 0x4000n, names: xlat([["VT0", 0], ["VT1", 0x4000]]), dflt: "VT?" },
  { mask: 0x8000n, names: xlat([["FF0", 0], ["FF1", 0x8000]]), dflt: "FF?" },
];

/** Baud rates (the CBAUD field of c_cflag; CIBAUD holds the input rate shifted by IBSHIFT). */
export const BAUD_OPTIONS = xlat([
  ["B0", 0x0],
  ["B50", 0x1],
  ["B75", 0x2],
  ["B110", 0x3],
  ["B134", 0x4],
  ["B150", 0x5],
  ["B200", 0x6],
  ["B300", 0x7],
  ["B600", 0x8],
  ["B1200", 0x9],
  ["B1800", 0xa],
  ["B2400", 0xb],
  ["B4800", 0xc],
  ["B9600", 0xd],
  ["B19200", 0xe],
  ["B38400", 0xf],
  ["BOTHER", 0x1000],
  ["B57600", 0x1001],
  ["B115200", 0x1002],
  ["B230400", 0x1003],
  ["B460800", 0x1004],
  ["B500000", 0x1005],
  ["B576000", 0x1006],
  ["B921600", 0x1007],
  ["B1000000", 0x1008],
  ["B1152000", 0x1009],
  ["B1500000", 0x100a],
  ["B2000000", 0x100b],
  ["B2500000", 0x100c],
  ["B3000000", 0x100d],
  ["B3500000", 0x100e],
  ["B4000000", 0x100f],
]);
export const CBAUD = 0x100fn;
export const CIBAUD = 0x100f0000n;
export const IBSHIFT = 16n;

/** The CSIZE field of c_cflag. */
export const TERM_CSIZE = xlat([
  ["CS5", 0x0],
  ["CS6", 0x10],
  ["CS7", 0x20],
  ["CS8", 0x30],
]);
export const CSIZE = 0x30n;

export const TERM_CFLAGS = xlat([
  ["CSTOPB", 0x40],
  ["CREAD", 0x80],
  ["PARENB", 0x100],
  ["PARODD", 0x200],
  ["HUPCL", 0x400],
  ["CLOCAL", 0x800],
  ["CMSPAR", 0x40000000],
  ["CRTSCTS", 0x80000000],
]);

export const TERM_LFLAGS = xlat([
  ["ISIG", 0x1],
  ["ICANON", 0x2],
  ["XCASE", 0x4],
  ["ECHO", 0x8],
  ["ECHOE", 0x10],
  ["ECHOK", 0x20],
  ["ECHONL", 0x40],
  ["NOFLSH", 0x80],
  ["IEXTEN", 0x8000],
  ["ECHOCTL", 0x200],
  ["ECHOPRT", 0x400],
  ["ECHOKE", 0x800],
  ["FLUSHO", 0x1000],
  ["PENDIN", 0x4000],
  ["TOSTOP", 0x100],
  ["EXTPROC", 0x10000],
]);

/** Line disciplines (c_line, TIOCSETD). */
export const LINE_DISCIPLINES = xlatSeq([
  "N_TTY",
  "N_SLIP",
  "N_MOUSE",
  "N_PPP",
  "N_STRIP",
  "N_AX25",
  "N_X25",
  "N_6PACK",
  "N_MASC",
  "N_R3964",
  "N_PROFIBUS_FDL",
  "N_IRDA",
  "N_SMSBLOCK",
  "N_HDLC",
  "N_SYNC_PPP",
  "N_HCI",
  "N_GIGASET_M101",
  "N_SLCAN",
  "N_PPS",
  "N_V253",
  "N_CAIF",
  "N_GSM0710",
  "N_TI_WL",
  "N_TRACESINK",
  "N_TRACEROUTER",
  "N_NCI",
  "N_SPEAKUP",
  "N_NULL",
  "N_MCTP",
  "N_DEVELOPMENT",
  "N_CAN327",
]);

/** c_cc indices (the kernel's struct termios has 19 of them on riscv64). */
export const TERM_CC = xlatSeq([
  "VINTR",
  "VQUIT",
  "VERASE",
  "VKILL",
  "VEOF",
  "VTIME",
  "VMIN",
  "VSWTC",
  "VSTART",
  "VSTOP",
  "VSUSP",
  "VEOL",
  "VREPRINT",
  "VDISCARD",
  "VWERASE",
  "VLNEXT",
  "VEOL2",
]);
export const NCCS = 19;
