import {
  AuthenticationError,
  BadRequestError,
  ContextWindowExceededError,
  InternalServerError,
  RateLimitError,
  Timeout,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { classFromText } from './error-text-rules';
import { vllmInBandError } from './vllm-error-mapper';

const ctx = {
  provider: 'hosted_vllm',
  model: 'm',
  url: 'http://h/v1/chat/completions',
  headers: {},
};

describe('vllmInBandError', () => {
  it('reads the current, the legacy-wrapped and the string shapes', () => {
    const current = vllmInBandError(
      {
        error: {
          message: 'Internal server error',
          type: 'InternalServerError',
          param: null,
          code: 500,
        },
      },
      ctx,
    );
    expect(InternalServerError.isInstance(current)).toBe(true);
    const legacy = vllmInBandError(
      {
        error: {
          object: 'error',
          message: 'bad temperature',
          type: 'BadRequestError',
          param: null,
          code: 400,
        },
      },
      ctx,
    );
    expect(BadRequestError.isInstance(legacy)).toBe(true);
    expect(legacy!.message).toBe('bad temperature');
    const text = vllmInBandError({ error: 'Unauthorized' }, ctx);
    expect(InternalServerError.isInstance(text)).toBe(true);
    expect(text!.message).toBe('Unauthorized');
  });

  it('ignores ordinary chunks', () => {
    expect(vllmInBandError({ id: 'x', choices: [], error: null }, ctx)).toBeUndefined();
    expect(vllmInBandError('[DONE]', ctx)).toBeUndefined();
  });
});

describe('classFromText', () => {
  it('applies the text rules before the status', () => {
    expect(classFromText('Request timed out', 500)).toBe(Timeout.kind);
    expect(classFromText('error 429 from upstream', 0)).toBe(RateLimitError.kind);
    expect(classFromText('error 429 from upstream', 400)).toBeUndefined();
    expect(classFromText('input tokens exceed the configured limit of 100', 400)).toBe(
      ContextWindowExceededError.kind,
    );
    expect(
      classFromText(
        "Invalid 'user': string too long. Expected a string with maximum length 64",
        400,
      ),
    ).not.toBe(ContextWindowExceededError.kind);
    expect(classFromText("You didn't provide an API key.", 400)).toBe(AuthenticationError.kind);
    expect(classFromText('The model `x` does not exist.', 404)).toBeUndefined();
  });
});
