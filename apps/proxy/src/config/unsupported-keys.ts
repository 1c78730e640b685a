import { SUPPORTED_KEYS } from './config-schema';
import { didYouMean } from './did-you-mean';
import {
  LITELLM_GENERAL_SETTINGS_KEYS,
  LITELLM_ROUTER_SETTINGS_KEYS,
  LITELLM_SETTINGS_KEYS,
  LITELLM_TOP_LEVEL_KEYS,
} from './litellm-config-keys';

/** What start-up reports about the keys of a config file. */
export interface ConfigKeyReport {
  /** Paths of LiteLLM keys Switchyard does not act on yet (`litellm_settings.cache`): listed once. */
  unsupported: string[];
  /** One line per key that is neither Switchyard's nor LiteLLM's: start-up stops. */
  unknown: string[];
}

/**
 * How each section treats a key it does not know. `strict`: a mistake
 * (LiteLLM's list of the section is complete). `typos`: a mistake only when
 * it is a near miss of a known key — LiteLLM sets any `litellm_settings`
 * key as a module attribute, so a key missing from the list may still be
 * LiteLLM's.
 */
const SECTIONS: Readonly<
  Record<string, { litellm: readonly string[]; policy: 'strict' | 'typos' }>
> = {
  '': { litellm: LITELLM_TOP_LEVEL_KEYS, policy: 'strict' },
  litellm_settings: { litellm: LITELLM_SETTINGS_KEYS, policy: 'typos' },
  router_settings: { litellm: LITELLM_ROUTER_SETTINGS_KEYS, policy: 'strict' },
  general_settings: { litellm: LITELLM_GENERAL_SETTINGS_KEYS, policy: 'strict' },
  switchyard_demo: { litellm: [], policy: 'strict' },
};

/**
 * Sorts the keys of a parsed config: Switchyard's own pass; LiteLLM's that
 * Switchyard ignores are `unsupported` (a LiteLLM config still starts, and
 * each is named once rather than dropped silently); anything else is
 * `unknown` — a misspelt `general_setings:` would otherwise start a proxy
 * without the master key its author meant to set.
 */
export function checkConfigKeys(raw: unknown): ConfigKeyReport {
  const report: ConfigKeyReport = { unsupported: [], unknown: [] };
  if (!isRecord(raw)) return report;
  for (const [section, { litellm, policy }] of Object.entries(SECTIONS)) {
    const value = section === '' ? raw : raw[section];
    if (!isRecord(value)) continue;
    const ours = SUPPORTED_KEYS[section] ?? [];
    for (const key of Object.keys(value)) {
      if (ours.includes(key)) continue;
      const path = section === '' ? key : `${section}.${key}`;
      const meant = litellm.includes(key) ? undefined : didYouMean(key, [...ours, ...litellm]);
      if (meant !== undefined) report.unknown.push(unknownKey(path, meant));
      else if (litellm.includes(key) || policy === 'typos') report.unsupported.push(path);
      else report.unknown.push(unknownKey(path, undefined));
    }
  }
  return report;
}

/** The start-up line for a key that is neither Switchyard's nor LiteLLM's. */
export function unknownKey(path: string, meant: string | undefined): string {
  return meant === undefined
    ? `${path}: not a Switchyard or LiteLLM setting (docs/proxy.md lists what each section reads)`
    : `${path}: not a Switchyard or LiteLLM setting; did you mean ${meant}?`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
