import { z } from 'zod';
import { refineStorableJson, storableJsonObject, storableString } from '../store/storable-value';
import { MAX_DURATION_YEARS, parseDuration } from './duration';

/**
 * Bodies of the management endpoints, in LiteLLM's field names. Objects are
 * loose: LiteLLM fields Switchyard does not act on (`permissions`,
 * `allowed_cache_controls`, …) are accepted, and the ones with a column are
 * stored. Every string and JSON object must be storable as sent (no NUL,
 * no unpaired surrogate, ids and names up to 1,024 characters, objects up to
 * 32 levels deep): one that is not is refused with a 400 naming the field,
 * never changed behind the admin's back (see `store/storable-value.ts`).
 */

/** An id, alias, name or e-mail: storable, at most 1,024 characters. */
const text = storableString;
const duration = z
  .string()
  .refine(
    v => parseDuration(v) !== undefined,
    `a duration such as "30s", "30m", "30h", "30d" or "1mo", at most ${MAX_DURATION_YEARS} years`,
  );
const usd = z.number().min(0);
/** Limits are INTEGER columns (LiteLLM's Prisma `Int`): at most 2^31 - 1. */
const limit = z.number().int().min(0).max(2_147_483_647);
const models = z.array(text().min(1));
const jsonObject = storableJsonObject();

const keyFields = {
  key_alias: text().min(1).nullish(),
  duration: duration.nullish(),
  models: models.optional(),
  aliases: jsonObject.optional(),
  config: jsonObject.optional(),
  permissions: jsonObject.optional(),
  metadata: jsonObject.optional(),
  spend: usd.optional(),
  max_budget: usd.nullish(),
  budget_duration: duration.nullish(),
  user_id: text().min(1).nullish(),
  team_id: text().min(1).nullish(),
  max_parallel_requests: limit.nullish(),
  tpm_limit: limit.nullish(),
  rpm_limit: limit.nullish(),
  blocked: z.boolean().nullish(),
};

export const generateKeySchema = z.looseObject({
  ...keyFields,
  /** A caller-chosen key; it must start with `sk-`. */
  key: text().startsWith('sk-', 'a key starting with "sk-"').min(8).optional(),
});

export const updateKeySchema = z.looseObject({ ...keyFields, key: z.string().min(1) });

export const deleteKeysSchema = z
  .looseObject({
    keys: z.array(text().min(1)).optional(),
    key_aliases: z.array(text().min(1)).optional(),
  })
  .refine(v => (v.keys?.length ?? 0) + (v.key_aliases?.length ?? 0) > 0, {
    message: 'give keys: ["sk-…"] or key_aliases: ["…"]',
    path: ['keys'],
  });

export const regenerateKeySchema = z.looseObject({
  key: z.string().min(1).optional(),
  new_key: text().startsWith('sk-', 'a key starting with "sk-"').min(8).optional(),
  ...keyFields,
});

const budgetFields = {
  max_budget: usd.nullish(),
  budget_duration: duration.nullish(),
  models: models.optional(),
  tpm_limit: limit.nullish(),
  rpm_limit: limit.nullish(),
  max_parallel_requests: limit.nullish(),
  metadata: jsonObject.optional(),
};

export const newUserSchema = z.looseObject({
  ...budgetFields,
  user_id: text().min(1).optional(),
  user_alias: text().nullish(),
  user_email: text().nullish(),
  user_role: z
    .enum(['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer'])
    .optional(),
  teams: z.array(text().min(1)).optional(),
  auto_create_key: z.boolean().optional(),
  key_alias: text().min(1).optional(),
  duration: duration.nullish(),
});

export const newTeamSchema = z.looseObject({
  ...budgetFields,
  team_id: text().min(1).optional(),
  team_alias: text().nullish(),
  members_with_roles: z
    .array(z.looseObject({ role: z.enum(['admin', 'user']), user_id: text().min(1) }))
    // Stored whole as JSON, fields Switchyard does not read included.
    .superRefine(refineStorableJson())
    .optional(),
  blocked: z.boolean().optional(),
});

export type GenerateKeyRequest = z.output<typeof generateKeySchema>;
export type UpdateKeyRequest = z.output<typeof updateKeySchema>;
export type NewUserRequest = z.output<typeof newUserSchema>;
export type NewTeamRequest = z.output<typeof newTeamSchema>;
