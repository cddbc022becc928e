// Cross-site request refusal. A browser attaches the session cookie to a form or fetch sent from any
// page, and SameSite=Strict does not separate the ports of one host or sibling subdomains (the
// simulator's media server is another port). So a state-changing request or a socket handshake that
// a browser marks as coming from another origin is refused. Non-browser clients (gateways, curl,
// socket.io-client in Node) send neither header and are judged by their credentials alone.

export interface OriginHeaders {
  origin?: string | string[];
  host?: string | string[];
  'sec-fetch-site'?: string | string[];
  'x-forwarded-proto'?: string | string[];
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The origins this request may come from: the server's own (by its Host header) and the configured ones. */
export function ownOrigins(headers: OriginHeaders, configured: readonly string[], encrypted: boolean): Set<string> {
  const out = new Set(configured.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  const host = first(headers.host);
  if (host) {
    out.add(`${encrypted ? 'https' : 'http'}://${host}`.toLowerCase());
  }
  return out;
}

/** Why a request that changes state (or opens a socket) must be refused as cross-site, or null. */
export function crossSiteProblem(headers: OriginHeaders, allowed: ReadonlySet<string>): string | null {
  const origin = first(headers.origin);
  if (origin !== undefined) {
    // "null" is what sandboxed frames and some redirects send: never our own page.
    return allowed.has(origin.toLowerCase()) ? null : `requests from ${origin} are refused: only this server's own pages (or ALLOWED_ORIGINS) may change state`;
  }
  const site = first(headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${site} request is refused: only this server's own pages may change state`;
  return null;
}

/** ALLOWED_ORIGINS: comma-separated origins (scheme://host[:port]) a reverse proxy serves the dashboard under. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  return value.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new Error(`ALLOWED_ORIGINS: "${s}" is not an origin like https://linkage.example.gov.cn`);
    }
    if (!/^https?:$/.test(url.protocol) || url.origin !== s.replace(/\/+$/, '')) throw new Error(`ALLOWED_ORIGINS: "${s}" is not an origin like https://linkage.example.gov.cn (scheme, host and port only)`);
    return url.origin;
  });
}
