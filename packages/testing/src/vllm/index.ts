export type { PrefixCacheOptions } from './prefix-cache';
export { runVllmCli } from './vllm-cli';
export type { ReasoningField } from './vllm-context';
export {
  startVllmEmulator,
  type VllmEmulator,
  type VllmEmulatorOptions,
} from './vllm-emulator';
export type { VllmErrorShape } from './vllm-errors';
export type { KvEventsOptions } from './vllm-kv-events';
export type { LoraModule, LoraOptions } from './vllm-lora';
