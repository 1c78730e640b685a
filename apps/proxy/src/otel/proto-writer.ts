/** Bytes of `value` as a varint (values in 0 … 2^53; others take ten). */
export function varintSize(value: number): number {
  if (value < 0 || value > Number.MAX_SAFE_INTEGER) return 10;
  let n = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) n++;
  return n;
}

/** UTF-8 length of `s`, counted in JS (`Buffer.byteLength` is a runtime call per string). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      // A surrogate pair: 4 bytes for 2 UTF-16 units.
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2;
        i++;
      } else n += 2;
    } else n += 2;
  }
  return n;
}

/** Bytes of a length-delimited field of `length` bytes under a one-byte tag (fields 1–15). */
export function delimitedSize(length: number): number {
  return 1 + varintSize(length) + length;
}

/**
 * A protobuf binary writer for the few wire types OTLP needs, writing into
 * one growing buffer that is reused from batch to batch. A nested message
 * is written in place behind a two-byte length slot, patched when it ends
 * (moved by a byte or two when the length needs another size): no child
 * writer, no copy of the message. Varints of the common sizes are written
 * with integer arithmetic, BigInt only for the rare value beyond 2^53 or below 0.
 */
export class ProtoWriter {
  #buf: Buffer;
  #at = 0;

  constructor(initial = 1024) {
    this.#buf = Buffer.allocUnsafe(initial);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#at;
  }

  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + n));
    this.#buf.copy(next, 0, 0, this.#at);
    this.#buf = next;
  }

  #varint(value: number): void {
    this.#room(10);
    if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
      let v = value;
      while (v >= 0x80) {
        this.#buf[this.#at++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      this.#buf[this.#at++] = v;
      return;
    }
    // int64 goes out as its 64-bit two's complement (negative numbers take ten bytes).
    let big = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    while (big >= 0x80n) {
      this.#buf[this.#at++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    this.#buf[this.#at++] = Number(big);
  }

  #tag(field: number, wire: number): void {
    this.#varint(field * 8 + wire);
  }

  /**
   * The tag and length of a length-delimited field whose `length` bytes the
   * caller writes next (with the other methods): for messages whose size is
   * known up front (attributes).
   */
  header(field: number, length: number): this {
    this.#tag(field, 2);
    this.#varint(length);
    return this;
  }

  /**
   * Opens a nested message under `field`; the caller writes its fields, then
   * passes the returned mark to {@link ProtoWriter.end} with the same `slot`:
   * the bytes left for the length (1 fits messages under 128 bytes, 2 under 16 KiB).
   */
  begin(field: number, slot = 2): number {
    this.#tag(field, 2);
    this.#room(slot);
    const mark = this.#at;
    this.#at += slot;
    return mark;
  }

  /** Closes the message opened at `mark`: writes its length in the slot left for it. */
  end(mark: number, slot = 2): this {
    const body = mark + slot;
    const length = this.#at - body;
    const size = length < 0x80 ? 1 : varintSize(length);
    if (size !== slot) {
      // The length needs another size than the slot: move the body to fit.
      this.#room(size);
      this.#buf.copyWithin(mark + size, body, this.#at);
      this.#at += size - slot;
    }
    let v = length;
    for (let i = mark; i < mark + size - 1; i++) {
      this.#buf[i] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#buf[mark + size - 1] = v;
    return this;
  }

  /** A varint field; proto3 leaves zero out unless `always` (a oneof member must be present). */
  varint(field: number, value: number, always = false): this {
    if (value === 0 && !always) return this;
    this.#tag(field, 0);
    this.#varint(value);
    return this;
  }

  string(field: number, value: string, always = false): this {
    if (value === '' && !always) return this;
    this.#tag(field, 2);
    const n = value.length;
    if (n < 0x80) {
      // Short ASCII, the usual case: one pass, the character count is the one-byte length.
      this.#room(n + 1);
      const buf = this.#buf;
      const start = this.#at;
      let at = start + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at++] = c;
      }
      if (i === n) {
        buf[start] = n;
        this.#at = at;
        return this;
      }
    }
    const length = utf8Length(value);
    this.#varint(length);
    this.#room(length);
    this.#at += this.#buf.write(value, this.#at, 'utf8');
    return this;
  }

  /** A `bytes` field from hex text (trace and span ids). */
  hexBytes(field: number, hex: string): this {
    const length = hex.length >> 1;
    this.#tag(field, 2);
    this.#varint(length);
    this.#room(length);
    this.#at += this.#buf.write(hex, this.#at, 'hex');
    return this;
  }

  /** Bytes already encoded (another writer's output). */
  raw(bytes: Uint8Array): this {
    this.#room(bytes.length);
    this.#buf.set(bytes, this.#at);
    this.#at += bytes.length;
    return this;
  }

  fixed64(field: number, value: bigint): this {
    this.#tag(field, 1);
    this.#room(8);
    this.#buf.writeBigUInt64LE(value, this.#at);
    this.#at += 8;
    return this;
  }

  double(field: number, value: number): this {
    this.#tag(field, 1);
    this.#room(8);
    this.#buf.writeDoubleLE(value, this.#at);
    this.#at += 8;
    return this;
  }

  /** The bytes written, as a view of the writer's buffer (valid until the next write or reset). */
  view(): Buffer {
    return this.#buf.subarray(0, this.#at);
  }

  /** Starts over, keeping the buffer. */
  reset(): void {
    this.#at = 0;
  }
}
