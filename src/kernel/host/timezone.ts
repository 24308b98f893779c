// The host's time zone as a TZif file, for the guest's /etc/localtime: the zone TZ names (":Area/City",
// "Area/City" under /usr/share/zoneinfo, or an absolute path to a zone file), else the host's own
// /etc/localtime. Null when there is none to read (the guest then gets UTC).
import { readFileSync } from "node:fs";

const ZONEINFO = "/usr/share/zoneinfo";
/** TZif files start with this magic. */
const MAGIC = "TZif";

function readZone(path: string): Uint8Array | null {
  try {
    const b = readFileSync(path);
    return b.subarray(0, 4).toString("latin1") === MAGIC ? new Uint8Array(b) : null;
  } catch {
    return null;
  }
}

export function hostTimezone(tz: string | undefined = process.env.TZ): Uint8Array | null {
  if (tz !== undefined && tz !== "") {
    const name = tz.startsWith(":") ? tz.slice(1) : tz;
    // A POSIX rule such as "CET-1CEST" names no file: the guest's libc reads TZ itself.
    if (name.startsWith("/")) return readZone(name);
    if (/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(name)) {
      const z = readZone(`${ZONEINFO}/${name}`);
      if (z) return z;
    }
  }
  return readZone("/etc/localtime");
}
