/** What stands in for an upstream address in a message a client reads. */
export const UPSTREAM = '[upstream]';

/** Rewrites a message so it names no upstream address. */
export type Redactor = (message: string) => string;

/** Anything with a scheme: `http://10.0.0.5:8000/v1/chat/completions`, `grpc://…`. */
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi;
/** IPv4, with a port when there is one. */
const IPV4_PATTERN = /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g;
/** IPv6 in brackets, or bare with `::` (`::1`, `fe80::1:8000`), with a port when there is one. */
const IPV6_PATTERN =
  /\[[0-9a-f:.]+\](?::\d{1,5})?|(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4})*::[0-9a-f:]*(?:\.\d+){0,3}/gi;
/** `host:port` without a scheme, as socket errors write it (`vllm-a:8000`, `localhost:8000`). */
const HOST_PORT_PATTERN = /\b[a-z](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*:\d{2,5}\b/gi;

/**
 * A redactor for messages sent to clients. Upstream errors quote where the
 * proxy sent the request (`POST http://10.0.0.5:8000/v1/chat/completions
 * failed (ECONNREFUSED): connect ECONNREFUSED 10.0.0.5:8000`, a DNS error
 * naming the host), which tells any client the internal layout. URLs, IP
 * addresses, `host:port` and the host names of the configured `api_base`s
 * (alone, as `getaddrinfo ENOTFOUND vllm-a.internal` writes them) become
 * `[upstream]`; the rest of the message, the error class and the status
 * stay as they were. The full text stays in the proxy's own log.
 */
export function createRedactor(apiBases: Iterable<string | undefined>): Redactor {
  const hosts = new Set<string>();
  for (const base of apiBases) {
    if (!base) continue;
    try {
      const host = new URL(base).hostname.replace(/^\[|\]$/g, '');
      if (host !== '') hosts.add(host);
    } catch {
      // Not a URL: nothing to learn a host name from.
    }
  }
  // Longest first, so `vllm-a.internal` goes before a shorter name inside it.
  const names = [...hosts].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const hostPattern =
    names.length === 0
      ? undefined
      : new RegExp(`(?<![\\w.-])(?:${names.join('|')})(?![\\w-])`, 'gi');
  return message => {
    let out = message
      .replace(URL_PATTERN, UPSTREAM)
      .replace(IPV6_PATTERN, ipv6 => (ipv6.includes(':') && ipv6.length > 2 ? UPSTREAM : ipv6))
      .replace(IPV4_PATTERN, UPSTREAM)
      .replace(HOST_PORT_PATTERN, UPSTREAM);
    if (hostPattern) out = out.replace(hostPattern, UPSTREAM);
    return out;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
