import { Readable } from 'node:stream';
import { checkpointJsonLine } from '@concord/event-store';
import {
  type AsOf,
  AUDIT_CSV_HEADER,
  budgetCsv,
  exportAuditCsv,
  exportEventsJsonl,
  asOf as historyAsOf,
} from '@concord/projections';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { exportTar } from '../attachments/export-tar.ts';
import { type Verification, verifyWithEffects } from '../audit/effects.ts';
import type { Principal } from '../auth/service.ts';
import { ProblemError } from '../errors.ts';
import { maySeePartnership, visibleAnswers } from '../partnerships/visibility.ts';
import type { ReadSide } from '../read-side.ts';
import { registerRoute } from '../routing.ts';
import type { ReplayChecks } from './replay.ts';

function found<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new ProblemError('RESOURCE_NOT_FOUND');
  return value;
}

/**
 * Queries over the read models and the "as of" views. Every signed-in member, facilitator and auditor
 * reads everything ("everyone can see everything"); the access check is the route's `reader` level.
 */
async function queryRoutesPlugin(app: FastifyInstance): Promise<void> {
  const { eventStore: store, clock } = app;
  const readSide = (): ReadSide => {
    if (!app.readSide) throw new ProblemError('NOT_READY', { detail: 'This server has no read models.' });
    return app.readSide;
  };
  const models = () => readSide().models;
  const at = (query: { position?: number; time?: string }) =>
    query.position !== undefined ? { position: query.position } : { time: new Date(query.time as string) };

  registerRoute(app, 'status', async () => {
    const checkpoint = await models().checkpoint();
    return {
      body: {
        head: await store.head(),
        projected: checkpoint?.position ?? 0,
        events: checkpoint?.events ?? 0,
        effects: app.effects?.alarm() ?? null,
      },
    };
  });
  registerRoute(app, 'charter', async () => ({ body: found(await models().charter()) }));
  registerRoute(app, 'members', async () => ({ body: { members: await models().members() } }));
  registerRoute(app, 'member', async ({ params }) => {
    const member = found(await models().member(params.organizationId));
    // Names come from the personal-data store, never from the history.
    const names = await app.auth.namesOf(member.representatives.map((rep) => rep.personId));
    return {
      body: {
        ...member,
        representatives: member.representatives.map((rep) => ({
          ...rep,
          name: names.get(rep.personId) ?? null,
        })),
      },
    };
  });

  // Partnerships: a partner's person reads theirs only; answers as the one rule says (ADR 0027).
  const partnershipsOf = async (principal: Principal) =>
    principal.role === 'partner' ? await models().partnershipIdsOfContact(principal.personId) : [];
  const partnershipFor = async (principal: Principal, partnershipId: string) => {
    const visible = maySeePartnership(principal, await partnershipsOf(principal), partnershipId);
    return found(visible ? await models().partnership(partnershipId) : null);
  };
  registerRoute(app, 'partnerships', async ({ principal }) => {
    const me = principal as Principal;
    const contactOf = await partnershipsOf(me);
    const partnerships = (await models().partnerships()).filter((partnership) =>
      maySeePartnership(me, contactOf, partnership.partnershipId),
    );
    return { body: { partnerships } };
  });
  registerRoute(app, 'partnership', async ({ params, principal }) => ({
    body: await partnershipFor(principal as Principal, params.partnershipId),
  }));
  // As it stood: readable by whoever may read the partnership today (a partner's person: their own).
  registerRoute(app, 'partnershipAsOf', async ({ params, query, principal }) => {
    const visible = maySeePartnership(
      principal as Principal,
      await partnershipsOf(principal as Principal),
      params.partnershipId,
    );
    return {
      body: found(visible ? await historyAsOf.partnership(store, at(query), params.partnershipId) : null),
    };
  });
  registerRoute(app, 'checkInAnswers', async ({ params, principal }) => {
    const partnership = await partnershipFor(principal as Principal, params.partnershipId);
    const round = found(partnership.rounds.find((candidate) => candidate.roundId === params.roundId));
    const answers = await models().partnershipAnswers(params.partnershipId, params.roundId);
    return { body: { answers: visibleAnswers(principal as Principal, round, answers) } };
  });
  registerRoute(app, 'reflections', async ({ query, principal }) => {
    const me = principal as Principal;
    const contactOf = await partnershipsOf(me);
    const reflections = (await models().searchReflections(query.q)).filter((reflection) =>
      maySeePartnership(me, contactOf, reflection.partnershipId),
    );
    return { body: { reflections } };
  });

  registerRoute(app, 'workingGroups', async () => ({
    body: { workingGroups: await models().workingGroups() },
  }));
  registerRoute(app, 'workingGroup', async ({ params }) => ({
    body: found(await models().workingGroup(params.groupId)),
  }));
  registerRoute(app, 'budgets', async () => ({ body: { budgets: await models().budgets() } }));
  registerRoute(app, 'budget', async ({ params }) => ({
    body: found(await models().budget(params.budgetId)),
  }));
  registerRoute(app, 'lineHistory', async ({ params, query }) => ({
    body: { changes: await models().lineHistory(params.lineId, { budgetId: params.budgetId, ...query }) },
  }));
  registerRoute(app, 'expenses', async ({ params, query }) => ({
    body: { expenses: await models().expenses({ budgetId: params.budgetId, ...query }) },
  }));
  registerRoute(app, 'expense', async ({ params }) => ({
    body: found(await models().expense(params.budgetId, params.expenseId)),
  }));
  registerRoute(app, 'questions', async ({ params, query }) => ({
    body: { questions: await models().questions({ budgetId: params.budgetId, ...query }) },
  }));
  registerRoute(app, 'proposals', async ({ query }) => {
    const limit = query.limit ?? 50;
    const page = await models().proposals({ ...query, limit: limit + 1 });
    const proposals = page.slice(0, limit);
    return { body: { proposals, next: page.length > limit ? (proposals.at(-1)?.position ?? null) : null } };
  });
  registerRoute(app, 'proposal', async ({ params }) => ({
    body: found(await models().proposal(params.proposalId, { now: clock() })),
  }));
  registerRoute(app, 'grantCalls', async () => ({ body: { grantCalls: await models().grantCalls() } }));
  registerRoute(app, 'grantCall', async ({ params }) => ({
    body: found(await models().grantCall(params.grantCallId)),
  }));
  registerRoute(app, 'people', async () => ({ body: { people: await app.auth.directory() } }));
  registerRoute(app, 'auditTrail', async ({ query }) => ({ body: await models().auditTrail(query) }));

  // Walking the whole store is the heaviest read there is: one walk at a time serves every asker, and each
  // person gets a few a minute (exports likewise).
  const perPerson = (max: number) => ({
    rateLimit: {
      max,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) => request.principal?.personId ?? request.ip,
    },
  });
  let verifying: Promise<Verification> | null = null;
  registerRoute(
    app,
    'verification',
    async () => {
      verifying ??= verifyWithEffects(store, app.attachments.store).finally(() => {
        verifying = null;
      });
      return { body: await verifying };
    },
    perPerson(6),
  );
  // A replay check rebuilds every view: one at a time, started a few times an hour per person. It runs
  // where the projector runs (the read models it compares with are that projector's).
  const replayChecks = (): ReplayChecks => {
    readSide();
    if (!app.replays) {
      throw new ProblemError('NOT_READY', {
        detail: 'Replay checks run on the instance with the projector.',
      });
    }
    return app.replays;
  };
  registerRoute(
    app,
    'startReplay',
    async ({ principal }) => ({ body: replayChecks().start((principal as Principal).personId) }),
    { rateLimit: { ...perPerson(3).rateLimit, timeWindow: 600_000 } },
  );
  registerRoute(app, 'currentReplay', async () => ({ body: found(replayChecks().current) }));

  const moment = (value: number | string | undefined): AsOf | undefined =>
    value === undefined
      ? undefined
      : typeof value === 'number'
        ? { position: value }
        : { time: new Date(value) };
  registerRoute(
    app,
    'exportEvents',
    async ({ query, reply, principal }) => {
      const { format, from, to, names: withNames, ...filter } = query;
      const range = { from: moment(from), to: moment(to) };
      // Pseudonymous unless asked, and names are never for auditors (often outside the coalition).
      if (withNames === 'included' && (principal as Principal).role === 'auditor') {
        throw new ProblemError('NAMES_NOT_FOR_AUDITORS');
      }
      const names = withNames === 'included' ? await app.auth.namesOfEveryone() : null;
      const log = app.witnessedLog;
      async function* text() {
        if (format === 'csv') yield AUDIT_CSV_HEADER;
        const pages =
          format !== 'csv' ? exportEventsJsonl(store, range) : exportAuditCsv(models(), range, filter, names);
        let events = 0;
        for await (const lines of pages) {
          if (format !== 'csv') events += lines.filter((line) => !line.startsWith('{"streamHead"')).length;
          yield lines.join('');
        }
        // A whole export ends with the newest checkpoint it covers (cosigned when there is one), so the
        // file alone can be checked against what witnesses saw (docs/verification.md §1.6).
        if (format !== 'csv' && from === undefined && log && events > 0) {
          const checkpoint = await log.checkpointFor(events);
          if (checkpoint) yield checkpointJsonLine(checkpoint.note);
        }
      }
      const stamp = clock().toISOString().slice(0, 19).replaceAll(':', '-');
      const name = format === 'csv' ? 'audit' : 'events';
      const kind = names ? 'with-names' : 'pseudonymous';
      if (format === 'tar') {
        reply
          .type('application/x-tar')
          .header('content-disposition', `attachment; filename="concord-${name}-${kind}-${stamp}.tar"`)
          .header('x-concord-names', kind)
          .header('cache-control', 'no-store');
        const tar = exportTar({
          lines: text(),
          documents: app.attachments.store,
          mayRead: (sha256) => app.attachments.mayRead(principal, sha256),
        });
        return { body: tar };
      }
      reply
        .type(format === 'jsonl' ? 'application/x-ndjson; charset=utf-8' : 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="concord-${name}-${kind}-${stamp}.${format}"`)
        .header('x-concord-names', kind)
        .header('cache-control', 'no-store');
      // Read models first: a missing read side is a 503 before any of the body is sent.
      if (format === 'csv') models();
      return { body: Readable.from(text()) };
    },
    perPerson(10),
  );
  registerRoute(
    app,
    'budgetCsv',
    async ({ params, reply }) => {
      const lines = found(await budgetCsv(models(), params.budgetId));
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="concord-budget-${params.budgetId}.csv"`)
        .header('cache-control', 'no-store');
      return { body: Readable.from(lines) };
    },
    perPerson(10),
  );
  registerRoute(app, 'budgetAsOf', async ({ params, query }) => ({
    body: found(await historyAsOf.budget(store, at(query), params.budgetId)),
  }));
  registerRoute(app, 'membersAsOf', async ({ query }) => ({
    body: await historyAsOf.members(store, at(query)),
  }));
  registerRoute(app, 'workingGroupAsOf', async ({ params, query }) => ({
    body: found(await historyAsOf.workingGroup(store, at(query), params.groupId)),
  }));
  registerRoute(app, 'proposalAsOf', async ({ params, query }) => ({
    body: found(await historyAsOf.proposal(store, at(query), params.proposalId)),
  }));
}

/** The routes, in a scope of their own, registered after what they rely on (the API document included). */
export const queryRoutes = fp(queryRoutesPlugin, {
  name: 'concord-query-routes',
  dependencies: ['concord-problems', 'concord-auth', 'concord-docs', 'concord-read-side'],
  encapsulate: true,
});
