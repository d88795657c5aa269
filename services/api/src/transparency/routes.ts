import { nodeCrypto, parseVerifierKey, toBase64 } from '@concord/transparency';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { actorOf, type Principal } from '../auth/service.ts';
import { ProblemError } from '../errors.ts';
import { commandIdOf } from '../idempotency.ts';
import { registerRoute } from '../routing.ts';
import { WitnessedLog } from './witnessed-log.ts';

/**
 * The witnessed log's routes (ADR 0009): reads for everyone with a role, checkpoints on demand for people
 * who act, cosignatures from member organizations' registered witness keys, and the registration of those
 * keys (commands on the organization's member stream).
 */
async function logRoutesPlugin(app: FastifyInstance): Promise<void> {
  const witnessed = (): WitnessedLog => {
    if (!app.witnessedLog) throw new ProblemError('LOG_NOT_RUNNING');
    return app.witnessedLog;
  };
  const perPerson = (max: number) => ({
    rateLimit: {
      max,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) => request.principal?.personId ?? request.ip,
    },
  });
  /** The latest checkpoint's size, or a 404 while none is signed. */
  async function latestSize(): Promise<number> {
    const latest = await witnessed().checkpoint();
    if (!latest) throw new ProblemError('CHECKPOINT_NOT_FOUND');
    return latest.size;
  }

  registerRoute(app, 'logState', async () => {
    const log = witnessed();
    const [latest, cosignatures, keys, published] = await Promise.all([
      log.checkpoint(),
      log.latestCosignatures(),
      log.registeredKeys(),
      app.streams.load<{ publicKeys: readonly string[] }>('log', 'log'),
    ]);
    return {
      body: {
        origin: log.origin,
        // The history says which key signs: a replica's own key file (if any) signs nothing.
        logKey: published.state.publicKeys?.at(-1) ?? log.logKey,
        logKeys: [...(published.state.publicKeys ?? [])],
        size: log.log.size,
        checkpoint: latest
          ? {
              ...WitnessedLog.summary(latest.note),
              signedAt: await log.signedAt(latest.size),
              note: latest.note,
            }
          : null,
        cosignatures,
        witnessKeys: keys.map(({ organizationId, witnessKey, verifier }) => ({
          organizationId,
          keyName: verifier.name,
          witnessKey,
        })),
      },
    };
  });

  registerRoute(app, 'logCheckpoint', async ({ reply }) => {
    const latest = await witnessed().checkpoint();
    if (!latest) throw new ProblemError('CHECKPOINT_NOT_FOUND');
    reply.header('cache-control', 'no-store');
    return { body: latest.note };
  });

  registerRoute(app, 'logInclusionProof', async ({ query }) => {
    const size = query.size ?? (await latestSize());
    const log = witnessed().log;
    if (size > log.size) throw new ProblemError('PROOF_OUT_OF_RANGE');
    const proved = await log.proveEvent(query.position, size);
    if (!proved)
      throw new ProblemError('PROOF_OUT_OF_RANGE', { detail: 'No event at this position in that tree.' });
    return {
      body: {
        position: query.position,
        index: proved.index,
        size: proved.size,
        leafHash: toBase64(proved.leafHash),
        proof: proved.proof.map(toBase64),
      },
    };
  });

  registerRoute(app, 'logConsistencyProof', async ({ query }) => {
    const to = query.to ?? (await latestSize());
    const log = witnessed().log;
    if (query.from > to || to > log.size) throw new ProblemError('PROOF_OUT_OF_RANGE');
    const proof = await log.consistencyProof(query.from, to);
    return { body: { from: query.from, to, proof: proof.map(toBase64) } };
  });

  registerRoute(
    app,
    'requestCheckpoint',
    async () => ({ body: await witnessed().checkpointNow() }),
    perPerson(6),
  );

  registerRoute(
    app,
    'postCosignature',
    async ({ body, principal }) => {
      const log = witnessed();
      const person = principal as Principal;
      // Facilitators and auditors run no witness: only an organization's cosignature counts.
      if (person.role !== 'representative' || !person.organizationId)
        throw new ProblemError('NOT_YOUR_ORGANIZATION');
      return {
        body: await log.addCosignature({
          size: body.size,
          line: body.cosignature,
          organizationId: person.organizationId,
        }),
      };
    },
    // A witness hands in one line a checkpoint; a few a minute is plenty, and each costs a verification.
    { ...perPerson(30), bodyLimit: 4_096 },
  );

  /** Refuses a witness key whose key id does not match its name and key: it could never verify anything. */
  async function checkedWitnessKey(witnessKey: string): Promise<void> {
    try {
      await parseVerifierKey(witnessKey, nodeCrypto);
    } catch (error) {
      throw new ProblemError('WITNESS_KEY_INVALID', { detail: (error as Error).message });
    }
  }

  const issue = async (
    request: FastifyRequest,
    command:
      | { type: 'RegisterWitnessKey'; organizationId: string; witnessKey: string }
      | { type: 'RevokeWitnessKey'; organizationId: string; witnessKey: string; reason: string | null },
  ) => {
    const actor = actorOf(request.principal as Principal);
    if (!actor) throw new ProblemError('NO_ROLE');
    const commandId = commandIdOf(request);
    const outcome = await app.commandBus.execute(
      { ...command, actor, now: app.clock().toISOString() },
      { commandId, correlationId: request.correlationId, causationId: request.id },
    );
    if (!outcome.ok) throw ProblemError.fromDomain(outcome.error);
    return { body: outcome.result };
  };
  registerRoute(app, 'registerWitnessKey', async ({ params, body, request }) => {
    await checkedWitnessKey(body.witnessKey);
    return issue(request, { type: 'RegisterWitnessKey', organizationId: params.organizationId, ...body });
  });
  registerRoute(app, 'revokeWitnessKey', async ({ params, body, request }) =>
    issue(request, { type: 'RevokeWitnessKey', organizationId: params.organizationId, ...body }),
  );
}

/** The routes, in a scope of their own, registered after what they rely on (the API document included). */
export const logRoutes = fp(logRoutesPlugin, {
  name: 'concord-log-routes',
  dependencies: ['concord-problems', 'concord-auth', 'concord-docs', 'concord-witnessed-log'],
  encapsulate: true,
});
