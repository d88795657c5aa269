import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import type { RouteContract, RouteId } from '@concord/contracts';
import { PILLARS } from '@concord/domain';
import { COSIGNATURE_TYPE, Ed25519Signer } from '@concord/transparency';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allEvents,
  BUDGET,
  GROUP,
  ORG,
  PARTNER_ORG,
  PARTNERSHIP,
  type PrincipalName,
  pathOf,
  principalNames,
  routes,
  testTransparency,
  World,
} from './support/world.ts';

/** A valid request for each route: the fuzzer breaks it, or sends it as someone who may not. */
interface Template {
  params: Record<string, string>;
  body?: Record<string, unknown>;
}

type Who = PrincipalName | 'noRole';
const everybody: Who[] = [...principalNames, 'noRole'];
/** People who may never change anything: whatever they send appends nothing. */
const powerless: Who[] = ['anonymous', 'auditor', 'noRole'];

/** A value of the wrong type for every field of every request body (no body field is a boolean or a float). */
const wrongTypes = [true, 1.5, [[null]], { $ne: 1 }] as const;

type Mutation =
  | { kind: 'badJson'; raw: string }
  | { kind: 'contentType'; type: string }
  | { kind: 'topLevel'; value: unknown }
  | { kind: 'wrongType'; field: number; value: unknown }
  | { kind: 'unknownField'; name: string; value: unknown }
  | { kind: 'hugeString'; field: number; length: number }
  | { kind: 'hugeBody' }
  | { kind: 'deepNesting'; depth: number }
  | { kind: 'badPathId'; param: number; value: string }
  | { kind: 'badIdempotencyKey'; key: string }
  | { kind: 'wrongMethod'; method: string }
  | { kind: 'junkQuery'; query: string }
  | { kind: 'hostileText'; leaf: number; value: string }
  | { kind: 'largeList'; list: number; length: number }
  | { kind: 'rawPathId'; param: number; raw: string }
  | { kind: 'powerless' };

/**
 * Text that no field may accept, wherever it goes: at least one lone surrogate, NUL, other control
 * character (C0 but tab and new lines, DEL, C1) or bidi override, mixed with what passes (isolates,
 * zero-width characters, Arabic, emoji). These found issue 18's 500s.
 */
const poison = fc.constantFrom(
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u0000',
  '\u0001',
  '\u0007',
  '\u001b[31m',
  '\u001b]0;title\u0007',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u202e',
  '\u202d',
);
const hostileText = fc
  .tuple(
    fc.array(
      fc.constantFrom('', 'a', ' ', '\u200b', '\u2067', '\u2069', 'مرحبا', '😀', '\u200f', 'e\u0301'),
      {
        maxLength: 4,
      },
    ),
    poison,
    fc.string({ unit: 'binary', maxLength: 8 }),
  )
  .map(([before, bad, after]) => `${before.join('')}${bad}${after}`);

