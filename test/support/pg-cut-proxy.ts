/**
 * A TCP proxy in front of the real PostgreSQL server that can drop the connection at a chosen query: the
 * server going away at an exact point of the protocol (a failover, `pg_ctl stop -m fast`), reproducibly,
 * without stopping the server other suites share. `cutOn(pattern)` arms it: the next client-to-server chunk
 * whose bytes contain the pattern (the query text, e.g. "begin") is not forwarded, and that connection is
 * destroyed; with `refuse` set, new connections are closed at once as a server that is down would be.
 */
import net from 'node:net';

export interface CutProxy {
  /** postgres://…@127.0.0.1:<proxy port>/<database> for a server URL */
  urlFor(serverUrl: string): string;
  /**
   * drop the connection that sends a chunk containing this text (case-insensitive); once, or on every match with
   * `always`; with `after`, only once a chunk containing that text went by (on any connection)
   */
  cutOn(text: string, opts?: { always?: boolean; thenRefuse?: boolean; after?: string }): void;
  /** forward everything again and accept new connections */
  heal(): void;
  /** how many connections were cut so far */
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startCutProxy(serverUrl: string): Promise<CutProxy> {
  const target = new URL(serverUrl);
  const host = target.hostname;
  const port = Number(target.port || 5432);
  let pattern: Buffer | null = null;
  let after: string | null = null;
  let always = false;
  let thenRefuse = false;
  let refuse = false;
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (refuse) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, host);
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('data', (d) => client.write(d));
    client.on('data', (d: Buffer) => {
      const text = d.toString('latin1').toLowerCase();
      if (after !== null && text.includes(after)) after = null;
      if (pattern && after === null && text.includes(pattern.toString('latin1'))) {
        cuts++;
        if (!always) pattern = null;
        if (thenRefuse) refuse = true;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(d);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (server.address() as net.AddressInfo).port;
  return {
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(proxyPort);
      return u.toString();
    },
    cutOn(text, opts = {}) {
      pattern = Buffer.from(text.toLowerCase(), 'latin1');
      always = opts.always === true;
      thenRefuse = opts.thenRefuse === true;
      after = opts.after?.toLowerCase() ?? null;
    },
    heal() {
      pattern = null;
      after = null;
      refuse = false;
    },
    get cuts() {
      return cuts;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
