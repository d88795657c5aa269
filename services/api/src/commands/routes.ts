import { type CommandResult, type RouteId, routes } from '@concord/contracts';
import {
  type CommandDraft,
  citedAttachments,
  defaultDecisionRules,
  MAX_MENTIONS,
  mentionedPersonIds,
} from '@concord/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from '../auth/plugin.ts';
import { actorOf, type Principal } from '../auth/service.ts';
import { ProblemError } from '../errors.ts';
import { commandIdOf } from '../idempotency.ts';
import { type Answer, checkAccess, type HandlerInput, registerRoute } from '../routing.ts';
import { RoleMovedError } from './handle.ts';
import { derivedUuid } from './ids.ts';

type Actor = NonNullable<ReturnType<typeof actorOf>>;
type DraftOf<Type extends CommandDraft['type']> = Extract<CommandDraft, { type: Type }>;
/** What a command of `Type` takes from the request: everything but its type, actor and time. */
type FieldsOf<Type extends CommandDraft['type']> = Omit<DraftOf<Type>, 'type' | 'actor' | 'now'>;
type RouteConfig = Parameters<typeof registerRoute>[3];

/**
 * How long a command waits for the read models to include it, so the next read shows it. A healthy
 * projector answers in milliseconds; on a loaded server it can take seconds, and a person whose page then
 * shows the old state thinks their action was lost (2 s was too short for a busy two-core machine). Past
 * this bound the answer goes anyway: a stuck projector delays people, it never hangs them.
 */
const READ_YOUR_WRITES_MS = 10_000;

/**
 * The command routes: each turns a request into a domain command (actor from the session, time from the
 * server's clock, ids of what it creates made here) and hands it to the pipeline.
 */
