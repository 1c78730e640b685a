/**
 * @switchyard/core — the contract every Switchyard package speaks: OpenAI
 * wire shapes (types and zod schemas), the error classes, the provider
 * contract and registry, the HTTP seam, and SSE reading and writing.
 *
 * @packageDocumentation
 */

export * from './errors/index';
export * from './http/index';
export * from './provider/index';
export {
  type ReasoningEffort,
  thinkingToReasoningEffort,
} from './request/thinking-to-reasoning-effort';
export * from './schemas/index';
export * from './sse/index';
export { estimatedUsage, estimateTokens } from './usage/estimate-tokens';
export { installHint, isMissingPackage } from './util/missing-package';
export { sleep } from './util/sleep';