const junkId = fc.oneof(
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 40 }).map((s) => `nope-${s}`),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '../../etc/passwd',
    '%00',
    ' ',
    '\u202e',
    'a\u001bb',
    '\u0085',
    'x'.repeat(201),
    "' or 1=1 --",
    `$${'{'}jndi:x}`,
  ),
  fc.string({ minLength: 201, maxLength: 2000 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('badJson' as const),
    raw: fc.oneof(
      fc.constantFrom(
        '{',
        '{"a":',
        '[1,2',
        'nul',
        '{"title": "x",}',
        "{'a':1}",
        '\u0000',
        '{"__proto__": {"x": 1}}',
        '{"constructor": {"prototype": {}}}',
      ),
      fc.string({ maxLength: 200 }).filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
    ),
  }),
  fc.record({
    kind: fc.constant('contentType' as const),
    type: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'image/png',
    ),
  }),
  fc.record({
    kind: fc.constant('topLevel' as const),
    value: fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.string(),
      fc.array(fc.anything(), { maxLength: 5 }),
      fc.boolean(),
    ),
  }),
  fc.record({
    kind: fc.constant('wrongType' as const),
    field: fc.nat(),
    value: fc.constantFrom(...wrongTypes),
  }),
  fc.record({
    kind: fc.constant('unknownField' as const),
    name: fc.oneof(
      fc.constantFrom(
        'isAdmin',
        'actor',
        'context',
        'now',
        'type',
        'organizationId',
        '__proto__',
        'constructor',
      ),
      fc.string({ minLength: 1, maxLength: 30 }),
    ),
    value: fc.anything({ maxDepth: 2 }),
  }),
  fc.record({
    kind: fc.constant('hugeString' as const),
    field: fc.nat(),
    length: fc.integer({ min: 20_001, max: 120_000 }),
  }),
  fc.constant({ kind: 'hugeBody' as const }),
  fc.record({ kind: fc.constant('deepNesting' as const), depth: fc.integer({ min: 100, max: 20_000 }) }),
  fc.record({ kind: fc.constant('badPathId' as const), param: fc.nat(), value: junkId }),
  fc.record({
    kind: fc.constant('badIdempotencyKey' as const),
    key: fc.oneof(
      fc.constantFrom('has space', 'tab\there', ''),
      fc.string({ minLength: 201, maxLength: 400 }).map((s) => `k${s.replace(/[^\x21-\x7e]/g, 'x')}`),
    ),
  }),
  fc.record({
    kind: fc.constant('wrongMethod' as const),
    method: fc.constantFrom('PATCH', 'OPTIONS', 'PUT', 'DELETE', 'POST', 'GET'),
  }),
  fc.record({
    kind: fc.constant('junkQuery' as const),
    query: fc.oneof(
      fc.constantFrom(
        'a[b]=1&a[c]=2',
        '__proto__[x]=1',
        'limit=-1',
        'limit=100000',
        'after=abc',
        'after=1e309',
        'position=-5',
        'position=1&time=2025-01-01T00:00:00Z',
        'time=yesterday',
        'from=2025-13-45T99:00:00Z',
        'status=nope',
        'type=Robert%27);DROP%20TABLE%20events;--',
        '%%%',
        'x=%E0%A4%A',
        'type=%ED%A0%80',
        'status=%00',
        'after=%E2%80%AE1',
        'limit=%1B%5B31m',
      ),
      fc.string({ maxLength: 300 }).map(encodeURIComponent),
    ),
  }),
  fc.record({ kind: fc.constant('hostileText' as const), leaf: fc.nat(), value: hostileText }),
  fc.record({
    kind: fc.constant('largeList' as const),
    list: fc.nat(),
    length: fc.integer({ min: 2_001, max: 150_000 }),
  }),
  fc.record({
    kind: fc.constant('rawPathId' as const),
    param: fc.nat(),
    // Percent-encoded bytes: a lone surrogate in UTF-8 (WTF-8), NUL, ESC, RLO, overlong and stray bytes.
    raw: fc.constantFrom(
      '%ED%A0%80',
      '%ED%B0%80',
      '%00',
      'a%00b',
      '%1B%5B31m',
      '%E2%80%AE',
      '%C0%80',
      '%FF',
      '%',
    ),
  }),
  fc.constant({ kind: 'powerless' as const }),
);

type Path = (string | number)[];

/** Paths of the values in `value` (deep) that `want` picks. */
function pathsIn(value: unknown, want: (candidate: unknown) => boolean, path: Path = [], out: Path[] = []) {
  if (path.length > 0 && want(value)) out.push(path);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) pathsIn(item, want, [...path, index], out);
  } else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) pathsIn(item, want, [...path, key], out);
  return out;
}

/** A copy of `value` with the value at `path` replaced. */
function replaceAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const record = value as Record<string, unknown>;
  return { ...record, [head as string]: replaceAt(record[head as string], rest, replacement) };
}

interface Built {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  who: Who;
}

/** Someone who may not change anything through this route (signing out is left to the anonymous). */
function powerlessFor(route: RouteContract, index: number): Who {
  return route.access === 'session' && route.method !== 'GET' ? 'anonymous' : pick(powerless, index)!;
}

function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

/**
 * Turns a template into a hostile request: every mutation makes the request invalid, or sends a valid
 * one as someone who may not change anything. None of them may append an event or answer 5xx.
 */
