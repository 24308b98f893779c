// Host errors to guest errno: Node's fs calls throw errors whose `code` is the host errno's name
// (ENOENT, EEXIST, …). The guest sees Linux numbers, so the mapping goes by name, through one table.
import { E } from "../../abi/gen/errno.js";

/**
 * Host error code → Linux errno. Names not listed here fall back to the Linux errno of the same
 * name (E[code]); anything unknown becomes EIO.
 */
export const HOST_ERROR_TABLE: Readonly<Record<string, number>> = {
  ENOENT: E.ENOENT,
  EEXIST: E.EEXIST,
  ENOTDIR: E.ENOTDIR,
  EISDIR: E.EISDIR,
  ENOTEMPTY: E.ENOTEMPTY,
  EACCES: E.EACCES,
  EPERM: E.EPERM,
  EXDEV: E.EXDEV,
  ENOSPC: E.ENOSPC,
  EDQUOT: E.EDQUOT,
  EBADF: E.EBADF,
  EINVAL: E.EINVAL,
  ELOOP: E.ELOOP,
  ENAMETOOLONG: E.ENAMETOOLONG,
  EROFS: E.EROFS,
  EBUSY: E.EBUSY,
  ETXTBSY: E.ETXTBSY,
  EMFILE: E.EMFILE,
  ENFILE: E.ENFILE,
  EMLINK: E.EMLINK,
  EFBIG: E.EFBIG,
  EIO: E.EIO,
  EAGAIN: E.EAGAIN,
  EWOULDBLOCK: E.EAGAIN,
  EINTR: E.EINTR,
  EPIPE: E.EPIPE,
  ESPIPE: E.ESPIPE,
  ENXIO: E.ENXIO,
  ENODEV: E.ENODEV,
  EOVERFLOW: E.EOVERFLOW,
  ENOTSUP: E.EOPNOTSUPP,
  EOPNOTSUPP: E.EOPNOTSUPP,
  ENOTTY: E.ENOTTY,
  ENOMEM: E.ENOMEM,
  ESTALE: E.ESTALE,
  // Node's own codes for fs misuse that reach us only through bugs; keep them visible as EINVAL.
  ERR_INVALID_ARG_VALUE: E.EINVAL,
  ERR_INVALID_ARG_TYPE: E.EINVAL,
  ERR_OUT_OF_RANGE: E.EINVAL,
  ERR_FS_EISDIR: E.EISDIR,
};

/** The (positive) Linux errno for an error thrown by a host call. Non-host errors are rethrown. */
export function hostErrno(err: unknown): number {
  const code = typeof err === "object" && err !== null && "code" in err ? (err as { code: unknown }).code : undefined;
  if (typeof code !== "string") throw err;
  const mapped = HOST_ERROR_TABLE[code];
  if (mapped !== undefined) return mapped;
  const byName = (E as Readonly<Record<string, number>>)[code];
  return byName ?? E.EIO;
}

/** Runs a host call; returns its value, or -errno if it threw a host error. */
export function host<T>(fn: () => T): T | number {
  try {
    return fn();
  } catch (err) {
    return -hostErrno(err);
  }
}

/** True for a value in the -errno range [-4095, -1]. */
export function isErr(v: unknown): v is number {
  return typeof v === "number" && v < 0 && v >= -4095;
}
