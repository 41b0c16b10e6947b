import { ModelFileError } from '../errors.js';

/**
 * Thrown by a cursor that ran off the end of the bytes it was given while the file holds more:
 * the reader reads a longer prefix and parses again. Never reaches a user.
 */
export class NeedMoreBytes extends Error {
  /** The prefix length the parse needs at least. */
  readonly bytes: number;
  constructor(bytes: number) {
    super(`need the first ${bytes} bytes`);
    this.bytes = bytes;
  }
}

/**
 * A little-endian read cursor over a prefix of a file. Every read is checked first against the
 * file's size (a count or length past the end is a corrupt or truncated file: ModelFileError)
 * and then against the prefix (NeedMoreBytes), so a hostile length never allocates or loops.
 */
export class GgufCursor {
  private readonly view: DataView;
  pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    readonly fileSizeBytes: number,
    private readonly label: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes of the file after the cursor (not only of the prefix). */
  remainingInFile(): number {
    return this.fileSizeBytes - this.pos;
  }

  /** Makes sure `n` more bytes can be read; `what` names them for the error. */
  need(n: number, what: string): void {
    if (n > this.remainingInFile()) {
      throw new ModelFileError(
        `${this.label} is truncated or corrupt: ${what} at byte ${this.pos} needs ${n} bytes, ` +
          `but the file ends ${this.remainingInFile()} bytes later`,
        'Download the model again; if it was downloaded by costbench, delete the file and rerun.',
      );
    }
    if (this.pos + n > this.bytes.length) throw new NeedMoreBytes(this.pos + n);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  i64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A fixed-size scalar of `size` bytes read by DataView method `read`. */
  scalar(size: number, what: string, read: (view: DataView, at: number) => number | bigint): number | bigint {
    this.need(size, what);
    const v = read(this.view, this.pos);
    this.pos += size;
    return v;
  }

  /** A u64 length, checked against the file before it is used as a count or a size. */
  length(what: string, minBytesEach: number): number {
    const n = this.u64(what);
    const room = BigInt(this.remainingInFile());
    if (n * BigInt(Math.max(1, minBytesEach)) > room) {
      throw new ModelFileError(
        `${this.label} is truncated or corrupt: ${what} at byte ${this.pos - 8} is ${n}, more than the ` +
          `${room} bytes left in the file can hold`,
        'This file is damaged or not a model llama.cpp wrote; download it again.',
      );
    }
    return Number(n);
  }

  /** A GGUF string: u64 byte length, then UTF-8 bytes. */
  string(what: string): string {
    const n = this.length(`${what} length`, 1);
    this.need(n, what);
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return text;
  }

  /** Skips a GGUF string without decoding it. */
  skipString(what: string): void {
    const n = this.length(`${what} length`, 1);
    this.need(n, what);
    this.pos += n;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }
}
