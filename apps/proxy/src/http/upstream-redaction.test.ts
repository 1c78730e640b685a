import { describe, expect, it } from 'vitest';
import { createRedactor } from './upstream-redaction';

describe('createRedactor', () => {
  const redact = createRedactor([
    'http://vllm-a.internal:8000/v1',
    'http://[fd00::5]:8001',
    'not a url',
    undefined,
  ]);

  it.each([
    [
      'POST http://10.0.0.5:8000/v1/chat/completions failed (ECONNREFUSED): connect ECONNREFUSED 10.0.0.5:8000',
      'POST [upstream] failed (ECONNREFUSED): connect ECONNREFUSED [upstream]',
    ],
    ['connect ECONNREFUSED ::1:8000', 'connect ECONNREFUSED [upstream]'],
    ['connect ECONNREFUSED [::1]:8000', 'connect ECONNREFUSED [upstream]'],
    ['getaddrinfo ENOTFOUND vllm-a.internal', 'getaddrinfo ENOTFOUND [upstream]'],
    ['socket hang up at fd00::5', 'socket hang up at [upstream]'],
    ['connect ETIMEDOUT localhost:45678', 'connect ETIMEDOUT [upstream]'],
    ['upstream triton:8001 refused', 'upstream [upstream] refused'],
    ['GET grpc://host/v2 failed', 'GET [upstream] failed'],
  ])('%s', (message, expected) => {
    expect(redact(message)).toBe(expected);
  });

  it.each([
    "This model's maximum context length is 2048 tokens. However, you requested 3000 tokens (2990 in the messages, 10 in the completion).",
    'Limit resets at: 2025-01-01T12:30:45.000Z',
    'messages[0].content: expected a string; std::vector is not a type',
    'Deployment 3f2a (hosted_vllm/facebook/opt-125m) did not answer within 600 ms',
    'temperature must be between 0.0 and 2.0, got 3.5',
  ])('leaves a message without addresses as it is: %s', message => {
    expect(redact(message)).toBe(message);
  });
});
