// File-system constant tables in strace's print order (strace xlat/open_mode_flags.in, at_flags.in,
// fcntlcmds.in, statx_masks.in, fsmagic.in, …), with riscv64 values (asm-generic/fcntl.h,
// linux/fcntl.h, linux/stat.h, linux/magic.h). Values already in ../fs.ts are taken from there.
import { O, AT, F, SEEK, S, DT, RENAME, STATX, FS_MAGIC } from "../fs.js";
import { xlat, xlatSeq } from "./types.js";

/** The access mode of open(2) flags (O_ACCMODE part), printed before the flag bits. */
export const OPEN_ACCESS_MODES = xlat([
  ["O_RDONLY", O.RDONLY],
  ["O_WRONLY", O.WRONLY],
  ["O_RDWR", O.RDWR],
  ["O_ACCMODE", O.ACCMODE],
]);

/** open(2) flag bits. O_SYNC before O_DSYNC and O_TMPFILE before O_DIRECTORY: each covers the other. */
export const OPEN_MODE_FLAGS = xlat([
  ["O_CREAT", O.CREAT],
  ["O_EXCL", O.EXCL],
  ["O_NOCTTY", O.NOCTTY],
  ["O_TRUNC", O.TRUNC],
  ["O_APPEND", O.APPEND],
  ["O_NONBLOCK", O.NONBLOCK],
  ["O_SYNC", O.SYNC],
  ["O_DSYNC", O.DSYNC],
  ["O_DIRECT", O.DIRECT],
  ["O_LARGEFILE", O.LARGEFILE],
  ["O_NOFOLLOW", O.NOFOLLOW],
  ["O_NOATIME", O.NOATIME],
  ["O_CLOEXEC", O.CLOEXEC],
  ["O_PATH", O.PATH],
  ["O_TMPFILE", O.TMPFILE],
  ["O_DIRECTORY", O.DIRECTORY],
  ["__O_TMPFILE", O.TMPFILE_BIT],
  ["FASYNC", O.ASYNC],
]);

/** The *at(2) flags most calls take (strace at_flags.in). */
export const AT_FLAGS = xlat([
  ["AT_SYMLINK_NOFOLLOW", AT.SYMLINK_NOFOLLOW],
  ["AT_REMOVEDIR", AT.REMOVEDIR],
  ["AT_SYMLINK_FOLLOW", AT.SYMLINK_FOLLOW],
  ["AT_NO_AUTOMOUNT", AT.NO_AUTOMOUNT],
  ["AT_EMPTY_PATH", AT.EMPTY_PATH],
  ["AT_RECURSIVE", AT.RECURSIVE],
]);

/** faccessat2 flags. */
export const FACCESSAT_FLAGS = xlat([
  ["AT_SYMLINK_NOFOLLOW", AT.SYMLINK_NOFOLLOW],
  ["AT_EACCESS", AT.EACCESS],
  ["AT_EMPTY_PATH", AT.EMPTY_PATH],
]);

/** name_to_handle_at flags. */
export const NAME_TO_HANDLE_AT_FLAGS = xlat([
  ["AT_SYMLINK_FOLLOW", AT.SYMLINK_FOLLOW],
  ["AT_EMPTY_PATH", AT.EMPTY_PATH],
]);

/** The AT_STATX_SYNC_TYPE field of statx flags, printed before the other at-flags. */
export const AT_STATX_SYNC_TYPES = xlat([
  ["AT_STATX_SYNC_AS_STAT", 0],
  ["AT_STATX_FORCE_SYNC", 0x2000],
  ["AT_STATX_DONT_SYNC", 0x4000],
]);
export const AT_STATX_SYNC_TYPE = AT.STATX_SYNC_TYPE;

/** access(2) modes; F_OK (0) is printed for a zero mode. */
export const ACCESS_MODES = xlat([
  ["R_OK", 4],
  ["W_OK", 2],
  ["X_OK", 1],
]);

/** lseek whence. */
export const WHENCE = xlat([
  ["SEEK_SET", SEEK.SET],
  ["SEEK_CUR", SEEK.CUR],
  ["SEEK_END", SEEK.END],
  ["SEEK_DATA", SEEK.DATA],
  ["SEEK_HOLE", SEEK.HOLE],
]);

