import { CliError, EXIT, reason, unavailable, usage } from './errors.ts';

/**
 * The session cookie a command talking to a running server sends: CONCORD_SESSION, or a sign-in with
 * CONCORD_EMAIL and CONCORD_PASSWORD. `missing` is the usage message when neither is given (it says who
 * the command needs).
 */
export async function sessionCookie(base: string, env: NodeJS.ProcessEnv, missing: string): Promise<string> {
  if (env.CONCORD_SESSION) return `concord_session=${env.CONCORD_SESSION}`;
  if (!env.CONCORD_EMAIL || !env.CONCORD_PASSWORD) throw usage(missing);
  const signIn = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: env.CONCORD_EMAIL, password: env.CONCORD_PASSWORD }),
  }).catch((error: unknown) => {
    throw unavailable(`cannot reach ${base}: ${reason(error)}`);
  });
  if (!signIn.ok) throw new CliError(`sign-in at ${base} refused (${signIn.status})`, EXIT.failed);
  return signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
