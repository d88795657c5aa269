import { PILLARS } from '@concord/domain';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { pathOf } from '../src/notifications/mails.ts';
import { worldForSuite } from './support/suite.ts';
import { ORG, PARTNER_ORG, PARTNERSHIP, testAgreement, type World } from './support/world.ts';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const answersRating = (rating: number | null, comment = '') =>
  PILLARS.map((pillar) => ({ pillar, rating, comment }));

/** The body of a successful answer (any 2xx). */
function ok(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json();
}

/** The partner proposes to co-chair the quarterly meeting, due on `dueDate`; the id of the action. */
async function proposeCoChairing(world: World, dueDate: string): Promise<string> {
  const proposed = ok(
    await world.request('partner', 'POST', `/api/partnerships/${PARTNERSHIP}/actions`, {
      pillar: 'coLeadership',
      ownerPartyId: PARTNER_ORG,
      dueDate,
      description: 'Co-chair the quarterly meeting with a member organization',
    }),
  );
  return proposed.created.actionId as string;
}

describe('partnerships over HTTP', () => {
  let world: World;
  worldForSuite({ byDecision: true, timeoutMs: 180_000 }, (created) => {
    world = created;
  });

  it('is established by an adopted proposal, with its agreement', async () => {
    const detail = ok(await world.request('repB', 'GET', `/api/partnerships/${PARTNERSHIP}`));
    expect(detail.agreement).toEqual(testAgreement);
    expect(detail.partners).toEqual([{ organizationId: PARTNER_ORG, name: 'Organization P', kind: 'ingo' }]);
    const proposal = ok(
      await world.request('repB', 'GET', `/api/proposals/${detail.establishedByProposalId}`),
    );
    expect(proposal.status).toBe('executed');
  });

  it("invites a partner's person by link; once accepted they are a partner, and see nothing of the coalition's", async () => {
    const email = `${world.id('ngo')}@example.org`;
    const invited = await world.request('facilitator', 'POST', `/api/partnerships/${PARTNERSHIP}/contacts`, {
      organizationId: PARTNER_ORG,
      email,
      name: 'Amira of P',
    });
    expect(invited.statusCode, invited.body).toBe(201);
    // Their name and address are in the invitation, never in the history.
    await world.settle();
    const exported = await world.request('auditor', 'GET', '/api/export?format=jsonl');
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('PartnerContactInvited');
    expect(exported.body).not.toContain(email);
    expect(exported.body).not.toContain('Amira');
    const accepted = await world.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: world.t.mailer.lastToken(email), password: 'a long password here' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ role: 'partner', organizationId: PARTNER_ORG });
    const cookie = accepted.cookies.find((c) => c.name === 'concord_session')!;
    const as = (method: 'GET' | 'POST', url: string) =>
      world.app.inject({ method, url, cookies: { concord_session: cookie.value } });

    // Their partnership, yes; the coalition's members, budgets, proposals, audit trail and live feed, no.
    expect((await as('GET', `/api/partnerships/${PARTNERSHIP}`)).statusCode).toBe(200);
    for (const url of ['/api/members', `/api/budgets`, '/api/proposals', '/api/audit', '/api/live']) {
      const refused = await as('GET', url);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json().code, url).toBe('PARTNER_NOT_ALLOWED');
    }
  });

  it('a pooled round: answers changed until it closes; results show the coalition only where three rated, and nobody reads a member’s answer but its own', async () => {
    const opened = ok(
      await world.request('facilitator', 'POST', `/api/partnerships/${PARTNERSHIP}/rounds`, {
        closesAt: inDays(14),
        pooled: true,
      }),
    );
    const roundId = opened.created.roundId as string;
    const answer = (
      who: 'repA' | 'repB' | 'groupMember' | 'partner',
      organizationId: string,
      body: unknown,
    ) =>
      world.request(
        who,
        'PUT',
        `/api/partnerships/${PARTNERSHIP}/rounds/${roundId}/answers/${organizationId}`,
        body,
      );
    // A answers twice (the second counts); B does not know about power; W answers; the partner rates co-leadership 4.
    ok(await answer('repA', ORG.A, { answers: answersRating(1), language: 'en' }));
    ok(await answer('repA', ORG.A, { answers: answersRating(2, 'Asked late'), language: 'en' }));
    ok(
      await answer('repB', ORG.B, {
        answers: answersRating(2).map((a) => (a.pillar === 'power' ? { ...a, rating: null } : a)),
        language: 'ar',
      }),
    );
    ok(await answer('groupMember', ORG.W, { answers: answersRating(3), language: 'es' }));
    ok(
      await answer('partner', PARTNER_ORG, {
        answers: answersRating(4, 'We share everything'),
        language: 'en',
      }),
    );
    // Nobody answers for another organization.
    expect((await answer('repB', ORG.A, { answers: answersRating(4), language: 'en' })).statusCode).toBe(403);
    expect((await answer('partner', ORG.A, { answers: answersRating(4), language: 'en' })).statusCode).toBe(
      403,
    );

    const answersFor = async (who: 'repA' | 'facilitator' | 'partner' | 'auditor') => {
      await world.settle();
      const listed = ok(
        await world.request(who, 'GET', `/api/partnerships/${PARTNERSHIP}/rounds/${roundId}/answers`),
      );
      return (listed.answers as { organizationId: string; answers: { comment: string }[] }[]).map(
        (a) => a.organizationId,
      );
    };
    // While open: each its own only.
    expect(await answersFor('repA')).toEqual([ORG.A]);
    expect(await answersFor('partner')).toEqual([PARTNER_ORG]);
    expect(await answersFor('facilitator')).toEqual([]);

    ok(
      await world.request('facilitator', 'POST', `/api/partnerships/${PARTNERSHIP}/rounds/${roundId}/close`),
    );
    await world.settle();
    // Closed, pooled: the partner's answer is the partner's to show; members' answers stay pooled.
    expect((await answersFor('repA')).sort()).toEqual([ORG.A, PARTNER_ORG].sort());
    expect(await answersFor('partner')).toEqual([PARTNER_ORG]);
    expect(await answersFor('auditor')).toEqual([PARTNER_ORG]);

    const detail = ok(await world.request('partner', 'GET', `/api/partnerships/${PARTNERSHIP}`));
    const round = detail.rounds.find((r: { roundId: string }) => r.roundId === roundId);
    const pillar = (id: string) =>
      round.results.pillars.find((p: { pillar: string }) => p.pillar === id).parties;
    // Co-leadership: A 2, B 2, W 3 — three ratings, shown as a sum; the partner's 4.
    expect(pillar('coLeadership')).toEqual([
      { partyId: 'coalition', answered: 3, rated: 3, dontKnow: 0, sum: 7 },
      { partyId: PARTNER_ORG, answered: 1, rated: 1, dontKnow: 0, sum: 4 },
    ]);
    // Power: B did not know, so two ratings only — withheld.
    expect(pillar('power')[0]).toEqual({
      partyId: 'coalition',
      answered: 3,
      rated: 2,
      dontKnow: 1,
      sum: null,
    });
    expect(round.results.pooledComments).toEqual(PILLARS.map((p) => ({ pillar: p, text: 'Asked late' })));
    // Too late to change an answer.
    expect((await answer('repA', ORG.A, { answers: answersRating(4), language: 'en' })).statusCode).toBe(409);
  });

  it('an action proposed by the partner is agreed by the coalition, followed up, and seen by both', async () => {
    const actionId = await proposeCoChairing(world, '2099-06-30');
    const base = `/api/partnerships/${PARTNERSHIP}/actions/${actionId}`;
    expect(
      (await world.request('repA', 'POST', `${base}/follow-up`, { status: 'done', note: 'x' })).statusCode,
    ).toBe(409);
    ok(await world.request('repB', 'POST', `${base}/agree`));
    ok(
      await world.request('partner', 'POST', `${base}/follow-up`, {
        status: 'inProgress',
        note: 'First co-chaired in May',
      }),
    );
    await world.settle();
    for (const who of ['repA', 'partner'] as const) {
      const detail = ok(await world.request(who, 'GET', `/api/partnerships/${PARTNERSHIP}`));
      const action = detail.actions.find((a: { actionId: string }) => a.actionId === actionId);
      expect(action).toMatchObject({ status: 'inProgress', agreedBy: [PARTNER_ORG, 'coalition'] });
      expect(action.followUps.map((f: { note: string }) => f.note)).toEqual(['First co-chaired in May']);
    }
  });

  it('as it stood: the agreement before a later change and after it, for the coalition and the partner', async () => {
    const before = await world.t.store.head();
    const changedAgreement = {
      ...testAgreement,
      accountability: 'A check-in every other month, shared widely',
    };
    await world.as(world.system(), {
      type: 'ChangePartnershipAgreement',
      partnershipId: PARTNERSHIP,
      agreement: changedAgreement,
      checkInEveryMonths: 2,
      execution: world.execution('change-agreement'),
    });
    const after = await world.t.store.head();
    const url = `/api/partnerships/${PARTNERSHIP}/as-of`;
    for (const who of ['repB', 'partner', 'auditor'] as const) {
      const then = ok(await world.request(who, 'GET', `${url}?position=${before}`));
      expect(then.asOf.position).toBe(before);
      expect(then.agreement.text).toEqual(testAgreement);
      const now = ok(await world.request(who, 'GET', `${url}?position=${after}`));
      expect(now.agreement).toMatchObject({ text: changedAgreement, version: then.agreement.version + 1 });
      expect(now.schedule.checkInEveryMonths).toBe(2);
      // The rounds with their results, never an organization's answer.
      expect(now.rounds.length).toBeGreaterThan(0);
      expect(JSON.stringify(now)).not.toContain('"answers"');
    }
    const byTime = ok(
      await world.request('repA', 'GET', `${url}?time=${encodeURIComponent(new Date().toISOString())}`),
    );
    expect(byTime.agreement.text).toEqual(changedAgreement);
    expect((await world.request('repA', 'GET', `${url}?position=0`)).statusCode).toBe(404);
    expect(
      (await world.request('repA', 'GET', `${url}?position=1&time=2026-01-01T00:00:00Z`)).statusCode,
    ).toBe(400);
  });

  it('a partner reads only its partnerships and their learning; removed, it reads nothing at once', async () => {
    const other = world.id('partnership');
    await world.as(world.system(), {
      type: 'EstablishPartnership',
      partnershipId: other,
      title: 'With a donor',
      partners: [{ organizationId: 'org-donor', name: 'Donor D', kind: 'donor' }],
      agreement: testAgreement,
      checkInEveryMonths: 12,
      execution: world.execution('donor'),
    });
    ok(
      await world.request('repA', 'POST', `/api/partnerships/${PARTNERSHIP}/reflections`, {
        about: { kind: 'grant', reference: 'Livelihoods 2025' },
        whatWorked: 'Reports in Arabic first',
        whatShouldChange: 'Transfers on time',
        strengths: 'Trust',
        weaknesses: 'Delays',
        communityOutcomes: 'Sixty households started a business',
        language: 'en',
      }),
    );
    await world.settle();
    const listed = ok(await world.request('partner', 'GET', '/api/partnerships'));
    expect(listed.partnerships.map((p: { partnershipId: string }) => p.partnershipId)).toEqual([PARTNERSHIP]);
    expect((await world.request('partner', 'GET', `/api/partnerships/${other}`)).statusCode).toBe(404);
    const members = ok(await world.request('repB', 'GET', '/api/partnerships'));
    expect(members.partnerships.map((p: { partnershipId: string }) => p.partnershipId)).toContain(other);
    const found = ok(await world.request('partner', 'GET', '/api/reflections?q=households'));
    expect(found.reflections).toHaveLength(1);

    const partnerId = world.actor('partner').personId;
    ok(
      await world.request(
        'facilitator',
        'POST',
        `/api/partnerships/${PARTNERSHIP}/contacts/${partnerId}/remove`,
      ),
    );
    const me = ok(await world.request('partner', 'GET', '/api/auth/me'));
    expect(me.role).toBe('none');
    expect((await world.request('partner', 'GET', '/api/partnerships')).statusCode).toBe(403);
  });
});