/** fcntl commands. */
export const FCNTL_CMDS = xlat([
  ["F_DUPFD", F.DUPFD],
  ["F_GETFD", F.GETFD],
  ["F_SETFD", F.SETFD],
  ["F_GETFL", F.GETFL],
  ["F_SETFL", F.SETFL],
  ["F_GETLK", F.GETLK],
  ["F_SETLK", F.SETLK],
  ["F_SETLKW", F.SETLKW],
  ["F_SETOWN", F.SETOWN],
  ["F_GETOWN", F.GETOWN],
  ["F_SETSIG", F.SETSIG],
  ["F_GETSIG", F.GETSIG],
  ["F_SETOWN_EX", F.SETOWN_EX],
  ["F_GETOWN_EX", F.GETOWN_EX],
  ["F_GETOWNER_UIDS", 17],
  ["F_OFD_GETLK", F.OFD_GETLK],
  ["F_OFD_SETLK", F.OFD_SETLK],
  ["F_OFD_SETLKW", F.OFD_SETLKW],
  ["F_SETLEASE", F.SETLEASE],
  ["F_GETLEASE", F.GETLEASE],
  ["F_NOTIFY", F.NOTIFY],
  ["F_CANCELLK", 1029],
  ["F_DUPFD_CLOEXEC", F.DUPFD_CLOEXEC],
  ["F_SETPIPE_SZ", F.SETPIPE_SZ],
  ["F_GETPIPE_SZ", F.GETPIPE_SZ],
  ["F_ADD_SEALS", F.ADD_SEALS],
  ["F_GET_SEALS", F.GET_SEALS],
  ["F_GET_RW_HINT", 1035],
  ["F_SET_RW_HINT", 1036],
  ["F_GET_FILE_RW_HINT", 1037],
  ["F_SET_FILE_RW_HINT", 1038],
]);

/** File descriptor flags (F_GETFD/F_SETFD). */
export const FD_FLAGS = xlat([["FD_CLOEXEC", 1]]);

/** struct flock l_type, and F_SETLEASE/F_GETLEASE values. */
export const LOCK_TYPES = xlat([
  ["F_RDLCK", 0],
  ["F_WRLCK", 1],
  ["F_UNLCK", 2],
  ["F_EXLCK", 4],
  ["F_SHLCK", 8],
]);

/** F_ADD_SEALS / F_GET_SEALS. */
export const SEALS = xlat([
  ["F_SEAL_SEAL", 0x1],
  ["F_SEAL_SHRINK", 0x2],
  ["F_SEAL_GROW", 0x4],
  ["F_SEAL_WRITE", 0x8],
  ["F_SEAL_FUTURE_WRITE", 0x10],
]);

/** F_NOTIFY events. */
export const NOTIFY_FLAGS = xlat([
  ["DN_ACCESS", 0x1],
  ["DN_MODIFY", 0x2],
  ["DN_CREATE", 0x4],
  ["DN_DELETE", 0x8],
  ["DN_RENAME", 0x10],
  ["DN_ATTRIB", 0x20],
  ["DN_MULTISHOT", 0x80000000],
]);

/** F_SETOWN_EX owner types. */
export const F_OWNER_TYPES = xlat([
  ["F_OWNER_TID", 0],
  ["F_OWNER_PID", 1],
  ["F_OWNER_PGRP", 2],
]);

/** flock(2) operations; LOCK_RW before LOCK_READ and LOCK_WRITE. */
export const FLOCK_CMDS = xlat([
  ["LOCK_SH", 1],
  ["LOCK_EX", 2],
  ["LOCK_NB", 4],
  ["LOCK_UN", 8],
  ["LOCK_MAND", 32],
  ["LOCK_RW", 192],
  ["LOCK_READ", 64],
  ["LOCK_WRITE", 128],
]);

/** renameat2 flags. */
export const RENAME_FLAGS = xlat([
  ["RENAME_NOREPLACE", RENAME.NOREPLACE],
  ["RENAME_EXCHANGE", RENAME.EXCHANGE],
  ["RENAME_WHITEOUT", RENAME.WHITEOUT],
]);

/** statx mask bits; STATX_ALL and STATX_BASIC_STATS first. */
export const STATX_MASKS = xlat([
  ["STATX_ALL", 0xfff],
  ["STATX_BASIC_STATS", STATX.BASIC_STATS],
  ["STATX_TYPE", STATX.TYPE],
  ["STATX_MODE", STATX.MODE],
  ["STATX_NLINK", STATX.NLINK],
  ["STATX_UID", STATX.UID],
  ["STATX_GID", STATX.GID],
  ["STATX_ATIME", STATX.ATIME],
  ["STATX_MTIME", STATX.MTIME],
  ["STATX_CTIME", STATX.CTIME],
  ["STATX_INO", STATX.INO],
  ["STATX_SIZE", STATX.SIZE],
  ["STATX_BLOCKS", STATX.BLOCKS],
  ["STATX_BTIME", STATX.BTIME],
  ["STATX_MNT_ID", STATX.MNT_ID],
  ["STATX_DIOALIGN", 0x2000],
  ["STATX_MNT_ID_UNIQUE", 0x4000],
  ["STATX_SUBVOL", 0x8000],
  ["STATX_WRITE_ATOMIC", 0x10000],
]);

