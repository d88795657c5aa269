import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The repository's root. */
export const root = join(import.meta.dirname, '../../../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Waits for a condition, looking again every 50 ms (no sleep stands in for the condition). */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once it ended. */
  exited: Promise<number | string | null>;
}

/**
 * The API's single process (`services/api/src/main.ts`, without the portal) on a free port, with its data
 * in `dataDir`. `prefix` runs it under another program (strace).
 */
export async function spawnServer(
  dataDir: string,
  { prefix = [], env = {} }: { prefix?: string[]; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const command = [...prefix, process.execPath, '--import', 'tsx', 'services/api/src/main.ts'];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      EVENTSTORE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PORTAL: 'off',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, port, base: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Waits until the server answers /health, or fails with what it printed. */
export async function waitUntilServing(server: ServerProcess, timeoutMs = 90_000): Promise<void> {
  let ended = false;
  void server.exited.then(() => {
    ended = true;
  });
  await until(
    async () => {
      if (ended) throw new Error(`the server ended:\n${server.output()}`);
      const response = await fetch(`${server.base}/health`).catch(() => null);
      return response?.ok === true;
    },
    timeoutMs,
    'the server to answer',
  );
}

/** A cookie jar of one session. */
export interface Session {
  cookie: string;
}

/** The facilitator `setUpFacilitator` creates. */
const facilitator = {
  email: 'facilitator@example.org',
  name: 'Amal Facilitator',
  password: 'a long enough password',
};

/** The session a response's cookies open. */
function sessionOf(response: Response): Session {
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie };
}

/** Creates the first facilitator through the set-up link the server logged, signed in. */
export async function setUpFacilitator(server: ServerProcess): Promise<Session> {
  await until(() => /setup\?token=[A-Za-z0-9_-]+/.test(server.output()), 30_000, 'the set-up link');
  const token = /setup\?token=([A-Za-z0-9_-]+)/.exec(server.output())![1]!;
  const response = await fetch(`${server.base}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, ...facilitator }),
  });
  if (!response.ok) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
  return sessionOf(response);
}

/** Signs that facilitator in again (after a restart, a restore): whether it worked, and the session. */
export async function signInFacilitator(server: ServerProcess): Promise<{ ok: boolean; session: Session }> {
  const response = await fetch(`${server.base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: facilitator.email, password: facilitator.password }),
  });
  return { ok: response.ok, session: sessionOf(response) };
}

/** A JSON request with the session's cookie. */
export async function call(
  server: ServerProcess,
  session: Session,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Founds a coalition of `members` organizations; answers their ids. */
export async function foundCoalition(
  server: ServerProcess,
  session: Session,
  members: number,
): Promise<string[]> {
  const founded = await call(server, session, 'POST', '/api/coalition', {
    coalitionName: 'Durable Coalition',
    foundingMembers: Array.from({ length: members }, (_, i) => ({ name: `Organization ${i}` })),
  });
  if (founded.status !== 201) throw new Error(`founding failed: ${JSON.stringify(founded.body)}`);
  const organizationIds = (founded.body as { created: { organizationIds: string[] } }).created
    .organizationIds;
  // The founding members are admitted by a process step after the founding is answered: as a client
  // would, wait until the members' list shows every one of them admitted.
  await until(
    async () => {
      const { body } = await call(server, session, 'GET', '/api/members');
      const admitted = new Set(
        (body as { members: { organizationId: string; status: string }[] }).members
          .filter((member) => member.status === 'member')
          .map((member) => member.organizationId),
      );
      return organizationIds.every((id) => admitted.has(id));
    },
    30_000,
    'the founding members to be admitted',
  );
  return organizationIds;
}

/**
 * A server on `dataDir` (added to `servers`, for the test to stop), serving, with the facilitator set up
 * and a coalition of `members` organizations founded.
 */
export async function foundedServer(dataDir: string, members: number, servers: ServerProcess[]) {
  const server = await spawnServer(dataDir);
  servers.push(server);
  await waitUntilServing(server);
  const session = await setUpFacilitator(server);
  const organizations = await foundCoalition(server, session, members);
  return { server, session, organizations };
}

/** Invites a representative to an organization: one command (an event and a one-time link). */
export function invite(server: ServerProcess, session: Session, organizationId: string, n: number) {
  return call(server, session, 'POST', `/api/members/${organizationId}/invitations`, {
    email: `rep-${n}@example.org`,
    name: `Representative ${n}`,
  });
}
