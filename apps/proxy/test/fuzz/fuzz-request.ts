import fc from 'fast-check';
import { hostileString, hostileValue } from './arbitraries';
import { type JsonTree, jsonText, toTree } from './json-text';
import { mutation } from './mutate';
import type { FuzzFixtures, RouteTarget } from './route-targets';

/** Who sends: the master key, a virtual key, nobody, or a key that does not exist. */
export type Caller = 'master' | 'virtual' | 'none' | 'unknown';

/** One request of the fuzz, and what a refusal of it must name. */
export interface FuzzRequest {
  target: RouteTarget;
  method: string;
  /** Path and query, as sent. */
  path: string;
  caller: Caller;
  contentType: string | undefined;
  body: string | undefined;
  /** What was done to it (in a failure's report). */
  kind: string;
  /**
   * The top-level field a 400 must name: the one changed in an otherwise
   * valid JSON body (undefined when the whole body or its type is wrong).
   */
  fieldAtFault: string | undefined;
}

const JSON_TYPE = 'application/json';
const wrongContentType = fc.constantFrom(
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonx',
);
const jsonContentType = fc.constantFrom(
  JSON_TYPE,
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
);
const caller: fc.Arbitrary<Caller> = fc.constantFrom(
  'master',
  'master',
  'virtual',
  'virtual',
  'none',
  'unknown',
);

/** Text that is not JSON, or JSON cut short. */
function malformed(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('', ' ', 'null', '[]', '"text"', '1', '{', '{"a":}', '\ufeff{}', '{}garbage'),
    fc.nat({ max: Math.max(0, valid.length - 1) }).map(n => valid.slice(0, n)),
    fc.string({ unit: 'binary', maxLength: 64 }),
  );
}

/** Every UTF-8 byte of `s` as `%XX` (a lone surrogate as U+FFFD: it has no UTF-8 form). */
function percentEncoded(s: string): string {
  return [...Buffer.from(s, 'utf8')].map(b => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/** A body for a POST route: mostly its valid body with one thing wrong. */
function postBody(
  target: RouteTarget,
  f: FuzzFixtures,
): fc.Arbitrary<Pick<FuzzRequest, 'body' | 'contentType' | 'kind' | 'fieldAtFault'>> {
  const valid = target.valid?.(f);
  const validText = valid ? jsonText(toTree(valid)) : '{}';
  const whole = (tree: JsonTree) => jsonText(tree);
  const options = [
    {
      weight: 2,
      arbitrary: fc.record({
        body: hostileValue.map(whole),
        contentType: jsonContentType,
        kind: fc.constant('any JSON'),
        fieldAtFault: fc.constant(undefined),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        body: malformed(validText),
        contentType: jsonContentType,
        kind: fc.constant('malformed'),
        fieldAtFault: fc.constant(undefined),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        body: fc.constant(validText),
        contentType: wrongContentType,
        kind: fc.constant('wrong content type'),
        fieldAtFault: fc.constant(undefined),
      }),
    },
  ];
  if (!valid || target.notJsonBody) return fc.oneof(...options);
  const tree = toTree(valid);
  const mutated = mutation(tree as Parameters<typeof mutation>[0]).map(m => ({
    body: jsonText(m.tree),
    contentType: JSON_TYPE,
    kind: `${m.how} ${m.field}`,
    fieldAtFault: m.rootField,
  }));
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    {
      weight: 1,
      arbitrary: fc.record({
        body: fc.constant(validText),
        contentType: jsonContentType,
        kind: fc.constant('valid'),
        fieldAtFault: fc.constant(undefined),
      }),
    },
    ...options,
  );
}

/** The path with its parameter (valid, or hostile and percent-encoded) and a query string. */
function pathOf(
  target: RouteTarget,
  f: FuzzFixtures,
): fc.Arbitrary<{ path: string; kind: string; validParam: boolean }> {
  const param = target.pathParam
    ? fc.oneof(
        { weight: 2, arbitrary: fc.constant(percentEncoded(target.pathParam(f))) },
        { weight: 3, arbitrary: hostileString.map(s => percentEncoded(s.slice(0, 4096))) },
        fc.constantFrom('%', '%E0%A4%A', '%00', '..%2F..', '%ud800'),
      )
    : fc.constant('');
  const prefix = fc.constantFrom('/v1', '');
  const query = target.query ? hostileQuery(target.query(f)) : fc.constant({ text: '', kind: '' });
  return fc.tuple(prefix, param, query).map(([v1, p, q]) => {
    const base = target.route.startsWith('/v1/') ? target.route.slice(3) : target.route;
    let path = target.route.startsWith('/v1/') ? `${v1}${base}` : base;
    if (target.route === '/key/regenerate' && p !== '') path = `/key/${p}/regenerate`;
    else path = path.replace(/\{[a-z]+\}/, p || 'x');
    const validParam = !target.pathParam || p === percentEncoded(target.pathParam(f));
    return { path: `${path}${q.text}`, kind: q.kind, validParam };
  });
}

/** The route's query parameters, each valid, hostile or missing, plus strangers. */
function hostileQuery(valid: Record<string, string>): fc.Arbitrary<{ text: string; kind: string }> {
  const names = Object.keys(valid);
  const value = (name: string) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant<string | undefined>(valid[name]) },
      { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
      { weight: 2, arbitrary: hostileString.map(s => s.slice(0, 2048)) },
      fc.constantFrom('-1', '0', '1e999', '99999999999', '1.5', '%', '2025-02-30'),
    );
  return fc
    .tuple(
      fc.tuple(...names.map(value)),
      fc.array(fc.tuple(hostileString, hostileString), { maxLength: 2 }),
    )
    .map(([values, extra]) => {
      const params = new URLSearchParams();
      names.forEach((name, i) => {
        if (values[i] !== undefined) params.append(name, values[i]!);
      });
      for (const [k, v] of extra) params.append(k.slice(0, 64), v.slice(0, 64));
      const text = params.toString();
      return {
        text: text ? `?${text}` : '',
        kind: text.length > 200 ? `${text.slice(0, 200)}…` : text,
      };
    });
}

/** Any request the fuzz makes: a route of `targets`, a caller, a method, a path, a body. */
export function fuzzRequest(
  targets: readonly RouteTarget[],
  f: FuzzFixtures,
): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...targets).chain(target => {
    const wrongMethod = fc.constantFrom(
      'PUT',
      'PATCH',
      target.methods.includes('POST') ? 'GET' : 'POST',
    );
    const method = fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...target.methods) },
      { weight: 1, arbitrary: wrongMethod },
    );
    return fc
      .tuple(method, caller, pathOf(target, f))
      .chain(([m, who, { path, kind, validParam }]) => {
        if (m !== 'POST')
          return fc.constant<FuzzRequest>({
            target,
            method: m,
            path,
            caller: who,
            contentType: undefined,
            body: undefined,
            kind: kind ? `query ${kind}` : 'no body',
            fieldAtFault: undefined,
          });
        // A broken path parameter is refused first, and named instead of the body's field.
        return postBody(target, f).map(b => ({
          target,
          method: m,
          path,
          caller: who,
          ...b,
          fieldAtFault: validParam ? b.fieldAtFault : undefined,
        }));
      });
  });
}
