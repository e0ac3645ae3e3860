import { signal } from '@preact/signals';

/**
 * Hash routes (#/queue, #/call/ID): the server serves one index.html, and links survive a reload. A route may
 * carry parameters after `?` (#/call/ID?t=12.5, #/search?q=退款&team=blue): they are in `routeQuery`, not in
 * `route`'s parts.
 */
export const route = signal<string[]>(parse());
export const routeQuery = signal<URLSearchParams>(parseQuery());

function hashPath(): string {
  return location.hash.replace(/^#\/?/, '').split('?')[0];
}

function parse(): string[] {
  return hashPath().split('/').filter(Boolean).map(decodeURIComponent);
}

function parseQuery(): URLSearchParams {
  const i = location.hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : location.hash.slice(i + 1));
}

addEventListener('hashchange', () => {
  route.value = parse();
  routeQuery.value = parseQuery();
});

export function go(...parts: string[]): void {
  location.hash = '#/' + parts.map(encodeURIComponent).join('/');
}

export const href = (...parts: string[]) => '#/' + parts.map(encodeURIComponent).join('/');

/** A route with parameters: hrefWith({ t: '12.5' }, 'call', id) -> "#/call/ID?t=12.5" (empty values left out). */
export function hrefWith(params: Record<string, string | number | undefined | null>, ...parts: string[]): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return href(...parts) + (qs ? `?${qs}` : '');
}
