// Files of Linux's anonymous inode (fs/anon_inodes.c): eventpoll, eventfd, timerfd and signalfd.
// They share one inode of no file type (fstat shows mode 0600 and nothing else), live on the
// anon_inodefs pseudo file system, and /proc/PID/fd shows them as `anon_inode:[NAME]`.
import { O } from "../../abi/fs.js";
import { FileBase, pseudoStatfs } from "../vfs/open-file.js";
import { syntheticStat, type StatInfo, type StatfsInfo, type Timespec } from "../vfs/stat.js";

/** statfs f_type of anon_inodefs (ANON_INODE_FS_MAGIC, include/uapi/linux/magic.h). */
export const ANON_INODE_FS_MAGIC = 0x09041934;
/** st_dev of anon_inodefs (an anonymous mount: major 0, the minor the next after pipefs). */
const ANON_DEV = 0x0dn;
/** The one inode every anonymous file shares. */
const ANON_INO = 1n;

export abstract class AnonFile extends FileBase {
  readonly kind = "anon";

  /**
   * @param name what /proc/PID/fd shows in the brackets
   * @param flags status flags of the new file: O_RDWR plus O_NONBLOCK when asked (O_CLOEXEC is the
   *   descriptor's, not the file's)
   */
  constructor(
    name: string,
    flags: number,
    /** The inode's times: the kernel made it at boot (the Vfs's time of synthetic nodes). */
    private readonly time: Timespec,
  ) {
    super(O.RDWR | (flags & O.NONBLOCK), `anon_inode:[${name}]`);
  }

  get nonblock(): boolean {
    return (this.flags & O.NONBLOCK) !== 0;
  }

  stat(): StatInfo {
    return syntheticStat({
      dev: ANON_DEV,
      ino: ANON_INO,
      mode: 0o600,
      // The kernel made it, as root, whoever opens it.
      uid: 0,
      gid: 0,
      time: this.time,
    });
  }

  /** noop_llseek: the offset stays 0, whatever is asked (pread and pwrite stay ESPIPE). */
  override seek(_offset: number, _whence: number): number {
    return 0;
  }

  override statfs(): StatfsInfo {
    return pseudoStatfs(ANON_INODE_FS_MAGIC);
  }
}
