import type { TritonProfile } from '../model-options';
import { executeEmbedding } from './embedding-model';
import type { ModelExecutor } from './execution';
import { executeGeneric } from './generic-model';
import { executeMockLlm } from './mock-llm';
import { executeTrtllm } from './trtllm-ensemble';
import { executeVllm } from './vllm-backend';

export type { ExecutionContext, ModelExecutor } from './execution';

/** The implementation behind each profile. */
export const EXECUTORS: Record<TritonProfile, ModelExecutor> = {
  vllm: executeVllm,
  trtllm: executeTrtllm,
  mock_llm: executeMockLlm,
  embedding: executeEmbedding,
  generic: executeGeneric,
};
