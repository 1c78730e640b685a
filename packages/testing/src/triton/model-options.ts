import type { Tensor, TensorSpec } from './tensor';

/** Which emulated Triton model a name serves. */
export type TritonProfile = 'vllm' | 'trtllm' | 'embedding' | 'generic' | 'mock_llm';

/** A custom tensor model for the `generic` profile (defaults to Triton's `simple` add/sub model). */
export interface GenericModelSpec {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** 0 means no batch dimension; >0 prepends `-1` to metadata shapes. */
  maxBatchSize?: number;
  /** Reported as `platform` in metadata; default `python`. */
  platform?: string;
  /** Computes the outputs from the inputs (keyed by name). */
  compute: (inputs: Record<string, Tensor>) => Tensor[];
}

/** One model the emulator serves. */
export interface TritonModelOptions {
  name: string;
  profile: TritonProfile;
  /** The single version served; default `"1"`. Versions are numeric strings. */
  version?: string;
  /** Model readiness at start; default true. */
  ready?: boolean;
  /** Embedding size for the `embedding` profile and a `vllm` model with `task: 'embed'`; default 384. */
  dimensions?: number;
  /**
   * `vllm` only: what the served vLLM model does. `generate` (default)
   * takes `text_input`; `embed` (an embedding model) takes the backend's
   * `embedding_request` input and answers the vector in `text_output`.
   * Either refuses the other kind of request, as the backend does.
   */
  task?: 'generate' | 'embed';
  /**
   * Generation profiles (`vllm`, `trtllm`, OpenAI frontend) answer with this
   * text instead of generated words, cut to the token budget like generated
   * text would be. Lets tests compare whole bodies with a recorded answer.
   */
  scriptedText?: string;
  /** `trtllm` only: `decoupled_mode: true` (streaming allowed, `/infer` refused). Default false. */
  decoupled?: boolean;
  /** `generic` only: the model's tensors and computation; default the KServe specification's example model. */
  generic?: GenericModelSpec;
}
