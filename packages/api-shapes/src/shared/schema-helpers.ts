import { z } from 'zod';

/** "Field required" for a missing value, zod's own message otherwise. */
export const required = (what: string) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined ? `Field required (${what})` : `expected ${what}`,
});

/**
 * An object told apart by its `type`: a known type is checked against its
 * own schema (so errors point inside it), an unknown one is refused with
 * the list of types that are understood.
 */
export function typedUnion<T>(what: string, schemas: Readonly<Record<string, z.ZodType>>) {
  const known = Object.keys(schemas).join(', ');
  return z.looseObject({ type: z.string(required('a string')) }).superRefine((value, ctx) => {
    const schema = schemas[value.type];
    if (!schema) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown ${what} type ${JSON.stringify(value.type)}; expected one of ${known}`,
        path: ['type'],
      });
      return;
    }
    const result = schema.safeParse(value);
    if (result.success) return;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
  }) as unknown as z.ZodType<T>;
}
