import { Command, Option } from 'commander';
import Table from 'cli-table3';
import { cliActor } from '../services/types.js';

/**
 * callqa users: add|list|disable|enable|set-password|token|tokens|revoke-token. Passwords are read from stdin (never from the
 * command line, where other users could see them in the process list) and never printed or logged.
 */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // one line: a trailing newline (echo, a here-string) is not part of the password
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function withServices<T>(data: string | undefined, fn: (s: import('../services/index.js').Services) => Promise<T>): Promise<T> {
  const [{ openData }, { createServices }] = await Promise.all([import('./data.js'), import('../services/index.js')]);
  const store = await openData({ dataDir: data });
  try {
    return await fn(createServices(store));
  } finally {
    await store.close();
  }
}

const actor = cliActor;

function needStdin(flag: boolean | undefined): void {
  if (!flag) throw new Error('give the password on stdin with --password-stdin (e.g. printf %s "$PW" | callqa users add ...)');
}

export function register(program: Command): void {
  const users = program
    .command('users')
    .description('manage the people who log in to callqa serve (agents, inspectors, supervisors, admins)')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)');
  const data = () => users.opts().data as string | undefined;

  users
    .command('add')
    .description('add a user')
    .argument('<name>', 'username (letters, digits, . _ @ -)')
    .addOption(new Option('--role <role>', 'what the user does').choices(['agent', 'inspector', 'supervisor', 'admin']).makeOptionMandatory())
    .option('--agent-id <id>', 'agents: the agentId their calls carry in the call metadata')
    .option('--team <team>', 'the team (supervisors see their team\'s calls and disputes)')
    .option('--password-stdin', 'read the password from stdin')
    .action(async (name: string, o: { role: string; agentId?: string; team?: string; passwordStdin?: boolean }) => {
      needStdin(o.passwordStdin);
      const password = await readStdin();
      const u = await withServices(data(), (s) => s.users.add(actor(), { username: name, role: o.role, agentId: o.agentId, team: o.team, password }));
      process.stdout.write(`added ${u.username} (${u.role}${u.agentId ? `, agent ${u.agentId}` : ''}${u.team ? `, team ${u.team}` : ''})\n`);
    });

  users
    .command('list')
    .description('list users')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withServices(data(), (s) => s.users.list());
      if (o.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      const t = new Table({ head: ['user', 'role', 'agent id', 'team', 'status', 'created'], style: { head: [], border: [] } });
      for (const u of list) t.push([u.username, u.role, u.agentId ?? '', u.team ?? '', u.disabled ? 'disabled' : 'active', u.createdAt.slice(0, 10)]);
      process.stdout.write(`${t.toString()}\n`);
    });

  users
    .command('disable')
    .description('disable a user: they cannot log in, and their sessions and API tokens stop working at once')
    .argument('<name>')
    .action(async (name: string) => {
      const r = await withServices(data(), (s) => s.users.setDisabled(actor(), name, true));
      process.stdout.write(r.changed ? `disabled ${name} (${r.revoked} session(s)/token(s) revoked)\n` : `${name} was already disabled (${r.revoked} session(s)/token(s) left over revoked)\n`);
    });

  users
    .command('enable')
    .description('enable a disabled user again')
    .argument('<name>')
    .action(async (name: string) => {
      const r = await withServices(data(), (s) => s.users.setDisabled(actor(), name, false));
      process.stdout.write(r.changed ? `enabled ${name}\n` : `${name} was already active: nothing changed\n`);
    });

  users
    .command('set-password')
    .description('set a new password (read from stdin); ends the user\'s browser sessions')
    .argument('<name>')
    .option('--password-stdin', 'read the password from stdin')
    .action(async (name: string, o: { passwordStdin?: boolean }) => {
      needStdin(o.passwordStdin);
      const password = await readStdin();
      const r = await withServices(data(), (s) => s.users.setPassword(actor(), name, password));
      process.stdout.write(`password of ${name} changed (${r.revoked} session(s) ended)\n`);
    });

  users
    .command('token')
    .description('create an API token for scripts (Authorization: Bearer <token>); printed once')
    .argument('<name>', 'the user the token acts as')
    .option('--label <text>', 'what the token is for', 'script')
    .option('--days <n>', 'expires after this many days (default: never)')
    .action(async (name: string, o: { label: string; days?: string }) => {
      const days = o.days === undefined ? undefined : Number(o.days);
      if (days !== undefined && !(days > 0)) throw new Error(`--days must be a positive number, got "${o.days}"`);
      // as the API: at most 3650 days (Infinity or 99999999 days was past the last representable date: "Invalid time value")
      if (days !== undefined && !(days <= MAX_TOKEN_DAYS)) throw new Error(`--days must be at most ${MAX_TOKEN_DAYS} (10 years, as the API allows; leave it out for a token that never expires), got "${o.days}"`);
      if (!o.label.trim()) throw new Error('--label must not be empty (it is how the token is told apart in callqa users tokens)');
      const t = await withServices(data(), (s) => s.users.createToken(actor(), name, o.label, days));
      process.stdout.write(`${t.token}\n`);
      process.stderr.write(`token for ${name} (${o.label}${t.expiresAt ? `, expires ${t.expiresAt}` : ''}): store it now, it is not shown again\n`);
    });

  users
    .command('tokens')
    .description("list a user's API tokens (id, label, created, expires, status); the tokens themselves are never shown again")
    .argument('<name>', 'the user')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const list = await withServices(data(), (s) => s.users.listTokens(name));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (!list.length) {
        process.stdout.write(`${name} has no API tokens (callqa users token ${name})\n`);
        return;
      }
      const t = new Table({ head: ['id', 'label', 'created', 'expires', 'status'], style: { head: [], border: [] } });
      for (const k of list) t.push([k.id, k.label, k.createdAt.slice(0, 16).replace('T', ' '), k.expiresAt ? k.expiresAt.slice(0, 10) : 'never', k.status]);
      process.stdout.write(`${t.toString()}\n`);
    });

  users
    .command('revoke-token')
    .description("revoke one API token at once (its id from 'callqa users tokens NAME'); the user's other tokens and sessions stay")
    .argument('<id>', 'the token id')
    .action(async (id: string) => {
      const r = await withServices(data(), (s) => s.users.revokeToken(actor(), id));
      process.stdout.write(r.alreadyRevoked ? `token ${id} of ${r.username} (${r.label}) was already revoked\n` : `revoked token ${id} of ${r.username} (${r.label})\n`);
    });
}

/** the longest token lifetime --days takes, the API's limit too (src/api/routes/users.ts): 10 years; no --days = never expires */
const MAX_TOKEN_DAYS = 3650;
