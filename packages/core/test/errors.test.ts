import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ContextWindowExceededError,
  errorFromStatus,
  InternalServerError,
  isSwitchyardError,
  NotFoundError,
  PermissionDeniedError,
  parseRetryAfter,
  RateLimitError,
  SwitchyardError,
  Timeout,
} from '../src/index';

describe('error classes', () => {
  it('are recognised through the class chain by marker', () => {
    const error = new ContextWindowExceededError({
      message: 'too long',
      provider: 'hosted_vllm',
      model: 'm',
    });
    expect(ContextWindowExceededError.isInstance(error)).toBe(true);
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(SwitchyardError.isInstance(error)).toBe(true);
    expect(RateLimitError.isInstance(error)).toBe(false);
    expect(error.status).toBe(400);
    expect(error.isRetryable).toBe(false);
    expect(error.name).toBe('ContextWindowExceededError');
  });

  it('are recognised when made by another copy of the package', () => {
    // Another copy has other classes but writes the same Symbol.for marker.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('switchyard.error')]: ['RateLimitError', 'SwitchyardError'],
    });
    expect(RateLimitError.isInstance(foreign)).toBe(true);
    expect(isSwitchyardError(foreign)).toBe(true);
    expect(BadRequestError.isInstance(new Error('plain'))).toBe(false);
    expect(BadRequestError.isInstance(null)).toBe(false);
  });

  it('decide retryability once, by class and status', () => {
    expect(new RateLimitError({ message: '' }).isRetryable).toBe(true);
    expect(new Timeout({ message: '' }).isRetryable).toBe(true);
    expect(new APIConnectionError({ message: '' }).isRetryable).toBe(true);
    expect(new AuthenticationError({ message: '' }).isRetryable).toBe(false);
    expect(new BadRequestError({ message: '' }).isRetryable).toBe(false);
    expect(new APIError({ message: '', status: 418 }).isRetryable).toBe(false);
    expect(new APIError({ message: '', status: 507 }).isRetryable).toBe(true);
  });

  it('serialise to the OpenAI error envelope', () => {
    const error = new NotFoundError({ message: 'no such model', param: 'model' });
    expect(error.toOpenAIError()).toEqual({
      error: { message: 'no such model', type: 'not_found_error', param: 'model', code: '404' },
    });
  });
});

describe('errorFromStatus (the generic by-status table)', () => {
  const cases: [number, (e: unknown) => boolean, number][] = [
    [400, e => BadRequestError.isInstance(e), 400],
    [401, e => AuthenticationError.isInstance(e), 401],
    [403, e => PermissionDeniedError.isInstance(e), 403],
    [404, e => NotFoundError.isInstance(e), 404],
    [408, e => Timeout.isInstance(e), 408],
    [409, e => BadRequestError.isInstance(e), 400],
    [422, e => BadRequestError.isInstance(e), 400],
    [429, e => RateLimitError.isInstance(e), 429],
    [500, e => InternalServerError.isInstance(e), 500],
    [504, e => Timeout.isInstance(e), 504],
    [507, e => APIError.isInstance(e), 507],
  ];
  it.each(cases)('maps %i', (status, check, proxyStatus) => {
    const error = errorFromStatus({ status, message: 'm' });
    expect(check(error)).toBe(true);
    expect(error.status).toBe(proxyStatus);
    expect(error.upstreamStatus).toBe(status);
  });
});

describe('parseRetryAfter', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(parseRetryAfter({ 'retry-after': '2' })).toBe(2000);
    const now = Date.parse('2026-11-22T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': 'Sun, 22 Nov 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter({})).toBeUndefined();
  });
});