/** statx stx_attributes bits. */
export const STATX_ATTRS = xlat([
  ["STATX_ATTR_COMPRESSED", 0x4],
  ["STATX_ATTR_IMMUTABLE", 0x10],
  ["STATX_ATTR_APPEND", 0x20],
  ["STATX_ATTR_NODUMP", 0x40],
  ["STATX_ATTR_ENCRYPTED", 0x800],
  ["STATX_ATTR_AUTOMOUNT", 0x1000],
  ["STATX_ATTR_MOUNT_ROOT", STATX.ATTR_MOUNT_ROOT],
  ["STATX_ATTR_VERITY", 0x100000],
  ["STATX_ATTR_DAX", 0x200000],
  ["STATX_ATTR_WRITE_ATOMIC", 0x400000],
]);

/** File types of st_mode (S_IFMT part). */
export const MODE_TYPES = xlat([
  ["S_IFREG", S.IFREG],
  ["S_IFSOCK", S.IFSOCK],
  ["S_IFIFO", S.IFIFO],
  ["S_IFLNK", S.IFLNK],
  ["S_IFDIR", S.IFDIR],
  ["S_IFBLK", S.IFBLK],
  ["S_IFCHR", S.IFCHR],
]);

/** getdents64 d_type. */
export const DIRENT_TYPES = xlat([
  ["DT_UNKNOWN", DT.UNKNOWN],
  ["DT_FIFO", DT.FIFO],
  ["DT_CHR", DT.CHR],
  ["DT_DIR", DT.DIR],
  ["DT_BLK", DT.BLK],
  ["DT_REG", DT.REG],
  ["DT_LNK", DT.LNK],
  ["DT_SOCK", DT.SOCK],
  ["DT_WHT", 14],
]);

