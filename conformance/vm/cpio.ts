// The initramfs archive format: cpio "newc" (SVR4 with no CRC), the one the kernel unpacks
// (init/initramfs.c; Documentation/driver-api/early-userspace/buffer-format.rst). Each entry is
// a 110-byte ASCII header — the magic 070701 and thirteen 8-digit hex fields — then the name
// with its NUL, padded to 4 bytes, then the data, padded to 4 bytes; `TRAILER!!!` ends it.
// Uncompressed: every kernel with BLK_DEV_INITRD takes it, whatever decompressors it has.

export type CpioEntry =
  | { readonly kind: 'dir'; readonly path: string; readonly mode: number }
  | { readonly kind: 'file'; readonly path: string; readonly mode: number; readonly data: Buffer }
  | { readonly kind: 'char'; readonly path: string; readonly mode: number; readonly major: number; readonly minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`cpio field out of range: ${n}`);
  return n.toString(16).padStart(8, '0');
}

function pad4(n: number): Buffer {
  return Buffer.alloc((4 - (n % 4)) % 4);
}

function header(ino: number, mode: number, nlink: number, size: number, rmajor: number, rminor: number, nameSize: number): Buffer {
  // ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
  const fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rmajor, rminor, nameSize, 0];
  return Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii');
}

/** The archive of `entries`, in order (a directory must come before what it holds). Every entry
 * is owned by root with mtime 0, so equal entries give byte-equal archives. */
export function cpioArchive(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const add = (name: string, mode: number, nlink: number, data: Buffer, rmajor = 0, rminor = 0): void => {
    const nameBytes = Buffer.from(`${name}\0`, 'utf8');
    const h = header(ino++, mode, nlink, data.length, rmajor, rminor, nameBytes.length);
    parts.push(h, nameBytes, pad4(h.length + nameBytes.length), data, pad4(data.length));
  };
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    if (name === '' || name.split('/').some((p) => p === '' || p === '.' || p === '..')) throw new RangeError(`cpio: bad path ${JSON.stringify(e.path)}`);
    if (e.kind === 'dir') add(name, S_IFDIR | (e.mode & 0o7777), 2, Buffer.alloc(0));
    else if (e.kind === 'file') add(name, S_IFREG | (e.mode & 0o7777), 1, e.data);
    else add(name, S_IFCHR | (e.mode & 0o7777), 1, Buffer.alloc(0), e.major, e.minor);
  }
  add('TRAILER!!!', 0, 1, Buffer.alloc(0));
  return Buffer.concat(parts);
}
