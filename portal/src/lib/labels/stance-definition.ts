import { m } from '../paraglide/messages.js';

/**
 * The four stances in the order they are offered, each with what choosing it means: the same words in
 * the glossary and beside the choice on a proposal.
 */
export const stanceDefinitions = [
  ['consent', m.define_consent],
  ['concerns', m.define_concerns],
  ['standAside', m.define_stand_aside],
  ['block', m.define_block],
] as const;
