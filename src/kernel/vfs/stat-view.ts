// A deterministic view of host file metadata (--deterministic): what stat, statx, getdents and
// statfs show of the mounted tree, so that nothing of the host machine's file system leaks into a
// run, and the guest's own changes are stamped with the virtual clock.
//
// - Identity: a host file is known by (st_dev, st_ino, birth time) — the birth time tells a reused
//   inode number from the file that had it. Each identity gets an inode number when the guest first
//   sees it (2, 3, … in the order of first sight, which a repeatable guest repeats), and each host
//   device a st_dev (8:1, 8:2, … likewise), so hard links and "same file" checks still work.
// - Times: a file the guest has not changed shows the run's start date (--date) as atime, mtime and
//   ctime. The syscalls that change files (world/file-changes.ts) stamp them with the virtual
//   clock: contents → mtime and ctime, metadata → ctime, utimensat → the times asked. Reads never
//   change atime (as on a noatime mount). No birth time is shown.
// - Owner: the guest's uid and gid. Sizes are the host's (the contents are the input); st_blocks
//   is the size in 4 KiB blocks (none for a symbolic link), st_blksize 4096; a directory shows
//   st_size 4096 and st_nlink 1 (file systems disagree on both; 1 is what btrfs shows and what fts
//   and find read as "unknown").
// - statfs of host mounts: ext4's magic and fixed, plausible counts.
//
// A host file whose change time moves without a guest change to explain it (another host process,
// or the guest's stores to a shared mapping of it) is stamped when the guest next looks; unless the
// guest has it mapped shared, that is reported through `onOutsideChange` (listed by --verbose).
import { FS_MAGIC, S, makedev } from "../../abi/fs.js";
import type { DirEntry } from "./dir.js";
import type { StatInfo, StatfsInfo, Timespec } from "./stat.js";

/** ext4's f_type, shown for every host mount. */
const EXT4_MAGIC = 0xef53;
/** rvtrace's own pseudo file systems: their statfs is already the same everywhere. */
const PSEUDO_TYPES = new Set<number>(Object.values(FS_MAGIC));
/** The first inode number handed out (ext4's root directory has 2). */
const FIRST_INO = 2n;
/** Major number of the st_dev values given to host devices (the SCSI disks': 8:1 is sda1). */
const DISK_MAJOR = 8;

interface Record {
  ino: bigint;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  /** The host ctime when the guest last looked, to notice changes nobody explained. */
  hostCtime: Timespec | null;
  /** The guest changed the file since it last looked (so a new host ctime is explained). */
  guestChanged: boolean;
  /** The guest has mapped the file shared and writable: its stores change the file unannounced. */
  mappedShared: boolean;
}

export type ChangeKind =
  /** Contents (write, truncate, a new entry in a directory): mtime and ctime. */
  | "data"
  /** Metadata (chmod, chown, link, rename): ctime. */
  | "meta"
  /** A new file: every time. */
  | "created";

function sameTime(a: Timespec, b: Timespec): boolean {
  return a.sec === b.sec && a.nsec === b.nsec;
}

export class StatView {
  private readonly records = new Map<string, Record>();
  private readonly devs = new Map<bigint, bigint>();
  private nextIno = FIRST_INO;
  /** Called with the identity (hostKey) of a host file changed by something else than the guest. */
  onOutsideChange: ((key: string) => void) | null = null;

  /**
   * @param start the time shown for files the guest has not changed
   * @param now the virtual clock (CLOCK_REALTIME)
   */
  constructor(
    private readonly start: Timespec,
    private readonly now: () => Timespec,
    private readonly uid: number,
    private readonly gid: number,
  ) {}

  private record(key: string): Record {
    let r = this.records.get(key);
    if (!r) {
      r = { ino: this.nextIno++, atime: this.start, mtime: this.start, ctime: this.start, hostCtime: null, guestChanged: false, mappedShared: false };
      this.records.set(key, r);
    }
    return r;
  }

  private dev(hostDev: bigint): bigint {
    let d = this.devs.get(hostDev);
    if (d === undefined) {
      d = makedev(DISK_MAJOR, this.devs.size + 1);
      this.devs.set(hostDev, d);
    }
    return d;
  }

  /** The guest changed the file of identity `key` (StatInfo.hostKey) now. */
  changed(key: string, kind: ChangeKind): void {
    const r = this.record(key);
    const now = this.now();
    if (kind === "created") r.atime = now;
    if (kind !== "meta") r.mtime = now;
    r.ctime = now;
    r.guestChanged = true;
  }

  /** utimensat: the times asked for (null: left as they are), and ctime now. */
  timesSet(key: string, atime: Timespec | null, mtime: Timespec | null): void {
    const r = this.record(key);
    if (atime) r.atime = atime;
    if (mtime) r.mtime = mtime;
    r.ctime = this.now();
    r.guestChanged = true;
  }

  /** The guest mapped the file MAP_SHARED and writable (mmap). */
  mappedShared(key: string): void {
    this.record(key).mappedShared = true;
  }

  stat(st: StatInfo): StatInfo {
    const key = st.hostKey;
    if (key === undefined) return { ...st, uid: st.uid === 0 ? 0 : this.uid, gid: st.gid === 0 ? 0 : this.gid };
    const r = this.record(key);
    if (r.hostCtime !== null && !r.guestChanged && !sameTime(r.hostCtime, st.ctime)) {
      if (!r.mappedShared) this.onOutsideChange?.(key);
      this.changed(key, "data");
    }
    r.hostCtime = st.ctime;
    r.guestChanged = false;
    const type = st.mode & S.IFMT;
    const dir = type === S.IFDIR;
    const size = dir ? 4096n : st.size;
    // A symbolic link keeps its target in the inode (a "fast" link): no blocks.
    const blocks = type === S.IFLNK ? 0n : ((size + 4095n) / 4096n) * 8n;
    return {
      ...st,
      dev: this.dev(st.dev),
      ino: r.ino,
      nlink: dir ? 1 : st.nlink,
      uid: this.uid,
      gid: this.gid,
      size,
      blksize: 4096,
      blocks,
      atime: r.atime,
      mtime: r.mtime,
      ctime: r.ctime,
      btime: null,
    };
  }

  direntIno(e: DirEntry): bigint {
    return e.hostKey === undefined ? e.ino : this.record(e.hostKey).ino;
  }

  statfs(s: StatfsInfo): StatfsInfo {
    if (s.own || (PSEUDO_TYPES.has(s.type) && s.blocks === 0n)) return s;
    return {
      ...s,
      type: EXT4_MAGIC,
      bsize: 4096n,
      blocks: 1n << 24n,
      bfree: 1n << 23n,
      bavail: 1n << 23n,
      files: 1n << 22n,
      ffree: 1n << 21n,
      namelen: 255,
    };
  }
}