describe('the check-in schedule', () => {
  // The server's clock, moved on by the test: months pass in a moment.
  let now = Date.now();
  let world: World;
  worldForSuite({ clock: () => new Date(now), byDecision: true, timeoutMs: 180_000 }, (created) => {
    world = created;
  });

  it('opens a round when the agreed months have passed, closes it when its time has, and the results and the verification show it', async () => {
    const rounds = async () => {
      await world.settle();
      return ok(await world.request('repA', 'GET', `/api/partnerships/${PARTNERSHIP}`)).rounds as {
        roundId: string;
        closedAt: string | null;
        results: unknown;
      }[];
    };
    await world.app.processes.checkIns.sweep();
    expect(await rounds()).toEqual([]);
    now += 92 * 86_400_000; // three months and a little more
    await world.app.processes.checkIns.sweep();
    const [opened] = await rounds();
    expect(opened).toMatchObject({ closedAt: null, results: null });
    // A second pass, or another instance, opens no other round.
    await world.app.processes.checkIns.sweep();
    expect(await rounds()).toHaveLength(1);
    ok(
      await world.request(
        'repA',
        'PUT',
        `/api/partnerships/${PARTNERSHIP}/rounds/${opened!.roundId}/answers/${ORG.A}`,
        {
          answers: answersRating(3),
          language: 'en',
        },
      ),
    );
    now += 15 * 86_400_000;
    await world.app.processes.checkIns.sweep();
    const [closed] = await rounds();
    expect(closed?.closedAt).not.toBeNull();
    expect(closed?.results).toMatchObject({ pooled: true });
    // Written by the schedule, not by a decision: the verification counts them as no decision's effects.
    const verification = ok(await world.request('auditor', 'GET', '/api/audit/verification'));
    expect(verification.effects).toMatchObject({ ok: true, problemCount: 0 });
  });
});

