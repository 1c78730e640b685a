/**
 * @switchyard/testing — faithful vLLM and Triton emulators (real wire
 * formats, deterministic output, fault injection) and the shared machinery
 * they are built from.
 *
 * @packageDocumentation
 */
export * from './shared/index';
export * from './triton/index';
export * from './vllm/index';