/** statfs f_type (linux/magic.h); where several names share a value the first is printed. */
export const FS_MAGICS = xlat([
  ["QNX4_SUPER_MAGIC", 0x002f],
  ["AUTOFS_SUPER_MAGIC", 0x0187],
  ["DEVPTS_SUPER_MAGIC", FS_MAGIC.DEVPTS],
  ["MINIX_SUPER_MAGIC", 0x137f],
  ["MINIX_SUPER_MAGIC2", 0x138f],
  ["MINIX2_SUPER_MAGIC", 0x2468],
  ["MINIX2_SUPER_MAGIC2", 0x2478],
  ["NILFS_SUPER_MAGIC", 0x3434],
  ["MSDOS_SUPER_MAGIC", 0x4d44],
  ["MINIX3_SUPER_MAGIC", 0x4d5a],
  ["SMB_SUPER_MAGIC", 0x517b],
  ["NCP_SUPER_MAGIC", 0x564c],
  ["NFS_SUPER_MAGIC", 0x6969],
  ["JFFS2_SUPER_MAGIC", 0x72b6],
  ["ISOFS_SUPER_MAGIC", 0x9660],
  ["PROC_SUPER_MAGIC", FS_MAGIC.PROC],
  ["OPENPROM_SUPER_MAGIC", 0x9fa1],
  ["USBDEVICE_SUPER_MAGIC", 0x9fa2],
  ["ADFS_SUPER_MAGIC", 0xadf5],
  ["AFFS_SUPER_MAGIC", 0xadff],
  ["EXT2_SUPER_MAGIC", 0xef53],
  ["ECRYPTFS_SUPER_MAGIC", 0xf15f],
  ["CGROUP_SUPER_MAGIC", 0x27e0eb],
  ["EFS_SUPER_MAGIC", 0x414a53],
  ["HOSTFS_SUPER_MAGIC", 0x00c0ffee],
  ["CEPH_SUPER_MAGIC", 0x00c36400],
  ["TMPFS_MAGIC", FS_MAGIC.TMPFS],
  ["V9FS_MAGIC", 0x01021997],
  ["RDTGROUP_SUPER_MAGIC", 0x07655821],
  ["ANON_INODE_FS_MAGIC", 0x09041934],
  ["FUTEXFS_SUPER_MAGIC", 0x0bad1dea],
  ["MTD_INODE_FS_MAGIC", 0x11307854],
  ["UDF_SUPER_MAGIC", 0x15013346],
  ["EXFAT_SUPER_MAGIC", 0x2011bab0],
  ["CRAMFS_MAGIC", 0x28cd3d45],
  ["BINFMTFS_MAGIC", 0x42494e4d],
  ["SMACK_MAGIC", 0x43415d53],
  ["DMA_BUF_MAGIC", 0x444d4142],
  ["CRAMFS_MAGIC_WEND", 0x453dcd28],
  ["DEVMEM_MAGIC", 0x454d444d],
  ["PIPEFS_MAGIC", FS_MAGIC.PIPEFS],
  ["REISERFS_SUPER_MAGIC", 0x52654973],
  ["SECRETMEM_MAGIC", 0x5345434d],
  ["AFS_SUPER_MAGIC", 0x5346414f],
  ["SOCKFS_MAGIC", 0x534f434b],
  ["XFS_SUPER_MAGIC", 0x58465342],
  ["AAFS_MAGIC", 0x5a3c69f0],
  ["ZONEFS_MAGIC", 0x5a4f4653],
  ["PSTOREFS_MAGIC", 0x6165676c],
  ["BDEVFS_MAGIC", 0x62646576],
  ["SYSFS_MAGIC", 0x62656572],
  ["CGROUP2_SUPER_MAGIC", 0x63677270],
  ["DEBUGFS_MAGIC", 0x64626720],
  ["DAXFS_MAGIC", 0x64646178],
  ["FUSE_SUPER_MAGIC", 0x65735546],
  ["QNX6_SUPER_MAGIC", 0x68191122],
  ["AFS_FS_MAGIC", 0x6b414653],
  ["BINDERFS_SUPER_MAGIC", 0x6c6f6f70],
  ["NSFS_MAGIC", 0x6e736673],
  ["SECURITYFS_MAGIC", 0x73636673],
  ["SQUASHFS_MAGIC", 0x73717368],
  ["BTRFS_TEST_MAGIC", 0x73727279],
  ["CODA_SUPER_MAGIC", 0x73757245],
  ["OCFS2_SUPER_MAGIC", 0x7461636f],
  ["TRACEFS_MAGIC", 0x74726163],
  ["OVERLAYFS_SUPER_MAGIC", 0x794c7630],
  ["RAMFS_MAGIC", FS_MAGIC.RAMFS],
  ["BTRFS_SUPER_MAGIC", 0x9123683e],
  ["HUGETLBFS_MAGIC", 0x958458f6],
  ["XENFS_SUPER_MAGIC", 0xabba1974],
  ["BPF_FS_MAGIC", 0xcafe4a11],
  ["EFIVARFS_MAGIC", 0xde5e81e4],
  ["EROFS_SUPER_MAGIC_V1", 0xe0f5e1e2],
  ["F2FS_SUPER_MAGIC", 0xf2f52010],
  ["SELINUX_MAGIC", 0xf97cff8c],
  ["HPFS_SUPER_MAGIC", 0xf995e849],
  ["SMB2_SUPER_MAGIC", 0xfe534d42],
  ["CIFS_SUPER_MAGIC", 0xff534d42],
]);

/** statfs f_flags (ST_*). */
export const STATFS_FLAGS = xlat([
  ["ST_VALID", 0x20],
  ["ST_RDONLY", 0x1],
  ["ST_NOSUID", 0x2],
  ["ST_NODEV", 0x4],
  ["ST_NOEXEC", 0x8],
  ["ST_SYNCHRONOUS", 0x10],
  ["ST_MANDLOCK", 0x40],
  ["ST_NOATIME", 0x400],
  ["ST_NODIRATIME", 0x800],
  ["ST_RELATIME", 0x1000],
  ["ST_NOSYMFOLLOW", 0x2000],
]);

/** close_range flags. */
export const CLOSE_RANGE_FLAGS = xlat([
  ["CLOSE_RANGE_UNSHARE", 0x2],
  ["CLOSE_RANGE_CLOEXEC", 0x4],
]);

/** setxattr flags. */
export const XATTR_FLAGS = xlat([
  ["XATTR_CREATE", 0x1],
  ["XATTR_REPLACE", 0x2],
]);

