// The founding walk in English with JavaScript, on a server that sends no mail (the embedded default),
// then equal voice enforced: a person the facilitator invites, who accepts, takes part only once their
// organization confirms them. Against the real single process (API + portal, PGlite), in Chromium.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumUnavailable } from './helpers/chromium.ts';
import {
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  fragments,
  messages,
  openBrowser,
  password,
  shot,
  textOf,
  walkFixture,
  walkTheFounding,
} from './helpers/founding-walk.ts';

const t = messages('en');

describe.skipIf(chromiumUnavailable())('the founding walk (English, JavaScript, mail off)', () => {
  const options = walkFixture('founding-en', {
    locale: 'en',
    browserLocale: 'en-US',
    javaScript: true,
    coalition: 'Coalition of the Three Rivers',
    facilitator: { name: 'Amina Yusuf', email: 'amina@secretariat.example' },
    representatives: [
      { name: 'Rana Saleh', email: 'rana@cedar.example', organization: 'Cedar Collective' },
      { name: 'Omar Haddad', email: 'omar@nile.example', organization: 'Nile Bridges' },
      { name: 'Camila Rojas', email: 'camila@frontera.example', organization: 'Frontera Viva' },
    ],
  });

  test('a facilitator founds three organizations; they accept, consent and decide their first budget early', async () => {
    const walked = await walkTheFounding(options);
    const rana = walked.pages[0] as Page;

    // ---- Equal voice: the facilitator invites one more person to Cedar Collective; mail is off, so
    // the page hands over the link and says so.
    const { facilitator } = walked;
    await facilitator.goto(`${options.concord.url}/members`);
    await facilitator.locator('.card a', { hasText: 'Cedar Collective' }).click();
    await facilitator.waitForURL(/\/members\/[0-9a-f-]{36}$/);
    const cedarUrl = facilitator.url();
    await facilitator.locator('#invite-name').fill('Dana Khoury');
    await facilitator.locator('#invite-email').fill('dana@cedar.example');
    await facilitator.locator('#invite-reason').fill('Rana asked for a second person for the grants round.');
    await facilitator.locator('form[action="?/invite"] button[type=submit]').click();
    const handover = facilitator.locator('.handover[data-invitation="dana@cedar.example"]');
    await handover.waitFor();
    const said = (await handover.locator('p').first().textContent())?.replace(/[\u2066-\u2069]/g, '');
    expect(said).toMatch(
      /^This server does not send mail: give this link to Dana Khoury yourself; it works once, until .+\.$/,
    );
    const danaLink = await handover.locator('input.handover-link').inputValue();
    await shot(facilitator, 'en-6-member-link-handover');
    await expectNoHorizontalScroll(facilitator, 'member page with a link to hand over');

    // ---- Rana drafts a charter proposal from the checklist, so that there is something to take a stance on.
    await rana.goto(`${options.concord.url}/proposals/new/charter-change?founding=1`);
    await expect(rana.locator('#proposal-title').inputValue()).resolves.toBe(t.founding_charter_title);
    await expect(rana.locator('input[name=decideWhenAllHaveSpoken]').isChecked()).resolves.toBe(true);
    await rana.locator('form.stacked > button[type=submit]').last().click();
    await rana.waitForURL(/\/proposals\/[0-9a-f-]{36}$/);
    const charterProposal = rana.url();
    await rana.locator('.tag.status-open').waitFor();

    // ---- Dana accepts: signed in, but with no role until Cedar Collective confirms her.
    const { page: dana, context: danaContext } = await openBrowser(options, 'Dana');
    await dana.goto(danaLink);
    await dana.locator('#password').fill(password);
    await dana.locator('#confirm').fill(password);
    await dana.locator('form.stacked button[type=submit]').click();
    await dana.waitForURL(`${options.concord.url}/`);
    await expect(textOf(dana, '#no-role-title')).resolves.toBe(t.no_role_title);
    await expectNoHorizontalScroll(dana, 'the no-role notice');
    await shot(dana, 'en-7-no-role-notice');
    // The proposal is not hers to answer: the portal sends her back to the notice…
    await dana.goto(charterProposal);
    await dana.waitForURL(`${options.concord.url}/`);
    await expect(dana.locator('form[action^="?/stance"]').count()).resolves.toBe(0);
    // …and the API refuses her stance outright.
    const cookie = (await danaContext.cookies()).find((c) => c.name === 'concord_session');
    const attempt = await fetch(`${charterProposal.replace('/proposals/', '/api/proposals/')}/stances`, {
      method: 'POST',
      headers: { cookie: `concord_session=${cookie?.value}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stance: 'consent' }),
    });
    expect(attempt.status).toBe(403);
    await attempt.body?.cancel();

    // ---- Rana's dashboard says Dana waits for Cedar Collective; on its page she confirms her, with a reason.
    await rana.goto(`${options.concord.url}/`);
    await rana.locator('[data-live="to-confirm"]', { hasText: 'Dana Khoury' }).waitFor();
    await rana.locator('[data-live="to-confirm"] a').click();
    await rana.waitForURL(cedarUrl);
    const pending = rana.locator('li[data-status="awaitingConfirmation"]', { hasText: 'Dana Khoury' });
    await pending.waitFor();
    await expect(rana.locator('.notice', { hasText: 'A facilitator invited' }).count()).resolves.toBe(1);
    await shot(rana, 'en-8-member-pending-confirmation');
    await pending.locator('textarea[name=reason]').fill('We asked for Dana; she follows the grants.');
    await pending.locator('form.rep-decision button[type=submit]').first().click();
    await rana.locator('.success', { hasText: 'Dana Khoury now represents your organization.' }).waitFor();
    await rana.locator('li[data-status="active"]', { hasText: 'Dana Khoury' }).waitFor();

    // ---- Now Dana takes part: her dashboard is the real one and she can take Cedar Collective's stance.
    await dana.goto(`${options.concord.url}/`);
    await expect(dana.locator('#no-role-title').count()).resolves.toBe(0);
    await expect(textOf(dana, '.account')).resolves.toContain('Cedar Collective');
    await dana.goto(charterProposal);
    await dana.locator('input[name=stance][value=consent]').check();
    await dana.locator('form[action^="?/stance"] button[type=submit]').click();
    await dana.locator('form[action^="?/stance"] .success').waitFor();

    // The trail records the confirmation, by Rana, with her reason.
    await facilitator.goto(`${options.concord.url}/audit?type=RepresentativeConfirmed`);
    await expect(textOf(facilitator, 'ol.trail')).resolves.toContain(t.event_representative_confirmed);

    // ---- Anyone can check that replaying the events gives exactly the views shown: the page follows
    // the check while it runs, then says it is identical.
    await facilitator.locator('form[action="?/replay"] button[type=submit]').click();
    await facilitator.locator('.replay-state[data-state="identical"]').waitFor({ timeout: 120_000 });
    await expect(textOf(facilitator, '.replay-state')).resolves.toContain('Identical');
    await shot(facilitator, 'en-9-replay-identical');

    // ---- A working group is created that takes over the Translation line in the same decision.
    await rana.goto(`${options.concord.url}/proposals/new/working-group?change=create&founding=1`);
    await expect(rana.locator('input[name=takeOverLines]').isChecked()).resolves.toBe(true);
    await rana.locator('#group-name').fill('Language justice');
    await rana.locator('#group-purpose').fill('Interpretation and translation for every member.');
    await rana.locator('#mandate-summary').fill('Decides on translation spending within its limit.');
    await rana.locator('label.choice', { hasText: 'Translation' }).locator('input[name=lines]').check();
    await rana.locator('#max-amount').fill('1000');
    await rana.locator('form.stacked > button[type=submit]').last().click();
    await rana.waitForURL(/\/proposals\/[0-9a-f-]{36}$/);
    await rana.locator('.tag.status-open').waitFor();
    await expect(textOf(rana, '.payload')).resolves.toContain(t.payload_group_takes_over);

    // ---- An organization with nobody left to speak for it: Camila stops representing Frontera Viva,
    // a facilitator invites Luis, and only a coalition decision can appoint him.
    const camila = walked.pages[2] as Page;
    await camila.goto(`${options.concord.url}/members`);
    await camila.locator('.card a', { hasText: 'Frontera Viva' }).click();
    await camila.waitForURL(/\/members\/[0-9a-f-]{36}$/);
    const fronteraUrl = camila.url();
    await camila.locator('summary', { hasText: t.representative_remove_me }).click();
    await camila.locator('details[open] form[action="?/remove"] button[type=submit]').click();
    await camila.waitForURL(`${options.concord.url}/`);
    await camila.locator('#no-role-title').waitFor();

    await facilitator.goto(fronteraUrl);
    await facilitator.locator('.notice', { hasText: 'has no representative left' }).waitFor();
    await facilitator.locator('#invite-name').fill('Luis Gómez');
    await facilitator.locator('#invite-email').fill('luis@frontera.example');
    await facilitator.locator('form[action="?/invite"] button[type=submit]').click();
    const luisLink = await facilitator
      .locator('.handover[data-invitation="luis@frontera.example"] input.handover-link')
      .inputValue();
    const { page: luis } = await openBrowser(options, 'Luis');
    await luis.goto(luisLink);
    await luis.locator('#password').fill(password);
    await luis.locator('#confirm').fill(password);
    await luis.locator('form.stacked button[type=submit]').click();
    await luis.waitForURL(`${options.concord.url}/`);
    await luis.locator('#no-role-title').waitFor();

    await facilitator.goto(fronteraUrl);
    await facilitator.locator('a', { hasText: t.invite_unrepresented_link }).click();
    await facilitator.waitForURL(/\/proposals\/new\/membership-change\?action=appointRepresentative/);
    await expect(
      facilitator.locator('input[name=action][value=appointRepresentative]').isChecked(),
    ).resolves.toBe(true);
    await expect(facilitator.locator('#appointee option:checked').textContent()).resolves.toContain(
      'Luis Gómez',
    );
    await facilitator.locator('#proposal-title').fill('Appoint Luis for Frontera Viva');
    await facilitator.locator('#proposal-body').fill('Frontera Viva has nobody left to speak for it.');
    await facilitator.locator('form.stacked > button[type=submit]').last().click();
    await facilitator.waitForURL(/\/proposals\/[0-9a-f-]{36}$/);
    await facilitator.locator('.tag.status-open').waitFor();
    await expect(textOf(facilitator, '.payload')).resolves.toContain(
      'Names Luis Gómez as the representative of Frontera Viva, which has none left.',
    );

    // ---- The founding pages and the new forms pass axe (English).
    const { page: checker } = await openBrowser(options, 'axe');
    await checker.goto(`${options.concord.url}/sign-in`);
    await checker.locator('#email').fill('rana@cedar.example');
    await checker.locator('#password').fill(password);
    await checker.locator('form.stacked button[type=submit]').click();
    await checker.waitForURL(`${options.concord.url}/`);
    for (const path of [
      '/founding',
      new URL(cedarUrl).pathname,
      '/proposals/new/membership-change',
      '/proposals/new/budget-change',
      '/proposals/new/working-group?change=create&founding=1',
      new URL(charterProposal).pathname,
      `/proposals/${walked.proposalId}`,
      '/audit',
    ]) {
      const response = await checker.goto(`${options.concord.url}${path}`);
      expect(response?.status(), path).toBe(200);
      await expectNoAxeViolations(checker, path);
      await expectNoHorizontalScroll(checker, path);
    }
    for (const part of fragments(t.founding_represented as string)) {
      await checker.goto(`${options.concord.url}/founding`);
      await expect(textOf(checker, '[data-live="founding-represented"]')).resolves.toContain(part);
    }

    expect(options.problems).toEqual([]);
    // A long walk on a shared, busy machine: every step waits for what people see, not for a clock.
  }, 600_000);
});
