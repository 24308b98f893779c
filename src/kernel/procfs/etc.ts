// The /etc files a sandbox offers when nothing mounted provides them (the namespace places them as
// fallbacks: a sysroot's or a --mount's own file wins): the guest's user and group, name service
// switched to files only (so glibc never tries DNS or nscd), the host name uname gives, and the
// time zone.
import type { GenFile } from "../vfs/generated.js";

export interface EtcInfo {
  uid: number;
  gid: number;
  /** The user's name (the host user's, or "user" in a deterministic run). */
  user: string;
  hostname: string;
  /** The TZif bytes of /etc/localtime. */
  localtime: Uint8Array;
}

/** A name safe in a passwd line: no colon, newline or comma; "user" if nothing is left. */
function safeName(s: string): string {
  const clean = s.replace(/[:\n,\s]/g, "");
  return clean === "" ? "user" : clean;
}

export function passwdText(i: EtcInfo): string {
  const name = safeName(i.user);
  let out = "root:x:0:0:root:/root:/bin/sh\n";
  if (i.uid !== 0) out += `${name}:x:${i.uid}:${i.gid}:${name}:/home/${name}:/bin/sh\n`;
  return out + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
}

export function groupText(i: EtcInfo): string {
  const name = safeName(i.user);
  let out = "root:x:0:\n";
  if (i.gid !== 0) out += `${name}:x:${i.gid}:\n`;
  return out + "nogroup:x:65534:\n";
}

export const NSSWITCH = "passwd: files\ngroup: files\nshadow: files\nhosts: files\nnetworks: files\nprotocols: files\nservices: files\nethers: files\nrpc: files\nnetgroup: files\n";

export function hostsText(hostname: string): string {
  return `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;
}

/**
 * A TZif file (RFC 8536, version 2) for UTC: no transitions, one local time type of offset 0 named
 * "UTC", and the POSIX TZ string "UTC0" as its footer.
 */
export function utcTzif(): Uint8Array {
  const header = (): number[] => {
    const h = [..."TZif2"].map((c) => c.charCodeAt(0));
    h.push(...new Array(15).fill(0));
    // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt (big-endian 32-bit).
    for (const n of [0, 0, 0, 0, 1, 4]) h.push(0, 0, 0, n);
    return h;
  };
  const data = [0, 0, 0, 0, 0, 0, ...[..."UTC"].map((c) => c.charCodeAt(0)), 0];
  const footer = [..."\nUTC0\n"].map((c) => c.charCodeAt(0));
  return Uint8Array.from([...header(), ...data, ...header(), ...data, ...footer]);
}

function file(content: () => string | Uint8Array): GenFile {
  return { kind: "file", mode: 0o644, sized: true, content };
}

/** The files, by guest path. */
export function etcFiles(i: EtcInfo): { guest: string; root: () => GenFile }[] {
  const entries: [string, GenFile][] = [
    ["/etc/passwd", file(() => passwdText(i))],
    ["/etc/group", file(() => groupText(i))],
    ["/etc/nsswitch.conf", file(() => NSSWITCH)],
    ["/etc/hostname", file(() => i.hostname + "\n")],
    ["/etc/hosts", file(() => hostsText(i.hostname))],
    ["/etc/localtime", file(() => i.localtime)],
  ];
  return entries.map(([guest, f]) => ({ guest, root: () => f }));
}
