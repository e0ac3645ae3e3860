import { signal } from '@preact/signals';

/** Hash routes (#/queue, #/call/ID): the server serves one index.html, and links survive a reload. */
export const route = signal<string[]>(parse());

function parse(): string[] {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

addEventListener('hashchange', () => {
  route.value = parse();
});

export function go(...parts: string[]): void {
  location.hash = '#/' + parts.map(encodeURIComponent).join('/');
}

export const href = (...parts: string[]) => '#/' + parts.map(encodeURIComponent).join('/');
