/**
 * How a runnable block's addresses reach the services of the docs world.
 * Blocks are written as a user would write them, with the usual addresses;
 * the runner rewrites each `http(s)://host[:port]` by the role its host and
 * port say, and refuses an address it cannot place (the block then gets a
 * place here, or is marked `no-run`). The convention is documented in
 * CONTRIBUTING.md.
 */
export type Service = 'vllm' | 'triton' | 'proxy';

const ROLES: ReadonlyArray<{ test: RegExp; service: Service; what: string }> = [
  { test: /^(localhost|127\.0\.0\.1):4000$/, service: 'proxy', what: 'the proxy' },
  { test: /triton/, service: 'triton', what: 'a Triton server (a host named …triton…)' },
  {
    test: /^(localhost|127\.0\.0\.1|gpu-[\w.-]+|[\w-]*vllm[\w.-]*)(:8000)?$/,
    service: 'vllm',
    what: 'a vLLM server (localhost:8000, gpu-…, a host named …vllm…)',
  },
  {
    test: /^([\w-]*box):9000$/,
    service: 'vllm',
    what: 'an OpenAI-compatible server of a custom provider (…box:9000)',
  },
];

/** Hosts of URLs a block sends as data (a video to summarise), never calls: left as written. */
const CONTENT_HOSTS = /^(www\.youtube\.com)$/;

const URL_IN_CODE = /\bhttps?:\/\/([A-Za-z0-9.-]+(?::\d+)?)/g;

/**
 * The URL (`http://127.0.0.1:port`) that stands for `hostPort` of a
 * service. Each distinct vLLM host gets a server of its own, so two
 * deployments on two hosts stay two deployments.
 */
export type ResolveAddress = (service: Service, hostPort: string) => string;

/** What {@link rewriteAddresses} made of a block. */
export interface Rewritten {
  code: string;
  /** The services the block names by address. */
  services: Set<Service>;
}

/** The `host[:port]` of every address a block calls, with the service it stands for (undefined: no role fits). */
export function addressesOf(
  code: string,
): Array<{ hostPort: string; service: Service | undefined }> {
  const found: Array<{ hostPort: string; service: Service | undefined }> = [];
  for (const match of code.matchAll(URL_IN_CODE)) {
    const hostPort = match[1]!;
    if (CONTENT_HOSTS.test(hostPort)) continue;
    found.push({ hostPort, service: ROLES.find(r => r.test.test(hostPort))?.service });
  }
  return found;
}

/**
 * Points every address of `code` at the world's services; throws, naming
 * the convention, when an address fits no role.
 */
export function rewriteAddresses(code: string, resolve: ResolveAddress): Rewritten {
  const unknown = addressesOf(code).filter(a => a.service === undefined);
  if (unknown.length > 0) {
    throw new Error(
      `addresses no role fits: ${unknown.map(a => a.hostPort).join(', ')}. ` +
        `Write them by the convention (${addressConvention()}) or mark the block no-run.`,
    );
  }
  const services = new Set<Service>();
  const rewritten = code.replace(URL_IN_CODE, (whole, hostPort: string) => {
    if (CONTENT_HOSTS.test(hostPort)) return whole;
    const service = ROLES.find(r => r.test.test(hostPort))!.service;
    services.add(service);
    return resolve(service, hostPort);
  });
  return { code: rewritten, services };
}

/** The convention in words, for the failure message of a block with an unknown address. */
export function addressConvention(): string {
  return ROLES.map(r => `${r.what} → ${r.service}`).join('; ');
}
