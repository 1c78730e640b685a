export { runVllmCli } from './vllm-cli';
export type { ReasoningField } from './vllm-context';
export {
  startVllmEmulator,
  type VllmEmulator,
  type VllmEmulatorOptions,
} from './vllm-emulator';
export type { VllmErrorShape } from './vllm-errors';
