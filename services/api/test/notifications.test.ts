import type { AddressInfo } from 'node:net';
import { notificationListSchema } from '@concord/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedClient } from './support/live.ts';
import { GROUP, ORG, type PrincipalName, World } from './support/world.ts';

let world: World;

/** Waits until the notification processor has handled everything appended so far. */
async function notified(): Promise<void> {
  await world.settle();
  await world.app.notifications.processor.waitFor(await world.app.eventStore.head());
}

/** These organizations consent, then repA asks for the decision; waits for its notifications. */
async function decideWith(names: PrincipalName[], proposalId: string): Promise<void> {
  for (const name of names) await world.stance(name, proposalId);
  await world.as('repA', { type: 'DecideProposal', proposalId });
  await notified();
}

async function kinds(name: PrincipalName, proposalId?: string): Promise<string[]> {
  const response = await world.request(name, 'GET', '/api/notifications?limit=200');
  expect(response.statusCode).toBe(200);
  const list = notificationListSchema.parse(response.json());
  return list.notifications
    .filter((n) => proposalId === undefined || n.subject.proposalId === proposalId)
    .map((n) => n.kind)
    .sort();
}

describe('notifications derived from the events', () => {
  beforeAll(async () => {
    world = await World.create();
  });
  afterAll(() => world.close());

  it('a proposal opened to the whole coalition notifies every representative, once', async () => {
    const proposalId = await world.openBudgetProposal('repA');
    await notified();
    for (const name of ['repA', 'repB', 'recused', 'groupMember', 'nonMember'] as const) {
      expect(await kinds(name, proposalId)).toEqual(['proposalOpened']);
    }
    expect(await kinds('facilitator', proposalId)).toEqual([]);
    expect(await kinds('auditor', proposalId)).toEqual([]);
  });

  it('a body a person is not in never notifies them', async () => {
    const proposalId = await world.openGroupProposal('groupMember');
    await notified();
    expect(await kinds('groupMember', proposalId)).toEqual(['proposalOpened']);
    for (const name of ['repA', 'repB', 'nonMember', 'recused'] as const) {
      expect(await kinds(name, proposalId)).toEqual([]);
    }
  });

  it('an amendment after a stance asks that organization to review; the decision and its execution reach the body', async () => {
    const proposalId = await world.openBudgetProposal('repA');
    await world.stance('repB', proposalId);
    await world.as('repA', {
      type: 'AmendProposal',
      proposalId,
      title: 'A procedure, amended',
      body: 'Changed.',
      payload: {
        kind: 'budgetChange',
        budgetId: 'budget-1',
        opening: null,
        changes: [{ op: 'allocate', lineId: 'ops', delta: 300_000 }],
      },
      reason: null,
    } as never);
    await notified();
    expect(await kinds('repB', proposalId)).toEqual(['proposalOpened', 'stanceNeedsReview']);
    expect(await kinds('repA', proposalId)).toEqual(['proposalOpened']);
    await decideWith(['repA', 'repB', 'groupMember', 'nonMember'], proposalId);
    expect(await kinds('nonMember', proposalId)).toEqual([
      'decisionExecuted',
      'decisionTaken',
      'proposalOpened',
    ]);
    const list = (await world.request('repB', 'GET', '/api/notifications')).json();
    const decided = list.notifications.find((n: { kind: string }) => n.kind === 'decisionTaken');
    expect(decided.subject).toMatchObject({ proposalId, outcome: 'adopted', title: 'A procedure, amended' });
  });

  it("another organization's pending confirmation is told to that organization's representatives only", async () => {
    const { personId } = await world.person('Newcomer');
    await world.as('facilitator', {
      type: 'InviteRepresentative',
      organizationId: ORG.A,
      personId,
    } as never);
    await world.as({ role: 'representative', personId, organizationId: ORG.A }, {
      type: 'AcceptRepresentation',
      organizationId: ORG.A,
    } as never);
    await notified();
    const waiting = async (name: PrincipalName) =>
      (await kinds(name)).filter((kind) => kind === 'confirmationWaiting');
    expect(await waiting('repA')).toEqual(['confirmationWaiting']);
    for (const name of ['repB', 'recused', 'groupMember', 'nonMember', 'facilitator', 'auditor'] as const) {
      expect(await waiting(name)).toEqual([]);
    }
  });

  it('followers hear of line changes and answered questions; the asker too', async () => {
    expect((await world.request('nonMember', 'PUT', '/api/follows/budgetLine/grants')).statusCode).toBe(204);
    expect((await world.request('facilitator', 'PUT', '/api/follows/budgetLine/grants')).statusCode).toBe(
      204,
    );
    const proposalId = await world.openGroupProposal('groupMember');
    await world.stance('groupMember', proposalId);
    await world.as('groupMember', {
      type: 'DecideProposal',
      proposalId,
    });
    const questionId = world.id('question');
    await world.as('repB', {
      type: 'RaiseBudgetQuestion',
      budgetId: 'budget-1',
      questionId,
      lineId: 'grants',
      text: 'Why?',
    } as never);
    await world.as('groupMember', {
      type: 'AnswerBudgetQuestion',
      budgetId: 'budget-1',
      questionId,
      answer: 'Because.',
    } as never);
    await notified();
    expect((await kinds('nonMember')).filter((k) => k === 'budgetLineChanged')).toEqual([
      'budgetLineChanged',
    ]);
    expect((await kinds('facilitator')).filter((k) => k === 'budgetLineChanged')).toEqual([
      'budgetLineChanged',
    ]);
    expect((await kinds('repA')).filter((k) => k === 'budgetLineChanged')).toEqual([]);
    expect((await kinds('repB')).filter((k) => k === 'questionAnswered')).toEqual(['questionAnswered']);
    expect((await kinds('repA')).filter((k) => k === 'questionAnswered')).toEqual([]);
    expect(GROUP).toBeTruthy();
  });

  it('pushes a new notification on the live feed to its person only', async () => {
    await world.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `ws://127.0.0.1:${(world.app.server.address() as AddressInfo).port}/api/live`;
    const names = ['groupMember', 'repA', 'nonMember', 'facilitator', 'auditor'] as const;
    const clients = new Map<string, FeedClient>();
    for (const name of names) {
      const client = await FeedClient.as(world, url, name);
      client.resume(await world.app.eventStore.head());
      await client.until(() => client.messages.some((m) => m.type === 'caughtUp'));
      clients.set(name, client);
    }
    const proposalId = await world.openGroupProposal('groupMember');
    await notified();
    const pushed = (name: string) =>
      clients
        .get(name)!
        .messages.flatMap((m) => (m.type === 'notification' ? [m] : []))
        .filter((m) => m.notification.subject.proposalId === proposalId);
    const member = clients.get('groupMember')!;
    await member.until(() => pushed('groupMember').length > 0);
    expect(pushed('groupMember').map((m) => m.notification.kind)).toEqual(['proposalOpened']);
    expect(pushed('groupMember')[0]!.unread).toBeGreaterThan(0);
    // The others saw the same audit entries live, and no notification of it.
    for (const name of names.slice(1)) {
      const client = clients.get(name)!;
      await client.until(() =>
        client.entries().some((entry) => entry.type === 'ProposalOpened' && entry.proposalId === proposalId),
      );
      expect(pushed(name)).toEqual([]);
      expect(client.messages.filter((m) => m.type === 'notification')).toEqual([]);
    }
    for (const client of clients.values()) client.ws.close();
  });

  it('a follower whose representation ended is told nothing more; forgetting a person erases theirs', async () => {
    const leaver = await world.representative(ORG.N, 'Leaver');
    const cookie = async () => {
      const { token } = await world.app.auth.createSession(leaver.personId, 'test');
      return { concord_session: token };
    };
    const follow = await world.app.inject({
      method: 'PUT',
      url: '/api/follows/budgetLine/shared',
      cookies: await cookie(),
    });
    expect(follow.statusCode).toBe(204);
    const change = (label: string) =>
      world.as(world.system(), {
        type: 'ExecuteBudgetChange',
        budgetId: 'budget-1',
        opening: null,
        changes: [{ op: 'allocate', lineId: 'shared', delta: 1_000 }],
        execution: world.execution(label),
      } as never);
    await change('first');
    await notified();
    const rows = () =>
      world.t.db
        .selectFrom('api.notifications' as never)
        .select('kind' as never)
        .where('person_id' as never, '=', leaver.personId as never)
        .execute();
    expect(await rows()).toEqual([{ kind: 'budgetLineChanged' }]);
    await world.as('nonMember', {
      type: 'RemoveRepresentative',
      organizationId: ORG.N,
      personId: leaver.personId,
      reason: null,
    } as never);
    await change('second');
    await notified();
    expect(await rows()).toHaveLength(1);
    await world.app.auth.forget(leaver.personId);
    expect(await rows()).toEqual([]);
  });

  it('every representative of an organization is told; a failed execution is told like a decision', async () => {
    const second = await world.representative(ORG.B, 'Second of B');
    const lower = async () => {
      const proposalId = await world.draft('repA', {
        kind: 'budgetChange',
        budgetId: 'budget-1',
        opening: null,
        changes: [{ op: 'allocate', lineId: 'shared', delta: -80_000 }],
      });
      await world.open('repA', proposalId);
      return proposalId;
    };
    // Each fits alone; the second no longer fits once the first was executed.
    const proposals = [await lower(), await lower()];
    for (const proposalId of proposals) {
      await decideWith(['repA', 'repB', 'recused', 'groupMember', 'nonMember'], proposalId);
    }
    const [executed, failed] = proposals as [string, string];
    expect(await kinds('repB', executed)).toEqual(['decisionExecuted', 'decisionTaken', 'proposalOpened']);
    expect(await kinds('repB', failed)).toEqual(['decisionTaken', 'executionFailed', 'proposalOpened']);
    const mine = await world.app.notifications.queries.list(second.personId, { limit: 50 });
    expect(
      mine.notifications
        .filter((n) => n.subject.proposalId === failed)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['decisionTaken', 'executionFailed', 'proposalOpened']);
  });

  it('a mention notifies the person mentioned, once per comment, never the author nor someone who may not read it', async () => {
    const proposalId = await world.openBudgetProposal('repA');
    const id = (name: PrincipalName) => world.people.get(name)!.actor.personId;
    const outsider = await world.person('Outsider');
    const mention = (name: PrincipalName) => `@{${id(name)}}`;
    const text = `${mention('repB')} and ${mention('auditor')}, see this; ${mention('repB')} again; me: ${mention('nonMember')}`;
    const commented = await world.request('nonMember', 'POST', `/api/proposals/${proposalId}/comments`, {
      text,
    });
    expect(commented.statusCode, commented.body).toBe(201);
    await notified();
    const mentioned = async (name: PrincipalName) =>
      (await kinds(name, proposalId)).filter((kind) => kind === 'mentioned');
    expect(await mentioned('repB')).toEqual(['mentioned']);
    expect(await mentioned('auditor')).toEqual(['mentioned']);
    expect(await mentioned('nonMember')).toEqual([]);
    expect(await mentioned('repA')).toEqual([]);
    // The read model gives the ids (names come from the people list, never from the history).
    const detail = (await world.request('repA', 'GET', `/api/proposals/${proposalId}`)).json();
    expect(detail.comments.at(-1).mentions).toEqual([id('repB'), id('auditor'), id('nonMember')]);

    // Someone without a role may not read the proposal: the API refuses to mention them, and changes nothing.
    const refused = await world.request('repA', 'POST', `/api/proposals/${proposalId}/comments`, {
      text: `@{${outsider.personId}} look`,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'MENTION_NOT_A_READER',
      details: { personIds: [outsider.personId] },
    });
    const tooMany = Array.from({ length: 21 }, () => `@{${crypto.randomUUID()}}`).join(' ');
    const crowded = await world.request('repA', 'POST', `/api/proposals/${proposalId}/comments`, {
      text: tooMany,
    });
    expect(crowded.json()).toMatchObject({ code: 'TOO_MANY_MENTIONS' });
    // Even a command that reaches the history another way tells nobody without a role.
    await world.as('repA', {
      type: 'CommentOnProposal',
      proposalId,
      commentId: world.id('comment'),
      text: `@{${outsider.personId}} ${mention('groupMember')}`,
    });
    await notified();
    expect(await mentioned('groupMember')).toEqual(['mentioned']);
    const rows = await world.app.notifications.queries.list(outsider.personId, { limit: 50 });
    expect(rows.notifications).toEqual([]);
  });

  it('mentions before and after a removal in one batch: each is judged by who may be told as of its event', async () => {
    const proposalId = await world.openBudgetProposal('repA');
    const moving = await world.representative(ORG.N, 'Moving on');
    await notified();
    // Stopped, so the three events below are folded in one batch when it starts again.
    await world.app.notifications.processor.stop();
    const comment = async () => {
      const commentId = world.id('comment');
      await world.as('repA', {
        type: 'CommentOnProposal',
        proposalId,
        commentId,
        text: `@{${moving.personId}} please look`,
      });
      return commentId;
    };
    const before = await comment();
    await world.as('nonMember', {
      type: 'RemoveRepresentative',
      organizationId: ORG.N,
      personId: moving.personId,
      reason: null,
    } as never);
    await comment();
    await world.app.notifications.processor.start();
    await notified();
    const mine = await world.app.notifications.queries.list(moving.personId, { limit: 50 });
    expect(mine.notifications.filter((n) => n.kind === 'mentioned').map((n) => n.subject.commentId)).toEqual([
      before,
    ]);
  });

  it('a personal calendar feed: the bodies of the person only, stable UIDs in UTC, replaced or revoked links are 404', async () => {
    const coalitionWide = await world.openBudgetProposal('repA');
    const groupOnly = await world.openGroupProposal('groupMember');
    const scheduledFor = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString();
    expect(
      (
        await world.request('repA', 'PUT', `/api/proposals/${coalitionWide}/schedule`, {
          scheduledFor,
          reason: null,
        })
      ).statusCode,
    ).toBe(200);
    await world.settle();
    const linkOf = async (name: PrincipalName) => {
      const made = await world.request(name, 'POST', '/api/calendar-link');
      expect(made.statusCode, made.body).toBe(201);
      return new URL(made.json().url).pathname;
    };
    const feed = async (path: string) => world.app.inject({ method: 'GET', url: path });
    /** The feed's VEVENTs, lines unfolded (RFC 5545 §3.1), as maps of property name (no parameters) to value. */
    const events = (ics: string) =>
      ics
        .replace(/\r\n[ \t]/g, '')
        .split('BEGIN:VEVENT')
        .slice(1)
        .map((block) =>
          Object.fromEntries(
            block
              .split('\r\n')
              .filter((line) => line.includes(':'))
              .map((line) => [
                line.slice(0, line.indexOf(':')).split(';')[0],
                line.slice(line.indexOf(':') + 1),
              ]),
          ),
        );
    const about = (list: Record<string, string>[], proposalId: string) =>
      list.filter((event) => event.URL?.endsWith(`/proposals/${proposalId}`));

    const repALink = await linkOf('repA');
    const answer = await feed(repALink);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/calendar/);
    const mine = events(answer.body);
    const detail = (await world.request('repA', 'GET', `/api/proposals/${coalitionWide}`)).json();
    const utc = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(
      about(mine, coalitionWide)
        .map((event) => [event.SUMMARY, event.DTSTART])
        .sort(),
    ).toEqual(
      [
        [`Decision: ${detail.title}`, utc(scheduledFor)],
        [`Feedback closes: ${detail.title}`, utc(detail.feedbackEndsAt)],
      ].sort(),
    );
    // A's organization is not in the working group: its proposal is not in A's calendar.
    expect(about(mine, groupOnly)).toEqual([]);
    const uids = about(mine, coalitionWide).map((event) => event.UID);
    expect(new Set(uids).size).toBe(2);
    expect(about(events((await feed(repALink)).body), coalitionWide).map((event) => event.UID)).toEqual(uids);
    // The group's member and the facilitator see the group's proposal; nonMember's link does not.
    expect(about(events((await feed(await linkOf('groupMember'))).body), groupOnly)).toHaveLength(1);
    expect(about(events((await feed(await linkOf('facilitator'))).body), groupOnly)).toHaveLength(1);
    expect(about(events((await feed(await linkOf('nonMember'))).body), groupOnly)).toEqual([]);

    // The state says a link is in force, never its secret.
    const state = (await world.request('repA', 'GET', '/api/calendar-link')).json();
    expect(state).toMatchObject({ url: null, active: true });
    // A new link replaces the old one; a revoked one is gone; unknown secrets are 404 problems.
    const replaced = await linkOf('repA');
    expect((await feed(repALink)).statusCode).toBe(404);
    expect((await feed(replaced)).statusCode).toBe(200);
    expect((await world.request('repA', 'DELETE', '/api/calendar-link')).statusCode).toBe(204);
    const revoked = await feed(replaced);
    expect(revoked.statusCode).toBe(404);
    expect(revoked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(revoked.json()).toMatchObject({ code: 'CALENDAR_LINK_NOT_FOUND' });
    expect((await world.request('repA', 'GET', '/api/calendar-link')).json()).toMatchObject({
      active: false,
    });

    // Forgetting a person deletes their link.
    const leaver = await world.representative(ORG.A, 'Leaver');
    const { token: session } = await world.app.auth.createSession(leaver.personId, 'test');
    const made = await world.app.inject({
      method: 'POST',
      url: '/api/calendar-link',
      cookies: { concord_session: session },
    });
    const leaverLink = new URL(made.json().url).pathname;
    expect((await feed(leaverLink)).statusCode).toBe(200);
    await world.app.auth.forget(leaver.personId);
    expect((await feed(leaverLink)).statusCode).toBe(404);
    const rows = await world.app.database
      .selectFrom('api.calendar_links' as never)
      .selectAll()
      .where('person_id' as never, '=', leaver.personId as never)
      .execute();
    expect(rows).toEqual([]);
  });

  it('lists only your own, counts unread, marks one or all read', async () => {
    const before = (await world.request('repA', 'GET', '/api/notifications')).json();
    expect(before.unread).toBeGreaterThan(1);
    const first = before.notifications[0].notificationId;
    const other = (await world.request('repB', 'GET', '/api/notifications')).json().notifications[0]
      .notificationId;
    const one = await world.request('repA', 'POST', '/api/notifications/read', {
      notificationIds: [first, other],
    });
    expect(one.json()).toEqual({ marked: 1, unread: before.unread - 1 });
    // repB's own is untouched.
    const repB = (await world.request('repB', 'GET', '/api/notifications')).json();
    expect(repB.notifications[0].readAt).toBeNull();
    const all = await world.request('repA', 'POST', '/api/notifications/read', { all: true });
    expect(all.json()).toEqual({ marked: before.unread - 1, unread: 0 });
  });
});
