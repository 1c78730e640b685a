import { SUPPORTED_KEYS } from './config-schema';

/**
 * Paths of config keys Switchyard does not act on yet (`litellm_settings.cache`,
 * `general_settings.database_url`, …). A LiteLLM config still starts, but
 * each ignored key is named once at start-up rather than silently dropped.
 */
export function findUnsupportedKeys(raw: unknown): string[] {
  const found: string[] = [];
  if (!isRecord(raw)) return found;
  for (const [section, supported] of Object.entries(SUPPORTED_KEYS)) {
    const value = section === '' ? raw : raw[section];
    if (!isRecord(value)) continue;
    for (const key of Object.keys(value)) {
      if (!supported.includes(key)) found.push(section === '' ? key : `${section}.${key}`);
    }
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
