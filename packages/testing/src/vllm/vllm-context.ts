import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJsonWithFault } from '../shared/fault-responder';
import type { Fault } from '../shared/faults';
import type { TimingOptions, TokenPacer } from '../shared/timing';
import type { PrefixCache } from './prefix-cache';
import type { SeqScheduler } from './seq-scheduler';
import type { VllmErrorShape } from './vllm-errors';
import { modelNotFound } from './vllm-errors';
import type { LoraAdapters } from './vllm-lora';
import type { VllmMetrics } from './vllm-metrics';
import type { Vocabulary } from './vocabulary';

/** Where the chain of thought goes in chat responses (spec §A.4: it moved between releases). */
export type ReasoningField = 'reasoning' | 'reasoning_content' | 'both';

/** Everything a vLLM route needs to know about the emulated server. */
export interface VllmContext {
  model: string;
  servedNames: string[];
  maxModelLen: number;
  errorShape: VllmErrorShape;
  reasoningParser: string | undefined;
  reasoningField: ReasoningField;
  enableAutoToolChoice: boolean;
  scriptedText: string | undefined;
  embeddingDimensions: number;
  classifyLabels: string[];
  version: string;
  createdAt: number;
  /** Paces a request with nothing cached. */
  pacer: TokenPacer;
  /** The configured timing, for pacers of partly cached prompts. */
  timing: TimingOptions;
  /** The automatic prefix cache, when enabled. */
  prefixCache: PrefixCache | undefined;
  /** `--enable-prompt-tokens-details`: usage reports cached prompt tokens. */
  promptTokensDetails: boolean;
  /** `maxNumSeqs` slots and the queue of waiting requests. */
  scheduler: SeqScheduler;
  metrics: VllmMetrics;
  vocabulary: Vocabulary;
  healthy: boolean;
  /** LoRA adapters loaded (each one a served model name). */
  lora: LoraAdapters;
}

/** One routed request: its parsed body and the fault that applies to it. */
export interface RouteCall {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  /** Parsed JSON for JSON routes; the raw Buffer for multipart routes; undefined for GET. */
  body: unknown;
  fault: Fault | undefined;
}

/** A route of the emulator. */
export type RouteHandler = (ctx: VllmContext, call: RouteCall) => Promise<void> | void;

/**
 * The served name a request is for: its `model` (a served name or a loaded
 * LoRA adapter), or the first served name when left out.
 */
export function resolveModel(ctx: VllmContext, model: unknown): string {
  if (model === undefined || model === null) return ctx.servedNames[0]!;
  const name = String(model);
  if (!ctx.servedNames.includes(name) && !ctx.lora.get(name)) throw modelNotFound(name);
  return name;
}

/** A fresh 32-hex-digit id, as vLLM's `random_uuid()` makes. */
export function randomHex(): string {
  return randomUUID().replace(/-/g, '');
}

/** Unix seconds now. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** Sends a 200 JSON reply, honouring a `dropAfter: 0` fault. */
export function reply(call: RouteCall, value: unknown, status = 200): void {
  sendJsonWithFault(call.res, status, value, call.fault);
}
