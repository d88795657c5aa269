// A stand-in for the API's auth endpoints, shaped as the portal expects them, for the browser tests
// and the benchmark until services/api serves them (then the multi-context journey uses the real API).
//   POST /api/auth/sign-in  { email, password } → 200 + Set-Cookie concord_session (httpOnly) | 401
//   GET  /api/auth/me                            → 200 Me { personId, email, name, role, … } | 401
//   POST /api/auth/sign-out                      → 204, cookie cleared
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const testPerson = {
  email: 'amal@example.org',
  password: 'correct horse battery staple',
  displayName: 'Amal Haddad',
};

export interface FakeApi {
  url: string;
  /** Cookie headers the API received, in order (to check the portal forwards the session). */
  receivedCookies: string[];
  /** User agents seen by /api/auth/me (the portal forwards the browser's). */
  receivedUserAgents: string[];
  close: () => Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  const problem = status >= 400;
  res.writeHead(status, {
    ...(body === undefined
      ? {}
      : { 'content-type': problem ? 'application/problem+json' : 'application/json' }),
    ...headers,
  });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

const problem = (status: number, code: string) => ({
  type: `/api/problems#${code}`,
  title: code,
  status,
  code,
});

const me = (sessionId: string) => ({
  personId: 'person-1',
  email: testPerson.email,
  name: testPerson.displayName,
  role: 'representative',
  organizationId: 'org-1',
  sessionId,
});

export function startFakeApi(): Promise<FakeApi> {
  const sessions = new Set<string>();
  const receivedCookies: string[] = [];
  const receivedUserAgents: string[] = [];
  const sessionOf = (req: IncomingMessage) =>
    /(?:^|;\s*)concord_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];

  const server = createServer(async (req, res) => {
    receivedCookies.push(req.headers.cookie ?? '');
    const route = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`;
    if (route === 'POST /api/auth/sign-in') {
      let credentials: { email?: unknown; password?: unknown } = {};
      try {
        credentials = JSON.parse(await readBody(req));
      } catch {
        return send(res, 400, problem(400, 'VALIDATION_FAILED'));
      }
      if (credentials.email !== testPerson.email || credentials.password !== testPerson.password) {
        return send(res, 401, problem(401, 'SIGN_IN_FAILED'));
      }
      const token = randomUUID();
      sessions.add(token);
      return send(res, 200, me(token), {
        'set-cookie': `concord_session=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000`,
      });
    }
    if (route === 'GET /api/auth/me') {
      const token = sessionOf(req);
      if (!token || !sessions.has(token)) return send(res, 401, problem(401, 'UNAUTHENTICATED'));
      receivedUserAgents.push(req.headers['user-agent'] ?? '');
      return send(res, 200, me(token));
    }
    if (route === 'POST /api/auth/sign-out') {
      const token = sessionOf(req);
      if (token) sessions.delete(token);
      return send(res, 204, undefined, {
        'set-cookie': 'concord_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
      });
    }
    return send(res, 404, problem(404, 'NOT_FOUND'));
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        receivedCookies,
        receivedUserAgents,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
