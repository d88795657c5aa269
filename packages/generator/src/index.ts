/**
 * A seeded generator of realistic coalition history (demos with `concord generate`, benchmarks, tests),
 * and the one coalition seeder every founding goes through (the demo, the generator, tests, benches).
 */
export { type CoalitionOptions, generateCoalition } from './coalition.ts';
export { Random } from './random.ts';
export {
  type CoalitionSeed,
  runSeed,
  type SeedBudget,
  type SeedCommand,
  type SeedOrganization,
  type SeedProposal,
  type SeedRunner,
  type SeedStep,
  type SeedWorkingGroup,
  seedSteps,
  speakerOf,
} from './seeder.ts';
export { type AppendCoalitionResult, appendCoalition } from './store.ts';
export { type GeneratedAppend, World } from './world.ts';