async function commandRoutesPlugin(app: FastifyInstance): Promise<void> {
  const { auth, commandBus: bus, clock } = app;

  /** Runs a command built from the request; a refusal becomes its catalogue problem. */
  async function issue(
    request: FastifyRequest,
    build: (input: {
      actor: Actor;
      now: string;
      id: (name: string) => string;
      organizationId: string | null;
    }) => CommandDraft,
    created: (id: (name: string) => string) => CommandResult['created'] = () => ({}),
  ): Promise<Answer> {
    const principal = request.principal as Principal;
    const actor = actorOf(principal);
    if (!actor) throw new ProblemError('NO_ROLE');
    const commandId = commandIdOf(request);
    const id = (name: string) => derivedUuid(commandId, name);
    const draft = build({ actor, now: clock().toISOString(), id, organizationId: principal.organizationId });
    // Documents are cited by hash: each must be stored, as described, and the person's to cite.
    await app.attachments.checkCited(principal, citedAttachments(draft));
    const outcome = await bus.execute(draft, {
      commandId,
      correlationId: request.correlationId,
      causationId: request.id,
      created: created(id),
      ...(principal.basis && { roleBasis: principal.basis }),
    });
    if (!outcome.ok) throw ProblemError.fromDomain(outcome.error);
    const { readSide, metrics } = app;
    if (!readSide || outcome.result.position === 0) return { body: outcome.result };
    const timed = metrics.commandSteps.startTimer({ step: 'readModels' });
    const settled = readSide.waitFor(outcome.result.position, READ_YOUR_WRITES_MS).then(() => timed());
    return { body: outcome.result, settled };
  }

  /** Routes about "my organization" name it in the path: another organization's is not yours to change. */
  function ownOrganization(input: { params: { organizationId: string }; request: FastifyRequest }): void {
    const { organizationId } = input.params;
    const principal = input.request.principal as Principal;
    if (principal.role === 'representative' && principal.organizationId !== organizationId) {
      throw new ProblemError('NOT_YOUR_ORGANIZATION', { details: { organizationId } });
    }
  }

  /**
   * Registers a route whose command is `type`, issued as the person now, with the fields `fields` takes
   * from the request (`id` names what the command creates; `created` reports those ids back).
   */
  function command<Id extends RouteId, Type extends CommandDraft['type']>(
    route: Id,
    type: Type,
    fields: (input: HandlerInput<(typeof routes)[Id]>, id: (name: string) => string) => FieldsOf<Type>,
    options: {
      /** Refuses the request before anything is issued (by throwing its problem). */
      check?: (input: HandlerInput<(typeof routes)[Id]>) => void;
      created?: (id: (name: string) => string) => CommandResult['created'];
      config?: RouteConfig;
    } = {},
  ): void {
    const run = (input: HandlerInput<(typeof routes)[Id]>) => {
      options.check?.(input);
      return issue(
        input.request,
        ({ actor, now, id }) => ({ type, actor, now, ...fields(input, id) }) as DraftOf<Type>,
        options.created,
      );
    };
    registerRoute(
      app,
      route,
      async (input) => {
        try {
          return await run(input);
        } catch (error) {
          if (!(error instanceof RoleMovedError)) throw error;
          // The role was read from a state this process kept, and that stream has moved on since (ADR
          // 0043): the role is read again as it is now, the route's access checked again, and the command
          // made once more.
          const { request } = input;
          const principal =
            (await auth.resolveSession(request.cookies[SESSION_COOKIE] ?? ''))?.principal ?? null;
          checkAccess(routes[route].access, principal);
          request.principal = principal;
          return run({ ...input, principal });
        }
      },
      { ...options.config, keptRole: true },
    );
  }

  registerRoute(app, 'foundCoalition', async ({ body, request }) => {
    const principal = request.principal as Principal;
    // The first representatives the founding names: their ids now, their names and addresses only in
    // the invitations (never in the history).
    const named = await Promise.all(
      body.foundingMembers.map((member) =>
        Promise.all(
          member.representatives.map(async (invitee) => ({
            ...invitee,
            personId: (await auth.inviteeId(invitee.email)).personId,
          })),
        ),
      ),
    );
    const founded = await issue(
      request,
      ({ actor, now, id }) => ({
        type: 'FoundCoalition',
        actor,
        now,
        coalitionName: body.coalitionName,
        rules: body.rules ?? defaultDecisionRules,
        sharedValues: body.sharedValues,
        sops: body.sops,
        foundingMembers: body.foundingMembers.map((member, index) => ({
          organizationId: id(`organization-${index}`),
          name: member.name,
          representativeIds: named[index]?.map((invitee) => invitee.personId) ?? [],
        })),
      }),
      (id) => ({ organizationIds: body.foundingMembers.map((_, index) => id(`organization-${index}`)) }),
    );
    const result = founded.body as CommandResult;
    const organizationIds = result.created.organizationIds as string[];
    const invitations = [];
    for (const [index, invitees] of named.entries()) {
      for (const invitee of invitees) {
        const organizationId = organizationIds[index] ?? null;
        const { expiresAt, link } = await auth.sendInvitation(
          { role: 'representative', organizationId, ...invitee },
          principal.name,
        );
        invitations.push({
          personId: invitee.personId,
          email: invitee.email,
          role: 'representative' as const,
          organizationId,
          expiresAt: expiresAt.toISOString(),
          link,
        });
      }
    }
    return { body: { ...result, invitations }, settled: founded.settled };
  });

  command('removeRepresentative', 'RemoveRepresentative', ({ params, body }) => ({
    ...params,
    reason: body?.reason ?? null,
  }));

  registerRoute(app, 'forgetPerson', async ({ params, request }) => {
    const { personId } = params;
    // Forgetting someone the history never knew would record a PersonForgotten about nobody.
    if (!(await auth.knows(personId))) throw new ProblemError('PERSON_NOT_FOUND');
    try {
      const answer = await issue(request, ({ actor, now }) => ({
        type: 'ForgetPerson',
        actor,
        now,
        personId,
      }));
      await auth.forget(personId);
      return answer;
    } catch (error) {
      // Recorded before, but the erasure may not have finished (a crash between the two): finish it.
      if (error instanceof ProblemError && error.code === 'PERSON_ALREADY_FORGOTTEN')
        await auth.forget(personId);
      throw error;
    }
  });

  command('confirmRepresentative', 'ConfirmRepresentative', ({ params, body }) => ({
    ...params,
    reason: body.reason,
  }));

  command('updateMemberProfile', 'UpdateMemberProfile', ({ params, body: { reason, ...profile } }) => ({
    organizationId: params.organizationId,
    profile,
    reason,
  }));

  command('joinWorkingGroup', 'JoinWorkingGroup', ({ params, body }) => ({
    groupId: params.groupId,
    hoursPerMonth: body.hoursPerMonth,
    reason: body.reason,
  }));

  command(
    'leaveWorkingGroup',
    'LeaveWorkingGroup',
    ({ params, body }) => ({ groupId: params.groupId, reason: body?.reason ?? null }),
    { check: ownOrganization },
  );

  command(
    'commitTime',
    'CommitTime',
    ({ params, body }) => ({
      groupId: params.groupId,
      hoursPerMonth: body.hoursPerMonth,
      reason: body.reason,
    }),
    { check: ownOrganization },
  );

  command(
    'raiseBudgetQuestion',
    'RaiseBudgetQuestion',
    ({ params, body }, id) => ({
      budgetId: params.budgetId,
      questionId: id('question'),
      lineId: body.lineId,
      text: body.text,
    }),
    { created: (id) => ({ questionId: id('question') }) },
  );

  command('answerBudgetQuestion', 'AnswerBudgetQuestion', ({ params, body }) => ({
    ...params,
    answer: body.answer,
  }));

  command(
    'submitExpense',
    'SubmitExpense',
    ({ params, body }, id) => ({ budgetId: params.budgetId, expenseId: id('expense'), ...body }),
    { created: (id) => ({ expenseId: id('expense') }) },
  );

  command('approveExpense', 'ApproveExpense', ({ params }) => params);

  command('rejectExpense', 'RejectExpense', ({ params, body }) => ({ ...params, reason: body.reason }));

  command('withdrawExpense', 'WithdrawExpense', ({ params, body }) => ({ ...params, reason: body.reason }));

  command('markExpensePaid', 'MarkExpensePaid', ({ params, body }) => ({
    ...params,
    reference: body.reference,
  }));

  // Partnerships: the domain decides who is a party (a representative for the coalition, a joined
  // partner's person for their organization); a partner reaches only these routes (`partnership` access).
  command('removePartnerContact', 'RemovePartnerContact', ({ params }) => params);

  command(
    'openCheckInRound',
    'OpenCheckInRound',
    ({ params, body }, id) => ({ ...params, roundId: id('round'), ...body }),
    { created: (id) => ({ roundId: id('round') }) },
  );

  command('answerCheckIn', 'AnswerCheckIn', ({ params, body }) => ({ ...params, ...body }));

  command('closeCheckInRound', 'CloseCheckInRound', ({ params }) => params);

  command(
    'proposePartnershipAction',
    'ProposePartnershipAction',
    ({ params, body }, id) => ({ ...params, actionId: id('action'), ...body }),
    { created: (id) => ({ actionId: id('action') }) },
  );

  command('agreeToPartnershipAction', 'AgreeToPartnershipAction', ({ params }) => params);

  command('followUpPartnershipAction', 'FollowUpPartnershipAction', ({ params, body }) => ({
    ...params,
    ...body,
  }));

  command(
    'recordReflection',
    'RecordReflection',
    ({ params, body }, id) => ({ ...params, reflectionId: id('reflection'), ...body }),
    { created: (id) => ({ reflectionId: id('reflection') }) },
  );

  command(
    'publishGrantCall',
    'PublishGrantCall',
    ({ body }, id) => ({ grantCallId: id('grant-call'), ...body }),
    {
      created: (id) => ({ grantCallId: id('grant-call') }),
    },
  );

  registerRoute(app, 'submitGrantApplication', ({ params, body, request }) => {
    const principal = request.principal as Principal;
    // A representative applies for their own organization; a facilitator for one outside the coalition,
    // whose id is created here when not given.
    const applicant = (id: (name: string) => string) =>
      body.applicantOrganizationId ??
      (principal.role === 'representative' ? (principal.organizationId as string) : id('applicant'));
    return issue(
      request,
      ({ actor, now, id }) => ({
        type: 'SubmitGrantApplication',
        actor,
        now,
        grantCallId: params.grantCallId,
        applicationId: id('application'),
        applicantOrganizationId: applicant(id),
        applicantName: body.applicantName,
        amountRequested: body.amountRequested,
        summary: body.summary,
        attachments: body.attachments,
      }),
      (id) => ({ applicationId: id('application'), applicantOrganizationId: applicant(id) }),
    );
  });

  command('reviewGrantApplication', 'ReviewGrantApplication', ({ params, body }) => ({ ...params, ...body }));

  command('draftProposal', 'DraftProposal', ({ body }, id) => ({ proposalId: id('proposal'), ...body }), {
    created: (id) => ({ proposalId: id('proposal') }),
  });

  command('amendProposal', 'AmendProposal', ({ params, body }) => ({
    proposalId: params.proposalId,
    ...body,
  }));

  command('openProposal', 'OpenProposal', ({ params, body }) => ({
    proposalId: params.proposalId,
    urgentReason: body.urgentReason,
  }));

  // Mentions are `@{personId}` tokens in the text (ADR 0024): each must be someone who may read the
  // proposal, so nobody is told of (or named beside) what they may not read.
  async function checkMentions(text: string): Promise<void> {
    const mentioned = mentionedPersonIds(text);
    if (mentioned.length > MAX_MENTIONS) {
      throw new ProblemError('TOO_MANY_MENTIONS', { details: { max: MAX_MENTIONS } });
    }
    const readers = await auth.withRole(mentioned);
    const outside = mentioned.filter((id) => !readers.has(id));
    if (outside.length > 0)
      throw new ProblemError('MENTION_NOT_A_READER', { details: { personIds: outside } });
  }

  registerRoute(app, 'commentOnProposal', async ({ params, body, request }) => {
    await checkMentions(body.text);
    return issue(
      request,
      ({ actor, now, id }) => ({
        type: 'CommentOnProposal',
        actor,
        now,
        proposalId: params.proposalId,
        commentId: id('comment'),
        text: body.text,
        attachments: body.attachments,
      }),
      (id) => ({ commentId: id('comment') }),
    );
  });

  command('takeStance', 'TakeStance', ({ params, body }) => ({ proposalId: params.proposalId, ...body }));

  command('addTranslation', 'AddTranslation', ({ params, body }) => ({
    proposalId: params.proposalId,
    ...body,
  }));

  command('withdrawProposal', 'WithdrawProposal', ({ params, body }) => ({
    proposalId: params.proposalId,
    reason: body.reason,
  }));

  command('scheduleDecision', 'ScheduleDecision', ({ params, body }) => ({
    proposalId: params.proposalId,
    scheduledFor: body.scheduledFor,
    reason: body.reason,
  }));

  // A reminder mails every undecided organization's representatives: a few attempts a minute per person
  // are plenty (the domain allows one a day per proposal anyway).
  command('remindUndecided', 'RemindUndecided', ({ params }) => ({ proposalId: params.proposalId }), {
    config: {
      rateLimit: {
        max: 10,
        timeWindow: 60_000,
        keyGenerator: (request: FastifyRequest) => request.principal?.personId ?? request.ip,
      },
    },
  });

  command('decideProposal', 'DecideProposal', ({ params }) => ({ proposalId: params.proposalId }));
}

/** The routes, in a scope of their own, registered after what they rely on (the API document included). */
export const commandRoutes = fp(commandRoutesPlugin, {
  name: 'concord-command-routes',
  dependencies: [
    'concord-problems',
    'concord-auth',
    'concord-docs',
    'concord-commands',
    'concord-read-side',
    'concord-attachments',
  ],
  encapsulate: true,
});
