import { randomUUID } from 'node:crypto';
import type { Agreement, ProposalPayload } from '@concord/domain';
import { m } from '$lib/paraglide/messages.js';
import { read, readOptional } from '$lib/server/api';
import { Posted } from '$lib/server/forms';
import { proposeWhenComplete } from '$lib/server/proposals';
import type { Actions, PageServerLoad } from './$types';

const partnerKinds = ['ingo', 'donor', 'hostCommunity', 'grantee', 'other'] as const;
const agreementFields = [
  'expectations',
  'sharedValues',
  'roles',
  'accountability',
  'channels',
  'rhythm',
] as const;

/** The partnerships that exist (an agreement change names one), and the one asked for, to start from. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  const [{ partnerships }, charter] = await Promise.all([
    read(fetch, 'partnerships'),
    readOptional(fetch, 'charter'),
  ]);
  const asked = url.searchParams.get('partnership');
  const current = asked ? await readOptional(fetch, 'partnership', { partnershipId: asked }) : null;
  return {
    partnerships: partnerships.map(({ partnershipId, title }) => ({ partnershipId, title })),
    partnerKinds,
    selected: current ? 'changeAgreement' : 'establish',
    current: current
      ? {
          partnershipId: current.partnershipId,
          agreement: current.agreement,
          every: current.checkInEveryMonths,
        }
      : null,
    urgentPath: charter?.rules.urgentPath ?? null,
  };
};

export const actions: Actions = {
  propose: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const fields: Record<string, string> = {};
    const action = posted.text('action');
    const required = (name: string) => {
      const value = posted.text(name);
      if (!value) fields[name] = m.field_required();
      return value;
    };
    const texts = Object.fromEntries(agreementFields.map((name) => [name, required(name)]));
    const languages = posted
      .text('languages')
      .split(/[\s,]+/)
      .filter(Boolean);
    if (languages.length === 0) fields.languages = m.field_required();
    const every = Number(posted.text('every'));
    if (!Number.isInteger(every) || every < 1 || every > 24) fields.every = m.partnership_every_invalid();
    const agreement: Agreement = {
      expectations: texts.expectations as string,
      sharedValues: texts.sharedValues as string,
      roles: texts.roles as string,
      accountability: texts.accountability as string,
      waysOfWorking: { languages, channels: texts.channels as string, rhythm: texts.rhythm as string },
    };
    let payload: ProposalPayload | null = null;
    if (action === 'establish') {
      const title = required('partnershipTitle');
      const partnerName = required('partnerName');
      const kind = partnerKinds.find((candidate) => candidate === posted.text('partnerKind'));
      if (!kind) fields.partnerKind = m.field_required();
      if (title && partnerName && kind) {
        payload = {
          kind: 'partnership',
          change: {
            action,
            partnershipId: randomUUID(),
            title,
            partners: [{ organizationId: randomUUID(), name: partnerName, kind }],
            agreement,
            checkInEveryMonths: every,
          },
        };
      }
    } else if (action === 'changeAgreement') {
      const partnershipId = required('partnershipId');
      if (partnershipId) {
        payload = {
          kind: 'partnership',
          change: { action, partnershipId, agreement, checkInEveryMonths: every },
        };
      }
    } else fields.action = m.field_required();
    return proposeWhenComplete(fetch, posted, fields, payload, {
      PARTNERSHIP_EXISTS: 'partnershipTitle',
      PARTNERSHIP_NOT_FOUND: 'partnershipId',
    });
  },
};
