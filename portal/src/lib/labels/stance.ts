// Relative imports (not $lib): unit-tested as is. `locale` for callers outside a request (tests).
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';

export function stanceLabel(stance: string, options: { locale?: Locale } = {}): string {
  switch (stance) {
    case 'consent':
      return m.stance_consent({}, options);
    case 'concerns':
      return m.stance_concerns({}, options);
    case 'standAside':
      return m.stance_stand_aside({}, options);
    case 'block':
      return m.stance_block({}, options);
    default:
      return stance;
  }
}
