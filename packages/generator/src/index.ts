/** A seeded generator of realistic coalition history: demos (`concord generate`), benchmarks and tests. */
export { type CoalitionOptions, generateCoalition } from './coalition.ts';
export { Random } from './random.ts';
export { type AppendCoalitionResult, appendCoalition } from './store.ts';
export { type GeneratedAppend, World } from './world.ts';
