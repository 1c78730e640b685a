/**
 * vLLM's KV-cache event wire format (`vllm/distributed/kv_events.py`):
 * msgpack of an `EventBatch` — `ts`, `events`, optional
 * `data_parallel_rank` — holding tagged `BlockStored`, `BlockRemoved` and
 * `AllBlocksCleared` events. Releases up to about 0.2x encode both as
 * msgpack arrays (msgspec `array_like`, the tag first); later ones encode
 * events as maps with a `type` key. Both are read; the publisher writes
 * arrays. Block hashes are the engine's own (`bytes`, or a uint64 when
 * `VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES` is on); they are read as 52-bit
 * numbers ({@link BlockKey}), enough to tell blocks apart and cheap to key
 * maps with.
 */
import { Decoder, Encoder } from '@msgpack/msgpack';

/** An engine block hash as read: its low 52 bits (ints) or first 52 bits (bytes). */
export type BlockKey = number;

/** Blocks the engine cached: their hashes, the hash before the first, and their tokens. */
export interface BlockStored {
  type: 'BlockStored';
  blockHashes: BlockKey[];
  parentBlockHash: BlockKey | null;
  /** Token ids of all the blocks, `blockSize` per block. */
  tokenIds: number[];
  blockSize: number;
  loraId: number | null;
  medium: string | null;
  loraName: string | null;
}

/** Blocks the engine evicted. */
export interface BlockRemoved {
  type: 'BlockRemoved';
  blockHashes: BlockKey[];
  medium: string | null;
}

/** The engine dropped its whole prefix cache (`/reset_prefix_cache`, a restart of the cache). */
export interface AllBlocksCleared {
  type: 'AllBlocksCleared';
}

export type KvCacheEvent = BlockStored | BlockRemoved | AllBlocksCleared;

/** One published batch. */
export interface KvEventBatch {
  /** Engine wall-clock seconds. */
  ts: number;
  events: KvCacheEvent[];
  dataParallelRank: number | null;
}

/** A hash as the engine writes it: a uint64 or the digest bytes. */
export type EngineBlockHash = bigint | number | Uint8Array;

/** An event to publish, with the engine's hashes as they are. */
export type OutgoingEvent =
  | {
      type: 'BlockStored';
      blockHashes: EngineBlockHash[];
      parentBlockHash: EngineBlockHash | null;
      tokenIds: number[];
      blockSize: number;
      loraId?: number | null;
      medium?: string | null;
      loraName?: string | null;
    }
  | { type: 'BlockRemoved'; blockHashes: EngineBlockHash[]; medium?: string | null }
  | { type: 'AllBlocksCleared' };

const TWO_52 = 2 ** 52;
const MASK_52 = (1n << 52n) - 1n;

/** Reads an engine hash as a {@link BlockKey}. */
export function blockKey(value: unknown): BlockKey {
  if (typeof value === 'bigint') return Number(BigInt.asUintN(64, value) & MASK_52);
  if (typeof value === 'number' && Number.isInteger(value)) {
    return ((value % TWO_52) + TWO_52) % TWO_52;
  }
  if (value instanceof Uint8Array && value.length >= 7) {
    let key = 0;
    for (let i = 0; i < 6; i++) key = key * 256 + value[i]!;
    return key * 16 + (value[6]! >> 4);
  }
  throw new KvWireError(`a block hash must be an integer or at least 7 bytes, got ${typeof value}`);
}

/** A batch that does not follow the wire format. */
export class KvWireError extends Error {
  override name = 'KvWireError';
}

const decoder = new Decoder({ useBigInt64: true });
const encoder = new Encoder({ useBigInt64: true, ignoreUndefined: true });

/** Decodes one batch payload (either layout). Throws {@link KvWireError} on anything else. */
export function decodeEventBatch(payload: Uint8Array): KvEventBatch {
  let raw: unknown;
  try {
    raw = decoder.decode(payload);
  } catch (error) {
    throw new KvWireError(`not msgpack: ${(error as Error).message}`);
  }
  const [ts, events, rank] = Array.isArray(raw)
    ? raw
    : isMap(raw)
      ? [raw.ts, raw.events, raw.data_parallel_rank]
      : [];
  if (typeof ts !== 'number' || !Array.isArray(events)) {
    throw new KvWireError('a batch is [ts, events, data_parallel_rank?] or a map of those');
  }
  return {
    ts,
    events: events.map(decodeEvent),
    dataParallelRank: rank === undefined || rank === null ? null : Number(rank),
  };
}

function decodeEvent(raw: unknown): KvCacheEvent {
  const fields = Array.isArray(raw) ? raw : undefined;
  const map = isMap(raw) ? raw : undefined;
  const type = fields ? fields[0] : map?.type;
  const at = (index: number, name: string): unknown => (fields ? fields[index] : map?.[name]);
  switch (type) {
    case 'BlockStored':
      return {
        type,
        blockHashes: list(at(1, 'block_hashes')).map(blockKey),
        parentBlockHash: nullable(at(2, 'parent_block_hash'), blockKey),
        tokenIds: list(at(3, 'token_ids')).map(Number),
        blockSize: Number(at(4, 'block_size')),
        loraId: nullable(at(5, 'lora_id'), Number),
        medium: nullable(at(6, 'medium'), String),
        loraName: nullable(at(7, 'lora_name'), String),
      };
    case 'BlockRemoved':
      return {
        type,
        blockHashes: list(at(1, 'block_hashes')).map(blockKey),
        medium: nullable(at(2, 'medium'), String),
      };
    case 'AllBlocksCleared':
      return { type };
    default:
      throw new KvWireError(`unknown event ${JSON.stringify(type)}`);
  }
}

/** Encodes a batch as vLLM's array layout writes it. */
export function encodeEventBatch(batch: {
  ts: number;
  events: OutgoingEvent[];
  dataParallelRank?: number | null;
}): Uint8Array {
  const events = batch.events.map((event): unknown[] => {
    switch (event.type) {
      case 'BlockStored':
        return [
          event.type,
          event.blockHashes,
          event.parentBlockHash,
          event.tokenIds,
          event.blockSize,
          event.loraId ?? null,
          event.medium ?? 'GPU',
          event.loraName ?? null,
        ];
      case 'BlockRemoved':
        return [event.type, event.blockHashes, event.medium ?? 'GPU'];
      default:
        return [event.type];
    }
  });
  // omit_defaults: a rank of None is left out.
  const rank = batch.dataParallelRank;
  return encoder.encode(
    rank === undefined || rank === null ? [batch.ts, events] : [batch.ts, events, rank],
  );
}

function isMap(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new KvWireError('expected a list');
  return value;
}

function nullable<T>(value: unknown, read: (v: unknown) => T): T | null {
  return value === undefined || value === null ? null : read(value);
}
