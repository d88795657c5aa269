/** Test and benchmark support: a seeded generator of realistic coalition history. */
export { type CoalitionOptions, generateCoalition } from './coalition.ts';
export { Random } from './random.ts';
export { type AppendCoalitionResult, appendCoalition } from './store.ts';
export { type GeneratedAppend, World } from './world.ts';
