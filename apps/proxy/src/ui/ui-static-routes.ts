import { ProxyError } from '../http/proxy-error';
import type { Exchange, ProxyContext, RouteDef } from '../server/proxy-context';
import type { StaticAsset } from './static-assets';

/**
 * The page's own policy: every script, style and request from the proxy
 * itself (no CDN, nothing inline), never framed. With the master key held
 * in session storage, an injected script is what this guards against.
 */
const PAGE_SECURITY = [
  'content-security-policy',
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options',
  'DENY',
  'referrer-policy',
  'no-referrer',
];

async function serveAsset(ctx: ProxyContext, ex: Exchange, path: string): Promise<void> {
  const assets = await ctx.dashboard?.assets();
  if (assets === undefined) {
    throw new ProxyError({
      status: 404,
      type: 'not_found_error',
      message: ctx.dashboard
        ? 'The admin page is not built: run `pnpm build` (it builds apps/dashboard into the proxy).'
        : 'The admin page is turned off (DISABLE_ADMIN_UI).',
    });
  }
  const asset = assets.get(path);
  if (asset === undefined) {
    throw new ProxyError({
      status: 404,
      type: 'not_found_error',
      message: `No file /ui/${path} in the admin page.`,
    });
  }
  send(ex, asset);
}

function send(ex: Exchange, asset: StaticAsset): void {
  const { req, res } = ex;
  const headers: string[] = [
    'content-type',
    asset.contentType,
    'etag',
    asset.etag,
    'cache-control',
    asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options',
    'nosniff',
    'vary',
    'accept-encoding',
  ];
  if (asset.contentType.startsWith('text/html')) headers.push(...PAGE_SECURITY);
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = asset.gzipped !== undefined && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const body = gzip ? asset.gzipped! : asset.body;
  if (gzip) headers.push('content-encoding', 'gzip');
  headers.push('content-length', String(body.length));
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** `/ui` (and `/ui/`): the page itself. Open to anyone: signing in happens on it. */
export const uiIndexRoute: RouteDef = {
  method: 'GET',
  auth: false,
  handle: (ctx, ex) => serveAsset(ctx, ex, 'index.html'),
};

/** `/ui/{file}`: the page's scripts, styles and icons. */
export const uiAssetRoute: RouteDef = {
  method: 'GET',
  auth: false,
  handle: (ctx, ex) => serveAsset(ctx, ex, ex.pathParam ?? ''),
};
