import type { Provider, ProviderOperation } from './provider';

/**
 * Every operation a {@link Provider} may implement. The `satisfies` clause
 * keeps this list and the interface in step: a new operation on the
 * interface that is missing here fails to compile.
 */
export const PROVIDER_OPERATIONS = [
  'chat',
  'chatStream',
  'textCompletion',
  'textCompletionStream',
  'embedding',
  'rerank',
  'transcription',
  'countTokens',
  'messages',
  'messagesStream',
  'responses',
  'responsesStream',
] as const satisfies readonly ProviderOperation[];

// Compile-time check in the other direction: every operation is listed.
type Unlisted = Exclude<ProviderOperation, (typeof PROVIDER_OPERATIONS)[number]>;
const everyOperationListed: Unlisted extends never ? true : never = true;
void everyOperationListed;

/** Does this value look like a {@link Provider}: an object with a non-empty string `id`? */
export function isProvider(value: unknown): value is Provider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    (value as { id: string }).id.length > 0
  );
}

/**
 * Does this value implement the provider contract: a non-empty string `id`
 * and at least one operation that is a function? Stricter than
 * {@link isProvider}, because a module's exports are scanned with it and a
 * stray `{ id }` object (a config, a constant) must not be taken for a provider.
 */
export function implementsProvider(value: unknown): value is Provider {
  if (!isProvider(value)) return false;
  const record = value as unknown as Record<string, unknown>;
  return PROVIDER_OPERATIONS.some(operation => typeof record[operation] === 'function');
}

/**
 * Every provider a module exports: the `default` export, `provider`, each
 * element of an exported `providers` array — places that say "provider", so
 * an object with an `id` is enough there — and every other export that
 * {@link implementsProvider}, whatever its name (`myProvider`, …). Each
 * provider appears once even when exported under two names.
 */
export function providersFromModule(mod: unknown): Provider[] {
  if (typeof mod !== 'object' || mod === null) return [];
  const found: Provider[] = [];
  const add = (value: Provider) => {
    if (!found.includes(value)) found.push(value);
  };
  const record = mod as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    if (name === 'providers' && Array.isArray(value)) {
      for (const item of value) if (isProvider(item)) add(item);
    } else if (
      name === 'default' || name === 'provider' ? isProvider(value) : implementsProvider(value)
    ) {
      add(value as Provider);
    }
  }
  return found;
}

/** The sentence loaders use when a module exports nothing that {@link implementsProvider}. */
export const PROVIDER_EXPORT_HINT =
  'Export the provider (named as you like, or as the default export; several as a `providers` array): ' +
  `an object with a non-empty string \`id\` (the model prefix) and at least one operation function (${PROVIDER_OPERATIONS.slice(0, 3).join(', ')}, …).`;
