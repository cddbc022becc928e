// A small JSON client for the server's command and query API (not the batching ingest, see
// transport.ts): at most `concurrency` requests in flight; network errors, 429 and 5xx are retried
// with exponential backoff; a 4xx is an answer (the caller decides what to do), never retried.
import type { Logger } from 'pino';
import pLimit, { type LimitFunction } from 'p-limit';

export interface FetchLike {
  (url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; text(): Promise<string> }>;
}

export interface ApiOptions {
  baseUrl: string;
  key: string;
  fetch?: FetchLike;
  concurrency?: number;
  /** Attempts per request before giving up (the caller re-plans and tries again later). */
  maxAttempts?: number;
  backoffMs?: [number, number];
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; code: string; message: string };

export interface ApiStats {
  requests: number;
  retried: number;
  /** Requests given up after maxAttempts (server down or failing). */
  unavailable: number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ApiClient {
  readonly stats: ApiStats = { requests: 0, retried: 0, unavailable: 0 };
  private readonly limit: LimitFunction;
  private readonly o: Required<Omit<ApiOptions, 'log'>> & Pick<ApiOptions, 'log'>;

  constructor(opts: ApiOptions) {
    this.o = {
      fetch: (url, init) => fetch(url, init), concurrency: 8, maxAttempts: 6, backoffMs: [250, 10_000], sleep: realSleep, ...opts,
      baseUrl: opts.baseUrl.replace(/\/$/, ''),
    };
    this.limit = pLimit(this.o.concurrency);
  }

  get<T>(path: string): Promise<ApiResult<T>> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<ApiResult<T>> {
    return this.request<T>('POST', path, JSON.stringify(body));
  }

  get inFlight(): number {
    return this.limit.activeCount + this.limit.pendingCount;
  }

  request<T>(method: string, path: string, body?: string): Promise<ApiResult<T>> {
    return this.limit(() => this.attempt<T>(method, path, body));
  }

  private async attempt<T>(method: string, path: string, body?: string): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { 'x-gateway-key': this.o.key };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let last = '';
    for (let attempt = 0; attempt < this.o.maxAttempts; attempt++) {
      if (attempt > 0) {
        this.stats.retried++;
        const [base, max] = this.o.backoffMs;
        await this.o.sleep(Math.min(max, base * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5));
      }
      this.stats.requests++;
      let status = 0;
      let text = '';
      try {
        const res = await this.o.fetch(this.o.baseUrl + path, { method, headers, body });
        status = res.status;
        text = await res.text();
      } catch (err) {
        last = (err as Error).message;
        continue;
      }
      if (status === 429 || status >= 500) {
        last = `${status} ${text.slice(0, 200)}`;
        continue;
      }
      return parse<T>(status, text);
    }
    this.stats.unavailable++;
    this.o.log?.warn({ method, path, attempts: this.o.maxAttempts, last }, 'server unavailable, giving up for now');
    return { ok: false, status: 0, code: 'UNAVAILABLE', message: last };
  }
}

/** 2xx `{ ok: true, data }` → data; anything else → its code and message (fastify's own errors included). */
function parse<T>(status: number, text: string): ApiResult<T> {
  let body: { ok?: boolean; data?: T; code?: string; message?: string; error?: string } | null = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below
  }
  if (status >= 200 && status < 300 && body && body.ok !== false) return { ok: true, status, data: (body.data ?? body) as T };
  return { ok: false, status, code: body?.code ?? `HTTP_${status}`, message: body?.message ?? body?.error ?? text.slice(0, 300) };
}
