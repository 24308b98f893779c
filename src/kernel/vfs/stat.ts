// File metadata: one neutral shape (StatInfo) built from host stats or made up for synthetic nodes,
// and its encodings as riscv64 `struct stat` (asm-generic/stat.h, 128 bytes), `struct statx`
// (linux/stat.h, 256 bytes) and `struct statfs` (asm-generic/statfs.h, 120 bytes on 64-bit).
import type { BigIntStats } from "node:fs";
import { SIZEOF, STATX, devMajor, devMinor } from "../../abi/fs.js";

export interface Timespec {
  sec: bigint;
  nsec: number;
}

export interface StatInfo {
  dev: bigint;
  ino: bigint;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: bigint;
  size: bigint;
  blksize: number;
  blocks: bigint;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  /** Birth time, when the host file system reports one. */
  btime: Timespec | null;
  /** The node is the root of a mount (statx STATX_ATTR_MOUNT_ROOT). */
  mountRoot: boolean;
  /** The host file's identity (hostKey), for host files only: how --deterministic's view knows it. */
  hostKey?: string;
}

const NS = 1_000_000_000n;

export function timespecFromNs(ns: bigint): Timespec {
  let sec = ns / NS;
  let rem = ns - sec * NS;
  if (rem < 0n) {
    sec -= 1n;
    rem += NS;
  }
  return { sec, nsec: Number(rem) };
}

/**
 * A host file's identity: device, inode and birth time (which tells a reused inode number from the
 * file that had it before; 0 where the host file system keeps none).
 */
