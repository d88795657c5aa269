import { m } from '../paraglide/messages.js';
import { labeler } from './labeler.ts';

export const stanceLabel = labeler({
  consent: m.stance_consent,
  concerns: m.stance_concerns,
  standAside: m.stance_stand_aside,
  block: m.stance_block,
});
