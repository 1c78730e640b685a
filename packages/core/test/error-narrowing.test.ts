/**
 * `XError.isInstance(e)` is a type predicate: inside the check `e` is an
 * `XError`, outside it keeps every other error. The type assertions here are
 * checked by `tsc` (`pnpm --filter @switchyard/core typecheck`, part of
 * `pnpm check`); the runtime assertions by vitest.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadGatewayError,
  BadRequestError,
  ContentPolicyViolationError,
  ContextWindowExceededError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  SwitchyardError,
  Timeout,
  UnprocessableEntityError,
  UnsupportedParamsError,
} from '../src/index';

/** What a caller's `catch (e)` holds. */
function thrown(error: unknown): unknown {
  return error;
}

describe('isInstance narrows the type', () => {
  it('gives access to the fields of the class inside the check', () => {
    const e = thrown(new BadRequestError({ message: 'bad', param: 'temperature' }));
    // @ts-expect-error -- outside the check `e` is unknown
    void e.status;
    if (!BadRequestError.isInstance(e)) throw new Error('expected a BadRequestError');
    expectTypeOf(e).toEqualTypeOf<BadRequestError>();
    expect(e.status).toBe(400);
    expect(e.param).toBe('temperature');
  });

  it('narrows to the subclass asked about, and keeps the others in the else branch', () => {
    const e: SwitchyardError = new RateLimitError({ message: 'slow down', retryAfterMs: 1000 });
    if (ContextWindowExceededError.isInstance(e)) {
      expectTypeOf(e).toEqualTypeOf<ContextWindowExceededError>();
      throw new Error('a rate limit is no context-window error');
    } else {
      // Not `never`: the classes are distinct types, so a failed check removes only its own.
      expectTypeOf(e).toEqualTypeOf<SwitchyardError>();
      expect(e.status).toBe(429);
    }
    expect(RateLimitError.isInstance(e) && e.retryAfterMs).toBe(1000);
  });

  it('is a predicate for its own class on every error class', () => {
    const e = thrown(undefined);
    if (SwitchyardError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<SwitchyardError>();
    if (APIConnectionError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<APIConnectionError>();
    if (APIError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<APIError>();
    if (AuthenticationError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<AuthenticationError>();
    if (BadGatewayError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<BadGatewayError>();
    if (BadRequestError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<BadRequestError>();
    if (ContentPolicyViolationError.isInstance(e))
      expectTypeOf(e).toEqualTypeOf<ContentPolicyViolationError>();
    if (ContextWindowExceededError.isInstance(e))
      expectTypeOf(e).toEqualTypeOf<ContextWindowExceededError>();
    if (InternalServerError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<InternalServerError>();
    if (NotFoundError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<NotFoundError>();
    if (PermissionDeniedError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<PermissionDeniedError>();
    if (RateLimitError.isInstance(e)) expectTypeOf(e).toEqualTypeOf<RateLimitError>();
    if (ServiceUnavailableError.isInstance(e))
      expectTypeOf(e).toEqualTypeOf<ServiceUnavailableError>();
    if (Timeout.isInstance(e)) expectTypeOf(e).toEqualTypeOf<Timeout>();
    if (UnprocessableEntityError.isInstance(e))
      expectTypeOf(e).toEqualTypeOf<UnprocessableEntityError>();
    if (UnsupportedParamsError.isInstance(e))
      expectTypeOf(e).toEqualTypeOf<UnsupportedParamsError>();
    // Sibling classes stay apart; a subclass is still its parent.
    expectTypeOf<RateLimitError>().not.toMatchTypeOf<BadRequestError>();
    expectTypeOf<SwitchyardError>().not.toMatchTypeOf<BadRequestError>();
    expectTypeOf<ContextWindowExceededError>().toMatchTypeOf<BadRequestError>();
    const error = thrown(new Timeout({ message: 'late' }));
    expect(Timeout.isInstance(error) && error.status).toBe(408);
  });
});
