import { z } from 'zod';
import { actorSchema } from './actor.ts';
import { timestampSchema } from './primitives.ts';

/** Builds a command schema: `{ type, actor, now, ...fields }`. */
export function commandSchema<const Type extends string, Shape extends z.ZodRawShape>(
  type: Type,
  description: string,
  shape: Shape,
) {
  return z
    .object({ type: z.literal(type), actor: actorSchema, now: timestampSchema, ...shape })
    .describe(description);
}

/**
 * A command's own fields, without `type`, `actor` and `now`: for an event that records what its command
 * asked, so that the two are declared once. A field added to such a command is recorded by its event too,
 * and events are forever: give the event its own fields when the two should part.
 */
export function fieldsOf<Shape extends z.ZodRawShape>(
  command: z.ZodObject<Shape>,
): Omit<Shape, 'type' | 'actor' | 'now'> {
  const { type: _type, actor: _actor, now: _now, ...fields } = command.shape;
  return fields;
}

/** Builds an event schema: `{ type, data: { ...fields, at } }`, `at` being the command's time. */
export function eventSchema<const Type extends string, Shape extends z.ZodRawShape>(
  type: Type,
  description: string,
  shape: Shape,
) {
  return z
    .object({
      type: z.literal(type),
      data: z.object({ ...shape, at: timestampSchema.describe("the command's time") }),
    })
    .describe(description);
}
