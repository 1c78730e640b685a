import type { AuthRecord } from '../keys/auth-record';
import type { Limiter } from '../limits/limiter';
import { Gauge } from './gauge';

/**
 * `litellm_remaining_api_key_requests_for_model` and
 * `litellm_remaining_api_key_tokens_for_model`: what is left of a key's
 * rpm and tpm limits in the current minute, set after each request of a
 * key with such a limit (labelled with the model group it asked for, as
 * LiteLLM labels them). Only with key labels on: one series per key.
 */
export class KeyRateGauges {
  readonly requests = new Gauge(
    'litellm_remaining_api_key_requests_for_model',
    "Requests the api key may still make in the current minute (its rpm limit minus the window's requests)",
  );
  readonly tokens = new Gauge(
    'litellm_remaining_api_key_tokens_for_model',
    "Tokens the api key may still use in the current minute (its tpm limit minus the window's tokens)",
  );

  constructor(readonly enabled: boolean) {}

  /** Whether a request of this key moves the gauges (so the caller can skip the limiter read). */
  tracks(record: AuthRecord | undefined): record is AuthRecord {
    return (
      this.enabled &&
      record !== undefined &&
      (record.key.rpm !== undefined || record.key.tpm !== undefined)
    );
  }

  /** Reads the key's window from the limiter (after the request settled) and sets the gauges. */
  async update(limiter: Limiter, record: AuthRecord, model: string, now: number): Promise<void> {
    const usage = await limiter.windowUsage(record.key.scope, now);
    const labels = { hashed_api_key: record.token, api_key_alias: record.keyAlias ?? '', model };
    if (record.key.rpm !== undefined)
      this.requests.set(labels, Math.max(0, record.key.rpm - usage.requests));
    if (record.key.tpm !== undefined)
      this.tokens.set(labels, Math.max(0, record.key.tpm - usage.tokens));
  }

  render(): string {
    return this.requests.render() + this.tokens.render();
  }
}
