import { z } from 'zod';

/**
 * A member organization's position on a proposal:
 * - `consent`: supports it;
 * - `concerns`: supports it with reservations (reason required);
 * - `standAside`: will not block and will not take part (reason required);
 * - `block`: a principled objection that stops adoption (reason required).
 */
export const stanceSchema = z
  .enum(['consent', 'concerns', 'standAside', 'block'])
  .meta({ id: 'Stance', description: "a member organization's position on a proposal" });
export type Stance = z.infer<typeof stanceSchema>;

/** Whether a stance must come with a reason others can read. */
export function stanceNeedsReason(stance: Stance): boolean {
  return stance !== 'consent';
}