function build(route: RouteContract, template: Template, m: Mutation, whoIndex: number): Built | null {
  let who: Who = pick(everybody, whoIndex)!;
  const params = { ...template.params };
  let body: unknown = template.body;
  let payload: string | undefined;
  let method: string = route.method;
  let query = '';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const fields = Object.keys(template.body ?? {});
  switch (m.kind) {
    case 'badJson':
      if (!route.body) return null;
      payload = m.raw;
      break;
    case 'contentType':
      if (!route.body) return null;
      headers['content-type'] = m.type;
      // A route whose body is optional has no template body: `{}` still carries the wrong type.
      payload = JSON.stringify(body ?? {});
      break;
    case 'topLevel':
      if (!route.body) return null;
      body = m.value;
      break;
    case 'wrongType': {
      const field = pick(fields, m.field);
      if (!field) return null;
      body = { ...template.body, [field]: m.value };
      break;
    }
    case 'unknownField': {
      if (!route.body || fields.includes(m.name)) return null;
      payload = `${JSON.stringify(template.body ?? {}).slice(0, -1)}${fields.length ? ',' : ''}${JSON.stringify(m.name)}:${JSON.stringify(m.value ?? null)}}`;
      break;
    }
    case 'hugeString': {
      const field = pick(fields, m.field);
      if (!field) return null;
      body = { ...template.body, [field]: 'x'.repeat(m.length) };
      break;
    }
    case 'hugeBody':
      if (!route.body) return null;
      payload = JSON.stringify({ ...template.body, padding: 'y'.repeat(1_100_000) });
      break;
    case 'deepNesting':
      if (!route.body) return null;
      payload = `{"payload":${'['.repeat(m.depth)}${']'.repeat(m.depth)}}`;
      break;
    case 'badPathId': {
      const name = pick(Object.keys(params), m.param);
      if (!name || (route.access === 'public' && !route.command)) return null;
      params[name] = m.value;
      break;
    }
    case 'badIdempotencyKey':
      if (!route.idempotent) return null;
      headers['idempotency-key'] = m.key;
      break;
    case 'wrongMethod':
      if (m.method === route.method || !route.command) return null;
      method = m.method;
      who = pick(powerless, whoIndex)!;
      break;
    case 'hostileText': {
      // Any string in the body, however deep (titles, names, texts inside a proposal's payload).
      const leaf = pick(
        pathsIn(template.body, (value) => typeof value === 'string'),
        m.leaf,
      );
      if (!leaf) return null;
      body = replaceAt(template.body, leaf, m.value);
      break;
    }
    case 'largeList': {
      // A long list of valid-looking items that fails only at its end: the worst case for a validator.
      const list = pick(pathsIn(template.body, Array.isArray), m.list);
      if (!list) return null;
      const items = list.reduce<unknown>(
        (at, key) => (at as Record<string, unknown>)[key],
        template.body,
      ) as unknown[];
      body = replaceAt(template.body, list, [...Array<unknown>(m.length).fill(items[0] ?? 'x'), null]);
      break;
    }
    case 'rawPathId': {
      const name = pick(Object.keys(params), m.param);
      if (!name || (route.access === 'public' && !route.command)) return null;
      params[name] = `\u0000raw:${m.raw}`;
      break;
    }
    case 'junkQuery':
      query = m.query;
      if (route.method !== 'GET') who = powerlessFor(route, whoIndex);
      break;
    case 'powerless':
      who = powerlessFor(route, whoIndex);
      break;
  }
  // Public routes that change something (sign-in, links) carry a wrong password or an unknown token: harmless.
  if (payload === undefined && body !== undefined && route.body) payload = JSON.stringify(body);
  // A raw id goes into the path as it is (already percent-encoded: encodeURIComponent refuses a lone surrogate).
  const url =
    pathOf(route.path, params).replace(/%00raw%3A([^/]*)/, (_, raw: string) => decodeURIComponent(raw)) +
    (query ? `?${query}` : '');
  // An empty raw body (a badJson case) is still sent as JSON: the empty JSON body is a 400 of its own.
  if (payload === undefined) delete headers['content-type'];
  return { method, url, headers, payload, who };
}

