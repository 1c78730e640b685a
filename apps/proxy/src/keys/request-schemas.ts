import { z } from 'zod';
import { parseDuration } from './duration';

/**
 * Bodies of the management endpoints, in LiteLLM's field names. Objects are
 * loose: LiteLLM fields Switchyard does not act on (`permissions`,
 * `allowed_cache_controls`, …) are accepted, and the ones with a column are
 * stored.
 */

const duration = z
  .string()
  .refine(
    v => parseDuration(v) !== undefined,
    'a duration such as "30s", "30m", "30h", "30d" or "1mo"',
  );
const usd = z.number().min(0);
const limit = z.number().int().min(0);
const models = z.array(z.string().min(1));
const jsonObject = z.record(z.string(), z.unknown());

const keyFields = {
  key_alias: z.string().min(1).nullish(),
  duration: duration.nullish(),
  models: models.optional(),
  aliases: jsonObject.optional(),
  config: jsonObject.optional(),
  permissions: jsonObject.optional(),
  metadata: jsonObject.optional(),
  spend: usd.optional(),
  max_budget: usd.nullish(),
  budget_duration: duration.nullish(),
  user_id: z.string().min(1).nullish(),
  team_id: z.string().min(1).nullish(),
  max_parallel_requests: limit.nullish(),
  tpm_limit: limit.nullish(),
  rpm_limit: limit.nullish(),
  blocked: z.boolean().nullish(),
};

export const generateKeySchema = z.looseObject({
  ...keyFields,
  /** A caller-chosen key; it must start with `sk-`. */
  key: z.string().startsWith('sk-', 'a key starting with "sk-"').min(8).optional(),
});

export const updateKeySchema = z.looseObject({ ...keyFields, key: z.string().min(1) });

export const deleteKeysSchema = z
  .looseObject({
    keys: z.array(z.string().min(1)).optional(),
    key_aliases: z.array(z.string().min(1)).optional(),
  })
  .refine(v => (v.keys?.length ?? 0) + (v.key_aliases?.length ?? 0) > 0, {
    message: 'give keys: ["sk-…"] or key_aliases: ["…"]',
    path: ['keys'],
  });

export const regenerateKeySchema = z.looseObject({
  key: z.string().min(1).optional(),
  new_key: z.string().startsWith('sk-', 'a key starting with "sk-"').min(8).optional(),
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
  user_id: z.string().min(1).optional(),
  user_alias: z.string().nullish(),
  user_email: z.string().nullish(),
  user_role: z
    .enum(['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer'])
    .optional(),
  teams: z.array(z.string().min(1)).optional(),
  auto_create_key: z.boolean().optional(),
  key_alias: z.string().min(1).optional(),
  duration: duration.nullish(),
});

export const newTeamSchema = z.looseObject({
  ...budgetFields,
  team_id: z.string().min(1).optional(),
  team_alias: z.string().nullish(),
  members_with_roles: z
    .array(z.looseObject({ role: z.enum(['admin', 'user']), user_id: z.string().min(1) }))
    .optional(),
  blocked: z.boolean().optional(),
});

export type GenerateKeyRequest = z.output<typeof generateKeySchema>;
export type UpdateKeyRequest = z.output<typeof updateKeySchema>;
export type NewUserRequest = z.output<typeof newUserSchema>;
export type NewTeamRequest = z.output<typeof newTeamSchema>;
