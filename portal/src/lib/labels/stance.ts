import { m } from '$lib/paraglide/messages.js';

export function stanceLabel(stance: string): string {
  switch (stance) {
    case 'consent':
      return m.stance_consent();
    case 'concerns':
      return m.stance_concerns();
    case 'standAside':
      return m.stance_stand_aside();
    case 'block':
      return m.stance_block();
    default:
      return stance;
  }
}