describe('fuzz: malformed and hostile requests across all routes', () => {
  let world: World;
  const templates = {} as Record<RouteId, Template>;
  const cookies = new Map<Who, Record<string, string>>();

  beforeAll(async () => {
    world = await World.create({ transparency: testTransparency() });
    const proposalId = await world.draft('repA');
    const openId = await world.openBudgetProposal('repA');
    const questionId = await world.budgetQuestion();
    const expenseId = await world.expense();
    const { grantCallId, applicationId } = await world.grantApplication();
    const proposal = {
      title: 'T',
      body: 'B',
      payload: { kind: 'charterChange', rules: null, sharedValues: ['x'], adoptSops: [], retireSopIds: [] },
    };
    const token = 'a'.repeat(43);
    // A's witness key, registered; the checkpoint it cosigns; and a key not yet registered.
    const witness = Ed25519Signer.generate('witness.fuzz-a', COSIGNATURE_TYPE);
    await world.as('repA', {
      type: 'RegisterWitnessKey',
      organizationId: ORG.A,
      witnessKey: witness.verifierKey,
    });
    const signed = await world.app.witnessedLog!.checkpointNow();
    const cosignature = witness.cosignatureLine(
      signed.note.slice(0, signed.note.lastIndexOf('\n\n') + 1),
      1_700_000_000,
    );
    const freshKey = Ed25519Signer.generate('witness.fuzz-new', COSIGNATURE_TYPE).verifierKey;
    // The partnership's open round, and an action the partner proposed.
    const roundId = world.id('round');
    await world.as('facilitator', {
      type: 'OpenCheckInRound',
      partnershipId: PARTNERSHIP,
      roundId,
      closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      pooled: true,
    });
    const actionId = world.id('action');
    await world.as('partner', {
      type: 'ProposePartnershipAction',
      partnershipId: PARTNERSHIP,
      actionId,
      roundId: null,
      pillar: 'coLeadership',
      ownerPartyId: PARTNER_ORG,
      dueDate: '2099-01-01',
      description: 'Share the budget',
    });
    const pillarAnswers = PILLARS.map((pillar) => ({ pillar, rating: 3, comment: '' }));
    const valid: Record<RouteId, Template> = {
      health: { params: {} },
      healthLive: { params: {} },
      healthReady: { params: {} },
      metrics: { params: {} },
      openapi: { params: {} },
      backup: { params: {} },
      setup: {
        params: {},
        body: { token, email: 'first@example.org', name: 'First', password: 'a long password' },
      },
      signIn: { params: {}, body: { email: 'repa@example.org', password: 'wrong password' } },
      signOut: { params: {} },
      me: { params: {} },
      sessions: { params: {} },
      revokeSession: { params: { sessionId: randomUUID() } },
      requestPasswordReset: { params: {}, body: { email: 'nobody@example.org' } },
      completePasswordReset: { params: {}, body: { token, password: 'a long password' } },
      inviteStaff: { params: {}, body: { role: 'auditor', email: 'aud2@example.org', name: 'Auditor' } },
      acceptInvitation: { params: {}, body: { token, password: 'a long password' } },
      foundCoalition: { params: {}, body: { coalitionName: 'C', foundingMembers: [{ name: 'X' }] } },
      inviteRepresentative: {
        params: { organizationId: ORG.A },
        body: { email: 'new@example.org', name: 'New' },
      },
      removeRepresentative: {
        params: { organizationId: ORG.A, personId: world.people.get('repA')!.personId },
        // The body is optional: a template with one makes every mutation of it a malformed request.
        body: { reason: 'Leaving' },
      },
      forgetPerson: { params: { personId: world.people.get('repA')!.personId }, body: {} },
      confirmRepresentative: {
        params: { organizationId: ORG.A, personId: world.people.get('repA')!.personId },
        body: { reason: null },
      },
      updateMemberProfile: {
        params: { organizationId: ORG.A },
        body: {
          availability: 'x',
          interests: ['a'],
          goals: ['b'],
          timeCommitmentHoursPerMonth: 3,
          languages: ['en'],
        },
      },
      joinWorkingGroup: { params: { groupId: GROUP }, body: { hoursPerMonth: 3 } },
      leaveWorkingGroup: { params: { groupId: GROUP, organizationId: ORG.W }, body: { reason: null } },
      commitTime: { params: { groupId: GROUP, organizationId: ORG.W }, body: { hoursPerMonth: 5 } },
      raiseBudgetQuestion: { params: { budgetId: BUDGET }, body: { lineId: 'ops', text: 'What?' } },
      answerBudgetQuestion: { params: { budgetId: BUDGET, questionId }, body: { answer: 'This.' } },
      submitExpense: {
        params: { budgetId: BUDGET },
        body: { lineId: 'ops', amount: 1_000, description: 'Taxi', spentOn: '2025-03-02' },
      },
      approveExpense: { params: { budgetId: BUDGET, expenseId } },
      rejectExpense: { params: { budgetId: BUDGET, expenseId }, body: { reason: 'No receipt' } },
      withdrawExpense: { params: { budgetId: BUDGET, expenseId }, body: { reason: null } },
      markExpensePaid: { params: { budgetId: BUDGET, expenseId }, body: { reference: 'T-1' } },
      publishGrantCall: {
        params: {},
        body: {
          title: 'R',
          description: 'D',
          criteria: ['c'],
          budgetId: BUDGET,
          lineId: 'grants',
          deadline: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      submitGrantApplication: {
        params: { grantCallId },
        body: { applicantName: 'Us', amountRequested: 10, summary: 'S' },
      },
      reviewGrantApplication: {
        params: { grantCallId, applicationId },
        body: { recommendation: 'fund', assessment: 'Good' },
      },
      draftProposal: { params: {}, body: proposal },
      amendProposal: { params: { proposalId }, body: proposal },
      openProposal: { params: { proposalId }, body: { urgentReason: null } },
      commentOnProposal: { params: { proposalId: openId }, body: { text: 'Hi' } },
      takeStance: { params: { proposalId: openId }, body: { stance: 'consent', reason: null } },
      addTranslation: {
        params: { proposalId: openId },
        body: {
          item: { kind: 'proposal' },
          version: 1,
          sourceLanguage: 'en',
          language: 'es',
          title: 'Título',
          text: 'Texto',
        },
      },
      withdrawProposal: { params: { proposalId }, body: { reason: 'r' } },
      scheduleDecision: {
        params: { proposalId: openId },
        body: { scheduledFor: new Date(Date.now() + 7_200_000).toISOString() },
      },
      remindUndecided: { params: { proposalId: openId }, body: {} },
      decideProposal: { params: { proposalId: openId }, body: {} },
      status: { params: {} },
      charter: { params: {} },
      members: { params: {} },
      member: { params: { organizationId: ORG.A } },
      workingGroups: { params: {} },
      workingGroup: { params: { groupId: GROUP } },
      budgets: { params: {} },
      budget: { params: { budgetId: BUDGET } },
      lineHistory: { params: { budgetId: BUDGET, lineId: 'ops' } },
      budgetCsv: { params: { budgetId: BUDGET } },
      questions: { params: { budgetId: BUDGET } },
      expenses: { params: { budgetId: BUDGET } },
      expense: { params: { budgetId: BUDGET, expenseId } },
      proposals: { params: {} },
      proposal: { params: { proposalId: openId } },
      grantCalls: { params: {} },
      grantCall: { params: { grantCallId } },
      auditTrail: { params: {} },
      people: { params: {} },
      verification: { params: {} },
      startReplay: { params: {} },
      currentReplay: { params: {} },
      exportEvents: { params: {} },
      budgetAsOf: { params: { budgetId: BUDGET } },
      membersAsOf: { params: {} },
      workingGroupAsOf: { params: { groupId: GROUP } },
      proposalAsOf: { params: { proposalId: openId } },
      logState: { params: {} },
      logCheckpoint: { params: {} },
      logInclusionProof: { params: {} },
      logConsistencyProof: { params: {} },
      requestCheckpoint: { params: {} },
      postCosignature: { params: {}, body: { size: signed.size, cosignature } },
      registerWitnessKey: { params: { organizationId: ORG.A }, body: { witnessKey: freshKey } },
      revokeWitnessKey: {
        params: { organizationId: ORG.A },
        body: { witnessKey: witness.verifierKey, reason: 'r' },
      },
      live: { params: {} },
      notifications: { params: {} },
      markNotificationsRead: { params: {}, body: { notificationIds: ['1', '2'] } },
      follows: { params: {} },
      follow: { params: { subjectType: 'proposal', subjectId: openId } },
      unfollow: { params: { subjectType: 'proposal', subjectId: openId } },
      notificationSettings: { params: {} },
      changeNotificationSettings: {
        params: {},
        body: {
          language: 'fr',
          timeZone: 'America/Bogota',
          digestHour: 18,
          deliveries: { proposalOpened: 'digest' },
        },
      },
      unsubscribe: { params: {} },
      mailStatus: { params: {} },
      calendarLink: { params: {} },
      createCalendarLink: { params: {} },
      revokeCalendarLink: { params: {} },
      calendarFeed: { params: { token: 'A'.repeat(43) } },
      uploadAttachment: { params: {} },
      downloadAttachment: { params: { sha256: 'a'.repeat(64) } },
      partnerships: { params: {} },
      partnership: { params: { partnershipId: PARTNERSHIP } },
      partnershipAsOf: { params: { partnershipId: PARTNERSHIP } },
      checkInAnswers: { params: { partnershipId: PARTNERSHIP, roundId } },
      reflections: { params: {} },
      invitePartnerContact: {
        params: { partnershipId: PARTNERSHIP },
        body: { organizationId: PARTNER_ORG, email: 'contact@example.org', name: 'Contact' },
      },
      removePartnerContact: { params: { partnershipId: PARTNERSHIP, personId: 'nobody' } },
      openCheckInRound: {
        params: { partnershipId: PARTNERSHIP },
        body: { closesAt: new Date(Date.now() + 86_400_000).toISOString(), pooled: true },
      },
      answerCheckIn: {
        params: { partnershipId: PARTNERSHIP, roundId, organizationId: ORG.A },
        body: { answers: pillarAnswers, evidence: [], language: 'en' },
      },
      closeCheckInRound: { params: { partnershipId: PARTNERSHIP, roundId } },
      proposePartnershipAction: {
        params: { partnershipId: PARTNERSHIP },
        body: {
          roundId: null,
          pillar: 'power',
          ownerPartyId: 'coalition',
          dueDate: '2099-01-01',
          description: 'D',
        },
      },
      agreeToPartnershipAction: { params: { partnershipId: PARTNERSHIP, actionId } },
      followUpPartnershipAction: {
        params: { partnershipId: PARTNERSHIP, actionId },
        body: { status: 'inProgress', note: 'Begun' },
      },
      recordReflection: {
        params: { partnershipId: PARTNERSHIP },
        body: {
          about: { kind: 'partnership', reference: null },
          whatWorked: 'W',
          whatShouldChange: 'C',
          strengths: 'S',
          weaknesses: 'K',
          communityOutcomes: 'O',
          language: 'en',
        },
      },
    };
    Object.assign(templates, valid);
    for (const who of everybody) {
      if (who === 'noRole') {
        const { personId } = await world.person('Nobody');
        const { token: session } = await world.app.auth.createSession(personId, 'fuzz');
        cookies.set(who, { concord_session: session });
      } else cookies.set(who, await world.cookie(who));
    }
    await world.settle();
  }, 180_000);
  afterAll(() => world?.close());

  it('answers 10,000 of them with 4xx problems (or harmless 2xx reads), never 5xx, appending nothing', async () => {
    const before = await allEvents(world.t.store);
    const ids = Object.keys(routes) as RouteId[];
    const statuses = new Map<number, number>();
    /** Changes that were answered 2xx (sign-in with a wrong password is 401; these should all be harmless). */
    const accepted: string[] = [];
    let sent = 0;
    // How long each request held the event loop: the histogram is reset before each one and its max read
    // after (a timer every millisecond; its lateness is the time the loop was held). Reported, not asserted:
    // the figure includes this process's own work (PGlite runs in it) and the neighbours on a shared machine.
    const loop = monitorEventLoopDelay({ resolution: 1 });
    // And the CPU time the process spent on each request: on a loaded machine the loop can be late while
    // the process is not even running, which the CPU time tells apart.
    const held: { ms: number; cpuMs: number; what: string; from: number; to: number }[] = [];
    // Garbage collections, to tell a request's own work from a pause the heap took while it ran.
    const collections: { start: number; end: number }[] = [];
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        collections.push({ start: entry.startTime, end: entry.startTime + entry.duration });
    });
    gc.observe({ entryTypes: ['gc'] });
    loop.enable();
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutation, fc.nat(), async (routeIndex, m, whoIndex) => {
        const id = ids[routeIndex % ids.length]!;
        const route = routes[id] as RouteContract;
        let kind: Mutation['kind'] = m.kind;
        let request = build(route, templates[id], m, whoIndex);
        if (!request) {
          kind = 'badJson';
          request = build(route, templates[id], { kind: 'badJson', raw: '{"' }, whoIndex);
        }
        if (!request) {
          kind = 'powerless';
          request = build(route, templates[id], { kind: 'powerless' }, whoIndex);
        }
        if (!request) throw new Error(`no hostile request for ${id}`);
        const from = performance.now();
        const cpu = process.cpuUsage();
        loop.reset();
        const response = await world.app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          cookies: cookies.get(request.who) ?? {},
          ...(request.payload === undefined ? {} : { payload: request.payload }),
        });
        const used = process.cpuUsage(cpu);
        held.push({
          ms: loop.max / 1e6,
          cpuMs: (used.user + used.system) / 1000,
          what: `${request.method} ${route.path} (${kind}) → ${response.statusCode}`,
          from,
          to: performance.now(),
        });
        sent++;
        if (request.method !== 'GET' && response.statusCode < 300)
          accepted.push(
            `${response.statusCode} ${request.method} ${request.url.slice(0, 120)} as ${request.who} (${kind}): ${(request.payload ?? '').slice(0, 200)}`,
          );
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(
          response.statusCode,
          `${request.method} ${request.url.slice(0, 200)} as ${request.who} (${m.kind}): ${response.body.slice(0, 300)}`,
        ).toBeLessThan(500);
        if (response.statusCode >= 400)
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 10_000, seed: Number(process.env.FUZZ_SEED ?? 20_250_301) },
    );
    loop.disable();
    gc.disconnect();
    await world.settle();
    const after = await allEvents(world.t.store);
    console.log(
      `fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    const sorted = held.map((entry) => entry.ms).sort((a, b) => a - b);
    const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
    const gcDuring = (entry: { from: number; to: number }) =>
      collections.reduce(
        (sum, pause) => sum + Math.max(0, Math.min(pause.end, entry.to) - Math.max(pause.start, entry.from)),
        0,
      );
    const worst = [...held].sort((a, b) => b.ms - a.ms).slice(0, 5);
    const over = held.filter((entry) => entry.ms > 50);
    console.log(
      `fuzz event loop: per-request max delay p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, ` +
        `max ${(sorted.at(-1) ?? 0).toFixed(1)} ms; ${over.length} of ${held.length} over 50 ms ` +
        `(${over.filter((entry) => entry.ms - gcDuring(entry) > 50).length} still over 50 ms without garbage collection); ` +
        `worst: ${worst.map((entry) => `${entry.ms.toFixed(1)} ms (GC ${gcDuring(entry).toFixed(1)} ms, CPU ${entry.cpuMs.toFixed(1)} ms) ${entry.what}`).join('; ')}`,
    );
    const cpuSorted = held.map((entry) => entry.cpuMs).sort((a, b) => a - b);
    const mostCpu = [...held].sort((a, b) => b.cpuMs - a.cpuMs)[0];
    console.log(
      `fuzz CPU per request: p99 ${(cpuSorted[Math.floor(0.99 * cpuSorted.length)] ?? 0).toFixed(1)} ms, ` +
        `max ${(cpuSorted.at(-1) ?? 0).toFixed(1)} ms (${mostCpu?.what}); ` +
        `${held.filter((entry) => entry.cpuMs > 50).length} of ${held.length} over 50 ms`,
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    // Named, so a failure says which command got through (and which requests were accepted).
    expect(
      after
        .slice(before.length)
        .map((event) => `${event.type} ${JSON.stringify(event.metadata).slice(0, 300)}`),
      `accepted changes:\n${accepted.join('\n')}`,
    ).toEqual([]);
  }, 600_000);
});