/** fallocate modes. */
export const FALLOC_FLAGS = xlat([
  ["FALLOC_FL_KEEP_SIZE", 0x1],
  ["FALLOC_FL_PUNCH_HOLE", 0x2],
  ["FALLOC_FL_NO_HIDE_STALE", 0x4],
  ["FALLOC_FL_COLLAPSE_RANGE", 0x8],
  ["FALLOC_FL_ZERO_RANGE", 0x10],
  ["FALLOC_FL_INSERT_RANGE", 0x20],
  ["FALLOC_FL_UNSHARE_RANGE", 0x40],
]);

/** sync_file_range flags. */
export const SYNC_FILE_RANGE_FLAGS = xlat([
  ["SYNC_FILE_RANGE_WAIT_BEFORE", 0x1],
  ["SYNC_FILE_RANGE_WRITE", 0x2],
  ["SYNC_FILE_RANGE_WAIT_AFTER", 0x4],
]);

/** splice, tee, vmsplice flags. */
export const SPLICE_FLAGS = xlat([
  ["SPLICE_F_MOVE", 0x1],
  ["SPLICE_F_NONBLOCK", 0x2],
  ["SPLICE_F_MORE", 0x4],
  ["SPLICE_F_GIFT", 0x8],
]);

/** inotify_add_watch masks. */
export const INOTIFY_MASKS = xlat([
  ["IN_ACCESS", 0x1],
  ["IN_MODIFY", 0x2],
  ["IN_ATTRIB", 0x4],
  ["IN_CLOSE_WRITE", 0x8],
  ["IN_CLOSE_NOWRITE", 0x10],
  ["IN_OPEN", 0x20],
  ["IN_MOVED_FROM", 0x40],
  ["IN_MOVED_TO", 0x80],
  ["IN_CREATE", 0x100],
  ["IN_DELETE", 0x200],
  ["IN_DELETE_SELF", 0x400],
  ["IN_MOVE_SELF", 0x800],
  ["IN_UNMOUNT", 0x2000],
  ["IN_Q_OVERFLOW", 0x4000],
  ["IN_IGNORED", 0x8000],
  ["IN_ONLYDIR", 0x1000000],
  ["IN_DONT_FOLLOW", 0x2000000],
  ["IN_EXCL_UNLINK", 0x4000000],
  ["IN_MASK_CREATE", 0x10000000],
  ["IN_MASK_ADD", 0x20000000],
  ["IN_ISDIR", 0x40000000],
  ["IN_ONESHOT", 0x80000000],
]);

/** inotify_init1 flags. */
export const INOTIFY_INIT_FLAGS = xlat([
  ["IN_NONBLOCK", O.NONBLOCK],
  ["IN_CLOEXEC", O.CLOEXEC],
]);

/** eventfd2 flags. */
export const EVENTFD_FLAGS = xlat([
  ["EFD_SEMAPHORE", 0x1],
  ["EFD_CLOEXEC", O.CLOEXEC],
  ["EFD_NONBLOCK", O.NONBLOCK],
]);

/** epoll_create1 flags. */
export const EPOLL_CREATE_FLAGS = xlat([["EPOLL_CLOEXEC", O.CLOEXEC]]);

/** signalfd4 flags. */
export const SIGNALFD_FLAGS = xlat([
  ["SFD_CLOEXEC", O.CLOEXEC],
  ["SFD_NONBLOCK", O.NONBLOCK],
]);

/** timerfd_create and timerfd_settime flags. */
export const TIMERFD_FLAGS = xlat([
  ["TFD_TIMER_ABSTIME", 0x1],
  ["TFD_TIMER_CANCEL_ON_SET", 0x2],
  ["TFD_CLOEXEC", O.CLOEXEC],
  ["TFD_NONBLOCK", O.NONBLOCK],
]);

/** memfd_create flags (the MFD_HUGE_* size field is printed separately). */
export const MEMFD_FLAGS = xlat([
  ["MFD_CLOEXEC", 0x1],
  ["MFD_ALLOW_SEALING", 0x2],
  ["MFD_HUGETLB", 0x4],
  ["MFD_NOEXEC_SEAL", 0x8],
  ["MFD_EXEC", 0x10],
]);

/** preadv2/pwritev2 flags. */
export const RWF_FLAGS = xlat([
  ["RWF_HIPRI", 0x1],
  ["RWF_DSYNC", 0x2],
  ["RWF_SYNC", 0x4],
  ["RWF_NOWAIT", 0x8],
  ["RWF_APPEND", 0x10],
]);

