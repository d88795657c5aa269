import { describe, expect, it } from 'vitest';
import {
  isWellFormedLanguageTag,
  type ProposalCommand,
  type ProposalEvent,
  proposalDecider,
  translatedItemKey,
} from '../src/index.ts';
import { smallGrantsIncrease } from './support/coalition.ts';
import { at, auditor, facilitator, rep, system } from './support/fixtures.ts';
import {
  commentedEvent,
  decidedEvent,
  draftedEvent,
  openedEvent,
  proposalId,
} from './support/proposal-events.ts';
import { specification } from './support/spec.ts';

const spec = specification(proposalDecider);
const translator = rep('o2', 'noor');

const drafted = draftedEvent();
const opened = openedEvent();
const amended: ProposalEvent = {
  type: 'ProposalAmended',
  data: {
    proposalId,
    revision: 2,
    title: 'More for grants (amended)',
    body: 'Demand is higher than we thought.',
    payload: smallGrantsIncrease,
    attachments: [],
    routing: null,
    recusals: null,
    amendedBy: 'amal',
    reason: null,
    at: at(2),
  },
};
const commented = commentedEvent('o1', 2);
const stance = (stance: 'consent' | 'concerns', reason: string | null): ProposalEvent => ({
  type: 'StanceTaken',
  data: {
    proposalId,
    organizationId: 'o1',
    personId: 'amal',
    stance,
    reason,
    revision: 1,
    round: 1,
    at: at(2),
  },
});
const withdrawn: ProposalEvent = {
  type: 'ProposalWithdrawn',
  data: { proposalId, reason: 'Merged into another proposal', withdrawnBy: 'amal', at: at(2) },
};
const open = [drafted, opened];

type Translate = Extract<ProposalCommand, { type: 'AddTranslation' }>;
/** What noor translates, unless a case says otherwise: the proposal's first version, into Spanish. */
const spanish = {
  item: { kind: 'proposal' },
  version: 1,
  sourceLanguage: 'en',
  language: 'es',
  title: 'Más para subvenciones',
  text: 'La demanda es alta este año.',
} as const;
function translate(fields: Partial<Omit<Translate, 'type' | 'proposalId'>> = {}): ProposalCommand {
  return {
    type: 'AddTranslation',
    actor: translator,
    now: at(3),
    proposalId,
    ...spanish,
    ...fields,
  };
}
function added(
  fields: Partial<Extract<ProposalEvent, { type: 'TranslationAdded' }>['data']> = {},
): ProposalEvent {
  return {
    type: 'TranslationAdded',
    data: {
      proposalId,
      ...spanish,
      personId: 'noor',
      organizationId: 'o2',
      at: at(3),
      ...fields,
    },
  };
}

