import { BadRequestError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { resolveTritonUrl } from './triton-url';

const base = {
  model: 'llama',
  operation: 'chat' as const,
  stream: false,
  route: undefined,
  modelVersion: undefined,
};

describe('resolveTritonUrl', () => {
  it('uses an api_base ending in /generate as given, and /generate_stream for streams', () => {
    expect(resolveTritonUrl({ ...base, apiBase: 'http://localhost:8000/generate' })).toEqual({
      url: 'http://localhost:8000/generate',
      endpoint: 'generate',
    });
    expect(
      resolveTritonUrl({ ...base, apiBase: 'http://localhost:8000/generate', stream: true }),
    ).toEqual({
      url: 'http://localhost:8000/generate_stream',
      endpoint: 'generate_stream',
    });
  });

  it('tolerates trailing slashes and an api_base already ending in /generate_stream', () => {
    expect(resolveTritonUrl({ ...base, apiBase: 'http://h:8000/v2/models/m/generate//' }).url).toBe(
      'http://h:8000/v2/models/m/generate',
    );
    expect(resolveTritonUrl({ ...base, apiBase: 'http://h/v2/models/m/generate_stream' }).url).toBe(
      'http://h/v2/models/m/generate',
    );
  });

  it('keeps /infer as /infer even for streams, and /embeddings verbatim', () => {
    expect(resolveTritonUrl({ ...base, apiBase: 'http://h/infer', stream: true })).toEqual({
      url: 'http://h/infer',
      endpoint: 'infer',
    });
    expect(
      resolveTritonUrl({
        ...base,
        operation: 'embedding',
        apiBase: 'https://gw/triton/embeddings/',
      }),
    ).toEqual({ url: 'https://gw/triton/embeddings', endpoint: 'embeddings' });
  });

  it('builds /v2/models/{model}/… from a plain server URL', () => {
    expect(resolveTritonUrl({ ...base, apiBase: 'http://host:8000' }).url).toBe(
      'http://host:8000/v2/models/llama/generate',
    );
    expect(resolveTritonUrl({ ...base, apiBase: 'http://host:8000/', stream: true }).url).toBe(
      'http://host:8000/v2/models/llama/generate_stream',
    );
    expect(resolveTritonUrl({ ...base, apiBase: 'http://host:8000/v2' }).url).toBe(
      'http://host:8000/v2/models/llama/generate',
    );
    expect(resolveTritonUrl({ ...base, apiBase: 'http://host:8000/v2/models/other' }).url).toBe(
      'http://host:8000/v2/models/other/generate',
    );
    expect(
      resolveTritonUrl({ ...base, operation: 'embedding', apiBase: 'http://host:8000' }).url,
    ).toBe('http://host:8000/v2/models/llama/infer');
  });

  it('follows triton_route and triton_model_version on a server URL', () => {
    expect(
      resolveTritonUrl({ ...base, apiBase: 'http://h', route: 'infer', modelVersion: '2' }).url,
    ).toBe('http://h/v2/models/llama/versions/2/infer');
  });

  it('refuses a triton_route that contradicts the api_base', () => {
    expect(() =>
      resolveTritonUrl({ ...base, apiBase: 'http://h/generate', route: 'infer' }),
    ).toThrow(/triton_route is "infer" but api_base ends in \/generate/);
  });

  it('raises LiteLLM’s BadRequestError when there is no api_base', () => {
    let caught: unknown;
    try {
      resolveTritonUrl({ ...base, apiBase: undefined });
    } catch (error) {
      caught = error;
    }
    expect(BadRequestError.isInstance(caught)).toBe(true);
    expect((caught as BadRequestError).message).toBe(
      'api_base is required for triton. Please pass `api_base`',
    );
    expect((caught as BadRequestError).param).toBe('api_base');
  });

  it('refuses a model name with a slash when it has to go into the URL', () => {
    expect(() => resolveTritonUrl({ ...base, model: 'meta/llama', apiBase: 'http://h' })).toThrow(
      /cannot contain "\/"/,
    );
  });
});
