// The facilitator's reminder, a mention in a comment and the calendar address, in Debian's Chromium on a
// 360 px phone without JavaScript, against a real Concord (the demo coalition): the facilitator reminds the
// organizations without a stance (once a day: a second try is refused, in words), a reminded
// representative finds it in their list; a comment's @{personId} token reads as the person's name; the
// settings page makes a calendar address whose feed lists the open proposal, and stops it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import { expectNoHorizontalScroll, type Locale, messages } from './helpers/founding-walk.ts';
import { closeAfterAll, PHONE, signInAt } from './helpers/pages.ts';

interface Proposal {
  proposalId: string;
  title: string;
  status: string;
  revision: number;
  memberIds: string[];
  recusals: { organizationId: string }[];
  stances: { organizationId: string; revision: number }[];
}

describe.skipIf(chromiumUnavailable())('reminders, mentions and the calendar address', () => {
  let concord: RunningConcord;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    concord = await startConcord({ demo: true });
    browser = await launchChromium();
  });
  closeAfterAll(() => ({ contexts, browser, concord }));

  const demo = () => concord.demo!;
  const emailOf = (role: string, index = 0) =>
    demo().people.filter((person) => person.role === role)[index]!.email;

  async function api(email: string) {
    const signIn = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: demo().password }),
    });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const me = (await signIn.json()) as { personId: string; organizationId: string | null };
    const call = async (method: string, path: string, body?: unknown) =>
      fetch(`${concord.url}${path}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    return { ...me, call };
  }

  /** A signed-in phone without JavaScript (as on a slow link where scripts never arrive). */
  async function phone(locale: Locale, email: string): Promise<Page> {
    const context = await browser.newContext({ locale, javaScriptEnabled: false, viewport: PHONE });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await signInAt(page, concord.url, email, demo().password);
    return page;
  }

  /** An open proposal some organization has no stance on, and those organizations. */
  async function undecidedProposal() {
    const reader = await api(emailOf('auditor'));
    const { proposals } = (await (await reader.call('GET', '/api/proposals?status=open')).json()) as {
      proposals: { proposalId: string }[];
    };
    for (const { proposalId } of proposals) {
      const proposal = (await (await reader.call('GET', `/api/proposals/${proposalId}`)).json()) as Proposal;
      const undecided = proposal.memberIds.filter(
        (id) =>
          !proposal.recusals.some((recusal) => recusal.organizationId === id) &&
          !proposal.stances.some(
            (stance) => stance.organizationId === id && stance.revision === proposal.revision,
          ),
      );
      if (undecided.length > 0) return { proposal, undecided };
    }
    throw new Error('the demo has no open proposal with an undecided organization');
  }

  test('the facilitator reminds the undecided organizations once a day; a reminded representative finds it', async () => {
    const { proposal, undecided } = await undecidedProposal();
    for (const locale of ['en', 'ar'] as const) {
      const words = messages(locale);
      const page = await phone(locale, emailOf('facilitator'));
      await page.goto(`${concord.url}/proposals/${proposal.proposalId}`);
      await page.locator('details:has(form[action="?/remind"]) > summary').click();
      await page.locator('form[action="?/remind"] button[type=submit]').click();
      const answer = page.locator(
        'form[action="?/remind"] [role=status], form[action="?/remind"] [role=alert]',
      );
      // The first press sends it; the second (here in Arabic) is refused: once a day.
      await expect(answer.first().textContent()).resolves.toContain(
        locale === 'en' ? words.remind_done : words.problem_reminded_recently,
      );
      await expectNoHorizontalScroll(page, `proposal with the reminder form (${locale})`);
    }
    // A representative of an organization that was reminded finds it in their list.
    const { members } = (await (
      await (await api(emailOf('auditor'))).call('GET', '/api/members')
    ).json()) as {
      members: { organizationId: string; name: string }[];
    };
    const remindedNames = members
      .filter((member) => undecided.includes(member.organizationId))
      .map((member) => member.name);
    const reminded = demo().people.find(
      (person) => person.role === 'representative' && remindedNames.includes(String(person.organization)),
    );
    expect(reminded, 'a representative of a reminded organization').toBeDefined();
    if (reminded) {
      const representative = await api(reminded.email);
      await concord.app.notifications.processor.waitFor(await concord.app.eventStore.head());
      const { notifications } = (await (await representative.call('GET', '/api/notifications')).json()) as {
        notifications: { kind: string; subject: Record<string, unknown> }[];
      };
      expect(
        notifications.some(
          (notification) =>
            notification.kind === 'undecidedReminder' &&
            notification.subject.proposalId === proposal.proposalId,
        ),
      ).toBe(true);
      const page = await phone('en', reminded.email);
      await page.goto(`${concord.url}/notifications`);
      await expect(page.locator('main').textContent()).resolves.toContain(proposal.title);
    }
  });

  test('a mention reads as the person’s name on the proposal page', async () => {
    const { proposal } = await undecidedProposal();
    const writer = await api(emailOf('representative', 0));
    const mentionedPerson = demo().people.find(
      (person) => person.role === 'representative' && person.email !== emailOf('representative', 0),
    )!;
    const mentioned = await api(mentionedPerson.email);
    const comment = await writer.call('POST', `/api/proposals/${proposal.proposalId}/comments`, {
      text: `Could @{${mentioned.personId}} check the figures?`,
    });
    expect(comment.status).toBe(201);
    await concord.app.readSide?.waitFor(await concord.app.eventStore.head(), 30_000);
    const page = await phone('en', emailOf('auditor'));
    await page.goto(`${concord.url}/proposals/${proposal.proposalId}`);
    const text = (await page.locator('ol.comments').textContent()) ?? '';
    expect(text).toContain(`@${mentionedPerson.name} check the figures`);
    expect(text).not.toContain(mentioned.personId);
  });

  test('the settings page makes a calendar address whose feed lists open proposals, and stops it', async () => {
    const { proposal } = await undecidedProposal();
    for (const locale of ['en', 'ar'] as const) {
      const words = messages(locale);
      const page = await phone(locale, emailOf('representative', 1));
      await page.goto(`${concord.url}/account/notifications`);
      await page.locator('form[action="?/calendar#calendar"] button[type=submit]').click();
      await expect(page.locator('#calendar [role=status]').textContent()).resolves.toContain(
        words.calendar_made,
      );
      const address = await page.locator('#calendar-url').inputValue();
      await expectNoHorizontalScroll(page, `/account/notifications with a calendar address (${locale})`);
      const feed = await fetch(address.replace(/^https?:\/\/[^/]+/, concord.url));
      expect(feed.status).toBe(200);
      expect(feed.headers.get('content-type')).toContain('text/calendar');
      expect(await feed.text()).toContain('BEGIN:VEVENT');
      await page.locator('form[action="?/stopCalendar#calendar"] button[type=submit]').click();
      await expect(page.locator('#calendar [role=status]').textContent()).resolves.toContain(
        words.calendar_stopped,
      );
      const stopped = await fetch(address.replace(/^https?:\/\/[^/]+/, concord.url));
      expect(stopped.status).toBe(404);
    }
    expect(proposal.proposalId).toBeTruthy();
  });
});