describe('AddTranslation', () => {
  it("records a member's translation of the proposal, with the revision it translates", () => {
    spec.given(open).when(translate()).then([added()]);
    spec.given([drafted]).when(translate()).then([added()]);
  });

  it('translates the current revision after an amendment (2), and refuses the older one', () => {
    spec
      .given([...open, amended])
      .when(translate({ version: 2 }))
      .then([added({ version: 2 })]);
    spec
      .given([...open, amended])
      .when(translate({ version: 1 }))
      .thenRejects('TRANSLATION_OUTDATED', { version: 2 });
    spec
      .given(open)
      .when(translate({ version: 2 }))
      .thenRejects('TRANSLATION_OUTDATED', { version: 1 });
  });

  it('translates a comment (version 1) and a stance reason (the nth stance of the organization)', () => {
    const comment = { kind: 'comment', commentId: 'c1' } as const;
    spec
      .given([...open, commented])
      .when(translate({ item: comment, title: null, text: '¿Qué ORR se benefician?' }))
      .then([added({ item: comment, title: null, text: '¿Qué ORR se benefician?' })]);
    const reason = { kind: 'stanceReason', organizationId: 'o1' } as const;
    spec
      .given([...open, stance('consent', null), stance('concerns', 'Too soon')])
      .when(translate({ item: reason, version: 2, title: null, text: 'Demasiado pronto' }))
      .then([added({ item: reason, version: 2, title: null, text: 'Demasiado pronto' })]);
  });

  it('translates a decided proposal (people read decisions long after)', () => {
    spec
      .given([...open, decidedEvent()])
      .when(translate())
      .then([added()]);
  });

  it('canonicalizes the language tags and accepts languages the portal does not speak', () => {
    spec
      .given(open)
      .when(translate({ sourceLanguage: 'EN', language: 'fa-af' }))
      .then([added({ language: 'fa-AF' })]);
  });

  it('refuses an unknown proposal, comment or stance reason', () => {
    spec.given([]).when(translate()).thenRejects('PROPOSAL_NOT_FOUND');
    spec
      .given(open)
      .when(translate({ item: { kind: 'comment', commentId: 'nope' }, title: null }))
      .thenRejects('TRANSLATED_ITEM_NOT_FOUND');
    spec
      .given([...open, stance('consent', null)])
      .when(translate({ item: { kind: 'stanceReason', organizationId: 'o1' }, title: null }))
      .thenRejects('TRANSLATED_ITEM_NOT_FOUND');
    spec
      .given(open)
      .when(translate({ item: { kind: 'stanceReason', organizationId: 'o2' }, title: null }))
      .thenRejects('TRANSLATED_ITEM_NOT_FOUND');
  });

  it('refuses a translation into the language of the original', () => {
    spec
      .given(open)
      .when(translate({ sourceLanguage: 'es', language: 'ES' }))
      .thenRejects('TRANSLATION_SAME_LANGUAGE', { language: 'es' });
  });

  it('refuses a proposal without its title, and a comment with one', () => {
    spec
      .given(open)
      .when(translate({ title: null }))
      .thenRejects('TRANSLATION_TITLE_MISMATCH');
    spec
      .given([...open, commented])
      .when(translate({ item: { kind: 'comment', commentId: 'c1' } }))
      .thenRejects('TRANSLATION_TITLE_MISMATCH');
  });

  it('refuses an empty, invisible or too long text, and a malformed language', () => {
    for (const malformed of [
      { text: '' },
      { text: ' \u200b ' },
      { text: 'a'.repeat(20_001) },
      { title: 't'.repeat(501) },
      { language: 'not a language' },
      { language: 'e' },
    ]) {
      spec.given(open).when(translate(malformed)).thenRejects('INVALID_COMMAND');
    }
  });

  it('refuses a withdrawn proposal', () => {
    spec
      .given([...open, withdrawn])
      .when(translate())
      .thenRejects('PROPOSAL_WITHDRAWN');
  });

  it('refuses anyone but a member’s representative: facilitator, auditor, process', () => {
    for (const [actor, code] of [
      [facilitator, 'FACILITATOR_NOT_ALLOWED'],
      [auditor, 'AUDITOR_READ_ONLY'],
      [system, 'PEOPLE_ONLY'],
    ] as const) {
      spec.given(open).when(translate({ actor })).thenRejects(code);
    }
  });

  it('changes nothing the decider decides on', () => {
    const before = [...open, commented];
    const state = before.reduce(proposalDecider.evolve, proposalDecider.initialState());
    expect(proposalDecider.evolve(state, added())).toBe(state);
  });
});

describe('language tags and item keys', () => {
  it('tells well-formed tags from others', () => {
    for (const tag of ['en', 'es-419', 'zh-Hant-TW', 'ar', 'sw', 'my', 'fa-AF']) {
      expect(isWellFormedLanguageTag(tag), tag).toBe(true);
    }
    for (const tag of ['', 'e', 'english language', 'es_ES', 'x-private', '123', 'es-']) {
      expect(isWellFormedLanguageTag(tag), tag).toBe(false);
    }
  });
  it('names each item once', () => {
    expect(translatedItemKey({ kind: 'proposal' })).toBe('proposal');
    expect(translatedItemKey({ kind: 'comment', commentId: 'c1' })).toBe('comment:c1');
    expect(translatedItemKey({ kind: 'stanceReason', organizationId: 'o1' })).toBe('stanceReason:o1');
  });
});