export function hostKey(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.birthtimeNs}`;
}

/** StatInfo from Node's bigint stats of a host file. */
export function statFromHost(st: BigIntStats, mountRoot = false): StatInfo {
  return {
    dev: st.dev,
    ino: st.ino,
    mode: Number(st.mode),
    nlink: Number(st.nlink),
    uid: Number(st.uid),
    gid: Number(st.gid),
    rdev: st.rdev,
    size: st.size,
    blksize: Number(st.blksize),
    blocks: st.blocks,
    atime: timespecFromNs(st.atimeNs),
    mtime: timespecFromNs(st.mtimeNs),
    ctime: timespecFromNs(st.ctimeNs),
    btime: st.birthtimeNs > 0n ? timespecFromNs(st.birthtimeNs) : null,
    mountRoot,
    hostKey: hostKey(st),
  };
}

/**
 * The values synthetic nodes (synthetic directories, devices, /proc/self/exe, pipes, stdio without
 * a host fd) show: st_dev = `dev`, a stable inode from the caller (a hash of the guest path),
 * owner root:root, st_blksize 4096, no blocks, and every time equal to `time` (the Vfs's
 * construction time unless configured).
 */
export function syntheticStat(opts: {
  dev: bigint;
  ino: bigint;
  mode: number;
  nlink?: number;
  rdev?: bigint;
  size?: bigint;
  uid?: number;
  gid?: number;
  time: Timespec;
}): StatInfo {
  return {
    dev: opts.dev,
    ino: opts.ino,
    mode: opts.mode,
    nlink: opts.nlink ?? 1,
    uid: opts.uid ?? 0,
    gid: opts.gid ?? 0,
    rdev: opts.rdev ?? 0n,
    size: opts.size ?? 0n,
    blksize: 4096,
    blocks: 0n,
    atime: opts.time,
    mtime: opts.time,
    ctime: opts.time,
    btime: null,
    mountRoot: false,
  };
}

/** struct stat (riscv64, asm-generic): offsets in the comments. */
export function encodeStat(s: StatInfo): Uint8Array {
  const buf = new Uint8Array(SIZEOF.stat);
  const v = new DataView(buf.buffer);
  v.setBigUint64(0, BigInt.asUintN(64, s.dev), true); // st_dev
  v.setBigUint64(8, BigInt.asUintN(64, s.ino), true); // st_ino
  v.setUint32(16, s.mode >>> 0, true); // st_mode
  v.setUint32(20, s.nlink >>> 0, true); // st_nlink
  v.setUint32(24, s.uid >>> 0, true); // st_uid
  v.setUint32(28, s.gid >>> 0, true); // st_gid
  v.setBigUint64(32, BigInt.asUintN(64, s.rdev), true); // st_rdev
  // 40: __pad1
  v.setBigInt64(48, s.size, true); // st_size
  v.setInt32(56, s.blksize, true); // st_blksize
  // 60: __pad2
  v.setBigInt64(64, s.blocks, true); // st_blocks
  v.setBigInt64(72, s.atime.sec, true); // st_atime
  v.setBigUint64(80, BigInt(s.atime.nsec), true); // st_atime_nsec
  v.setBigInt64(88, s.mtime.sec, true); // st_mtime
  v.setBigUint64(96, BigInt(s.mtime.nsec), true); // st_mtime_nsec
  v.setBigInt64(104, s.ctime.sec, true); // st_ctime
  v.setBigUint64(112, BigInt(s.ctime.nsec), true); // st_ctime_nsec
  // 120, 124: __unused4, __unused5
  return buf;
}

function putTimestamp(v: DataView, off: number, t: Timespec): void {
  v.setBigInt64(off, t.sec, true);
  v.setUint32(off + 8, t.nsec, true);
}

/** struct statx. stx_mask reports everything known, whatever was asked (as local file systems do). */
export function encodeStatx(s: StatInfo): Uint8Array {
  const buf = new Uint8Array(SIZEOF.statx);
  const v = new DataView(buf.buffer);
  const mask = STATX.BASIC_STATS | (s.btime ? STATX.BTIME : 0);
  v.setUint32(0x00, mask, true); // stx_mask
  v.setUint32(0x04, s.blksize, true); // stx_blksize
  v.setBigUint64(0x08, s.mountRoot ? BigInt(STATX.ATTR_MOUNT_ROOT) : 0n, true); // stx_attributes
  v.setUint32(0x10, s.nlink >>> 0, true); // stx_nlink
  v.setUint32(0x14, s.uid >>> 0, true); // stx_uid
  v.setUint32(0x18, s.gid >>> 0, true); // stx_gid
  v.setUint16(0x1c, s.mode & 0xffff, true); // stx_mode
  v.setBigUint64(0x20, BigInt.asUintN(64, s.ino), true); // stx_ino
  v.setBigUint64(0x28, BigInt.asUintN(64, s.size), true); // stx_size
  v.setBigUint64(0x30, BigInt.asUintN(64, s.blocks), true); // stx_blocks
  v.setBigUint64(0x38, BigInt(STATX.ATTR_MOUNT_ROOT), true); // stx_attributes_mask
  putTimestamp(v, 0x40, s.atime); // stx_atime
  if (s.btime) putTimestamp(v, 0x50, s.btime); // stx_btime
  putTimestamp(v, 0x60, s.ctime); // stx_ctime
  putTimestamp(v, 0x70, s.mtime); // stx_mtime
  v.setUint32(0x80, devMajor(s.rdev), true); // stx_rdev_major
  v.setUint32(0x84, devMinor(s.rdev), true); // stx_rdev_minor
  v.setUint32(0x88, devMajor(s.dev), true); // stx_dev_major
  v.setUint32(0x8c, devMinor(s.dev), true); // stx_dev_minor
  return buf;
}

export interface StatfsInfo {
  type: number;
  bsize: bigint;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
  namelen: number;
  flags: number;
  /** Made by rvtrace from the run's own state (the in-memory /tmp): already the same on every run. */
  own?: boolean;
}

/** struct statfs on a 64-bit architecture: eleven longs with an 8-byte f_fsid (left zero). */
export function encodeStatfs(s: StatfsInfo): Uint8Array {
  const buf = new Uint8Array(SIZEOF.statfs);
  const v = new DataView(buf.buffer);
  v.setBigInt64(0, BigInt(s.type), true); // f_type
  v.setBigInt64(8, s.bsize, true); // f_bsize
  v.setBigInt64(16, s.blocks, true); // f_blocks
  v.setBigInt64(24, s.bfree, true); // f_bfree
  v.setBigInt64(32, s.bavail, true); // f_bavail
  v.setBigInt64(40, s.files, true); // f_files
  v.setBigInt64(48, s.ffree, true); // f_ffree
  // 56: f_fsid (two ints), zero
  v.setBigInt64(64, BigInt(s.namelen), true); // f_namelen
  v.setBigInt64(72, s.bsize, true); // f_frsize
  v.setBigInt64(80, BigInt(s.flags), true); // f_flags
  // 88..119: f_spare[4]
  return buf;
}
