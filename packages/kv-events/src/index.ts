/**
 * vLLM KV-cache events: the msgpack wire format, a subscriber that follows
 * an engine's publisher (replaying sequence gaps), and a publisher with
 * vLLM's replay protocol. Kept apart from `@switchyard/router` so that only
 * applications routing on KV events install the ZeroMQ native module.
 */
export { KvEventPublisher, type KvEventPublisherOptions } from './publisher';
export {
  type KvEventHandler,
  KvEventSubscriber,
  type KvEventSubscriberOptions,
} from './subscriber';
export {
  type AllBlocksCleared,
  type BlockKey,
  type BlockRemoved,
  type BlockStored,
  blockKey,
  decodeEventBatch,
  type EngineBlockHash,
  encodeEventBatch,
  type KvCacheEvent,
  type KvEventBatch,
  KvWireError,
  type OutgoingEvent,
} from './wire-format';