describe("a partnership's notifications", () => {
  // The server's clock, moved on by the test: an action falls due in a moment.
  let now = Date.parse('2031-03-01T09:00:00Z');
  let world: World;
  worldForSuite({ clock: () => new Date(now), byDecision: true, timeoutMs: 180_000 }, (created) => {
    world = created;
  });

  /** The kinds of notification a person holds for this partnership, after the processor and a timed pass. */
  const kinds = async (who: 'repA' | 'partner' | 'facilitator', tick = true) => {
    await world.settle();
    await world.app.notifications.processor.waitFor(await world.app.eventStore.head());
    if (tick) await world.app.notifications.tick();
    const list = ok(await world.request(who, 'GET', '/api/notifications'));
    return (list.notifications as { kind: string; subject: Record<string, unknown> }[])
      .filter((n) => n.subject.partnershipId === PARTNERSHIP)
      .map((n) => `${n.kind}${n.subject.actionId ? ` ${n.subject.dueDate}` : ''}`)
      .sort();
  };

  it("tells every party a round opened, the owning party an action is due, and every party once it is overdue; a partner's person hears of nothing else", async () => {
    ok(
      await world.request('facilitator', 'POST', `/api/partnerships/${PARTNERSHIP}/rounds`, {
        pooled: true,
        closesAt: new Date(now + 14 * 86_400_000).toISOString(),
      }),
    );
    const partnerAction = await proposeCoChairing(world, '2031-03-20');
    ok(
      await world.request('repB', 'POST', `/api/partnerships/${PARTNERSHIP}/actions/${partnerAction}/agree`),
    );
    // Proposed and never agreed: nobody is reminded of it.
    ok(
      await world.request('repA', 'POST', `/api/partnerships/${PARTNERSHIP}/actions`, {
        pillar: 'voiceAndVisibility',
        ownerPartyId: 'coalition',
        dueDate: '2031-03-05',
        description: 'Publish the reports in Arabic first',
      }),
    );
    expect(await kinds('partner')).toEqual(['checkInOpened']);
    expect(await kinds('repA')).toEqual(['checkInOpened']);

    // Not yet a week before the end of its due day (21 March, 0:00 UTC): nobody is told.
    now = Date.parse('2031-03-13T23:00:00Z');
    expect(await kinds('partner')).toEqual(['checkInOpened']);
    // A week before it: its owner, the partner, is told; the coalition is not.
    now = Date.parse('2031-03-14T00:00:00Z');
    expect(await kinds('partner')).toEqual(['actionDue 2031-03-20', 'checkInOpened']);
    expect(await kinds('repA')).toEqual(['checkInOpened']);
    // Said once, however many passes run.
    await world.app.notifications.tick();
    expect(await kinds('partner')).toEqual(['actionDue 2031-03-20', 'checkInOpened']);

    // The due day ended and it is not done: every party is told.
    now = Date.parse('2031-03-21T00:00:00Z');
    expect(await kinds('partner')).toEqual([
      'actionDue 2031-03-20',
      'actionOverdue 2031-03-20',
      'checkInOpened',
    ]);
    expect(await kinds('repA')).toEqual(['actionOverdue 2031-03-20', 'checkInOpened']);

    // Done: nothing more about it, even on a later day.
    ok(
      await world.request(
        'partner',
        'POST',
        `/api/partnerships/${PARTNERSHIP}/actions/${partnerAction}/follow-up`,
        {
          status: 'done',
          note: 'Co-chaired in March',
        },
      ),
    );
    now = Date.parse('2031-04-30T00:00:00Z');
    expect(await kinds('repA')).toEqual(['actionOverdue 2031-03-20', 'checkInOpened']);

    // The partner's person holds only their partnership's notifications, and may choose how they are mailed.
    const all = ok(await world.request('partner', 'GET', '/api/notifications'));
    expect(
      all.notifications.every(
        (n: { subject: { partnershipId?: string } }) => n.subject.partnershipId === PARTNERSHIP,
      ),
    ).toBe(true);
    const changed = ok(
      await world.request('partner', 'PUT', '/api/notification-settings', {
        deliveries: { actionDue: 'off' },
      }),
    );
    expect(changed.deliveries.actionDue).toBe('off');
    expect(ok(await world.request('partner', 'GET', '/api/notification-settings')).deliveries.actionDue).toBe(
      'off',
    );
    // A mail about it leads to the partnership's page.
    expect(pathOf('actionOverdue', all.notifications[0].subject)).toBe(`/partnerships/${PARTNERSHIP}`);
    // Following the coalition's proposals stays the members'.
    expect((await world.request('partner', 'GET', '/api/follows')).statusCode).toBe(403);
  });
});
