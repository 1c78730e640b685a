import { BadRequestError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { endpointUrl, serverRoot } from './vllm-urls';

describe('endpointUrl', () => {
  const bases = [
    'http://h:8000',
    'http://h:8000/',
    'http://h:8000/v1',
    'http://h:8000/v1/',
    'http://h:8000/v1//',
    'http://h:8000/v1/chat/completions',
  ];
  it.each(bases)('builds every endpoint from %s', base => {
    expect(endpointUrl(base, 'chat')).toBe('http://h:8000/v1/chat/completions');
    expect(endpointUrl(base, 'completions')).toBe('http://h:8000/v1/completions');
    expect(endpointUrl(base, 'embeddings')).toBe('http://h:8000/v1/embeddings');
    expect(endpointUrl(base, 'rerank')).toBe('http://h:8000/rerank');
    expect(endpointUrl(base, 'transcriptions')).toBe('http://h:8000/v1/audio/transcriptions');
  });

  it('keeps a root path in front of /v1 and sends rerank to the root, not /v1/rerank', () => {
    expect(serverRoot('https://gw.example/qwen3-asr/v1/')).toBe('https://gw.example/qwen3-asr');
    expect(endpointUrl('http://h:8031/v1/rerank', 'rerank')).toBe('http://h:8031/rerank');
    expect(endpointUrl('http://proxy/qwen3-asr/v1', 'transcriptions')).toBe(
      'http://proxy/qwen3-asr/v1/audio/transcriptions',
    );
  });

  it('refuses a base that is not an http(s) URL, naming api_base', () => {
    for (const bad of ['localhost:8000', 'ftp://h/v1', 'not a url']) {
      let caught: unknown;
      try {
        endpointUrl(bad, 'chat');
      } catch (error) {
        caught = error;
      }
      expect(BadRequestError.isInstance(caught)).toBe(true);
      expect((caught as BadRequestError).param).toBe('api_base');
    }
  });
});
