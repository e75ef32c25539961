// Errno names and numbers (x86_64, include/uapi/asm-generic/errno*.h).
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  EBADF: 9,
  EPIPE: 32,
  ECONNREFUSED: 111,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  ENOTTY: 25,
  ESPIPE: 29,
  EXDEV: 18,
  ENOTDIR: 20,
  EISDIR: 21,
  ENOTEMPTY: 39,
  EINVAL: 22,
  E2BIG: 7,
  ENOSYS: 38,
  ENOMSG: 42,
  EBADFD: 77,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EINPROGRESS: 115,
} as const;

export type ErrnoName = keyof typeof ERRNO;

const BY_NUMBER: ReadonlyMap<number, ErrnoName> = new Map(
  (Object.keys(ERRNO) as ErrnoName[]).map((k) => [ERRNO[k], k] as const),
);

/** Name of an errno number, or `E<n>` for one the table does not list. */
export function errnoName(n: number): string {
  return BY_NUMBER.get(n) ?? `E${n}`;
}
