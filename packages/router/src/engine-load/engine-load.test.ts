import { describe, expect, it } from 'vitest';
import type { Deployment } from '../deployments/deployment';
import { engineLoadFromMetrics } from './engine-sample';
import { metricsUrlOf } from './metrics-url';

describe('engineLoadFromMetrics', () => {
  it('reads vLLM gauges, summed over served models, with either KV-cache name', () => {
    const text = [
      '# HELP vllm:num_requests_running Number of requests in model execution batches.',
      '# TYPE vllm:num_requests_running gauge',
      'vllm:num_requests_running{model_name="a"} 3.0',
      'vllm:num_requests_running{model_name="b"} 1.0',
      'vllm:num_requests_waiting{model_name="a"} 2.0 1700000000000',
      'vllm:gpu_cache_usage_perc{model_name="a"} 0.25',
      'vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="a"} 7.0',
    ].join('\n');
    expect(engineLoadFromMetrics(text, 5)).toEqual({
      running: 4,
      waiting: 2,
      kvCacheUsage: 0.25,
      at: 5,
    });
  });

  it('reads Triton pending and TensorRT-LLM active counts; nothing known → undefined', () => {
    const text = [
      'nv_inference_pending_request_count{model="ensemble",version="1"} 4',
      'nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="active",version="1"} 6',
      'nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="max",version="1"} 64',
      'nv_inference_request_success{model="ensemble",version="1"} 100',
    ].join('\n');
    expect(engineLoadFromMetrics(text, 0)).toMatchObject({ running: 6, waiting: 4 });
    expect(engineLoadFromMetrics('nv_gpu_utilization{gpu_uuid="x"} 0.5\n', 0)).toBeUndefined();
  });
});

describe('metricsUrlOf', () => {
  const d = (model: string, apiBase: string | undefined, info: Record<string, unknown> = {}) =>
    ({ id: 'd', model, apiBase, modelInfo: info }) as unknown as Deployment;

  it('derives vLLM and Triton metrics URLs, and prefers model_info.metrics_url', () => {
    expect(metricsUrlOf(d('hosted_vllm/m', 'http://gpu-1:8000/v1'))).toBe(
      'http://gpu-1:8000/metrics',
    );
    expect(metricsUrlOf(d('hosted_vllm/m', 'https://gw/vllm-a/v1/'))).toBe(
      'https://gw/vllm-a/metrics',
    );
    expect(metricsUrlOf(d('triton/m', 'http://tr:8000/v2/models/m/generate'))).toBe(
      'http://tr:8002/metrics',
    );
    expect(metricsUrlOf(d('triton/m', 'http://tr:9000'))).toBe('http://tr:9000/metrics');
    expect(
      metricsUrlOf(d('hosted_vllm/m', 'http://x/v1', { metrics_url: 'http://m:9/metrics' })),
    ).toBe('http://m:9/metrics');
    expect(metricsUrlOf(d('hosted_vllm/m', undefined))).toBeUndefined();
  });
});
