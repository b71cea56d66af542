// Lists a zip file's entries (a .vsix is one) from its central directory:
// name, uncompressed size and, for entries written on Unix, the file mode.
// Enough to check what a package carries without unpacking it.

/** @param {Buffer} buf the whole zip file */
export function listZip(buf) {
  // The end of central directory record: signature 0x06054b50, within the
  // last 64 KiB + 22 bytes (its comment is at most 65535 bytes).
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const madeBy = buf.readUInt16LE(at + 4) >> 8; // 3: Unix
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const external = buf.readUInt32LE(at + 38);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({ name, size, mode: madeBy === 3 ? (external >>> 16) & 0o7777 : undefined });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