/** openat2 resolve flags. */
export const RESOLVE_FLAGS = xlat([
  ["RESOLVE_NO_XDEV", 0x1],
  ["RESOLVE_NO_MAGICLINKS", 0x2],
  ["RESOLVE_NO_SYMLINKS", 0x4],
  ["RESOLVE_BENEATH", 0x8],
  ["RESOLVE_IN_ROOT", 0x10],
  ["RESOLVE_CACHED", 0x20],
]);

/** mount(2) flags. */
export const MOUNT_FLAGS = xlat([
  ["MS_RDONLY", 1],
  ["MS_NOSUID", 2],
  ["MS_NODEV", 4],
  ["MS_NOEXEC", 8],
  ["MS_SYNCHRONOUS", 16],
  ["MS_REMOUNT", 32],
  ["MS_MANDLOCK", 64],
  ["MS_DIRSYNC", 128],
  ["MS_NOSYMFOLLOW", 256],
  ["MS_NOATIME", 1024],
  ["MS_NODIRATIME", 2048],
  ["MS_BIND", 4096],
  ["MS_MOVE", 8192],
  ["MS_REC", 16384],
  ["MS_SILENT", 32768],
  ["MS_POSIXACL", 1 << 16],
  ["MS_UNBINDABLE", 1 << 17],
  ["MS_PRIVATE", 1 << 18],
  ["MS_SLAVE", 1 << 19],
  ["MS_SHARED", 1 << 20],
  ["MS_RELATIME", 1 << 21],
  ["MS_KERNMOUNT", 1 << 22],
  ["MS_I_VERSION", 1 << 23],
  ["MS_STRICTATIME", 1 << 24],
  ["MS_LAZYTIME", 1 << 25],
  ["MS_SUBMOUNT", 1 << 26],
  ["MS_NOREMOTELOCK", 1 << 27],
  ["MS_NOSEC", 1 << 28],
  ["MS_BORN", 1 << 29],
  ["MS_ACTIVE", 1 << 30],
  ["MS_NOUSER", 0x80000000],
]);

/** umount2 flags. */
export const UMOUNT_FLAGS = xlat([
  ["MNT_FORCE", 1],
  ["MNT_DETACH", 2],
  ["MNT_EXPIRE", 4],
  ["UMOUNT_NOFOLLOW", 8],
]);

/** fadvise64 advice. */
export const FADVISE_ADVICE = xlatSeq([
  "POSIX_FADV_NORMAL",
  "POSIX_FADV_RANDOM",
  "POSIX_FADV_SEQUENTIAL",
  "POSIX_FADV_WILLNEED",
  "POSIX_FADV_DONTNEED",
  "POSIX_FADV_NOREUSE",
]);

/** ioprio_set/ioprio_get `which`. */
export const IOPRIO_WHO = xlatSeq(["", "IOPRIO_WHO_PROCESS", "IOPRIO_WHO_PGRP", "IOPRIO_WHO_USER"]);

/** kexec_file_load flags. */
export const KEXEC_FILE_FLAGS = xlat([
  ["KEXEC_FILE_UNLOAD", 1],
  ["KEXEC_FILE_ON_CRASH", 2],
  ["KEXEC_FILE_NO_INITRAMFS", 4],
]);

/** fanotify_init flags. */
export const FAN_INIT_FLAGS = xlat([
  ["FAN_CLASS_NOTIF", 0],
  ["FAN_CLOEXEC", 0x1],
  ["FAN_NONBLOCK", 0x2],
  ["FAN_CLASS_CONTENT", 0x4],
  ["FAN_CLASS_PRE_CONTENT", 0x8],
  ["FAN_UNLIMITED_QUEUE", 0x10],
  ["FAN_UNLIMITED_MARKS", 0x20],
  ["FAN_ENABLE_AUDIT", 0x40],
  ["FAN_REPORT_PIDFD", 0x80],
  ["FAN_REPORT_TID", 0x100],
  ["FAN_REPORT_FID", 0x200],
  ["FAN_REPORT_DIR_FID", 0x400],
  ["FAN_REPORT_NAME", 0x800],
  ["FAN_REPORT_TARGET_FID", 0x1000],
]);

/** open_tree flags (besides the at-flags). */
export const OPEN_TREE_FLAGS = xlat([
  ["OPEN_TREE_CLONE", 1],
  ["OPEN_TREE_CLOEXEC", O.CLOEXEC],
  ...AT_FLAGS.entries,
]);
