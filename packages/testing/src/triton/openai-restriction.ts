/**
 * `--openai-restricted-api "<api,…> <header> <value>"` of Triton's OpenAI
 * frontend: the listed API groups need that header with that value, or
 * get 401 with an OpenAI-style authentication error.
 */

/** The API groups the OpenAI frontend can restrict. */
export type OpenAiApiGroup = 'inference' | 'model-repository' | 'metrics' | 'health';

const GROUPS: readonly OpenAiApiGroup[] = ['inference', 'model-repository', 'metrics', 'health'];

/** One restriction rule. */
export interface OpenAiRestriction {
  apis: OpenAiApiGroup[];
  header: string;
  value: string;
}

/** Parses `"inference,health admin-key secret"`; throws naming what is wrong. */
export function parseOpenAiRestriction(text: string): OpenAiRestriction {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 3) {
    throw new TypeError(
      `openai restricted API must be "<api,…> <header> <value>", got ${JSON.stringify(text)}`,
    );
  }
  const [apiList, header, value] = parts as [string, string, string];
  const apis = apiList.split(',').map(api => api.trim());
  for (const api of apis) {
    if (!(GROUPS as readonly string[]).includes(api)) {
      throw new TypeError(
        `openai restricted API group "${api}" is unknown; expected one of ${GROUPS.join(', ')}`,
      );
    }
  }
  return { apis: apis as OpenAiApiGroup[], header: header.toLowerCase(), value };
}

/** The 401 body for a request that lacks the header a group needs, or undefined when allowed. */
export function restrictionFailure(options: {
  restrictions: OpenAiRestriction[];
  group: OpenAiApiGroup;
  headers: Record<string, string | string[] | undefined>;
}): Record<string, unknown> | undefined {
  for (const rule of options.restrictions) {
    if (!rule.apis.includes(options.group)) continue;
    const got = options.headers[rule.header];
    if (got === rule.value) continue;
    return {
      error: {
        message: `This API is restricted, expecting header '${rule.header}' with valid value`,
        type: 'authentication_error',
        code: 'invalid_auth',
      },
    };
  }
  return undefined;
}
