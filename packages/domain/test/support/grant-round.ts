import {
  budgetOpening,
  createLine,
  grantAward,
  grantsGroupCreation,
  grantsLine,
  translationLine,
} from './coalition.ts';
import { at, facilitator, mandate, rules } from './fixtures.ts';
import { applyAndReview, decideAfter, found, join, propose, publishGrantCall, stances } from './story.ts';
import { World } from './world.ts';

/** From the founding to a paid grant, every step through the decision process. */
export function story(): World {
  const world = new World(at(0));
  found(world, ['o1', 'o2', 'o3', 'o4'], rules);
  propose(world, 'create-grants-wg', grantsGroupCreation(mandate(), false));
  stances(world, 'create-grants-wg', ['o1', 'o2', 'o3']);
  decideAfter(world, 'create-grants-wg', 169);
  join(world, 'grants-wg', ['o1', 'o2'], 6);
  propose(
    world,
    'opening',
    budgetOpening([{ ...createLine(grantsLine), name: 'Grants' }, createLine(translationLine)]),
  );
  stances(world, 'opening', ['o1', 'o2', 'o4']); // o3 is a partner of the translation line: recused
  decideAfter(world, 'opening', 169);
  return world;
}

/** The story, then the grant call `call-1` and the application `app-1` of `rlo-9`, reviewed by o2. */
export function reviewedApplication(): World {
  const world = story();
  publishGrantCall(world, at(2000));
  applyAndReview(
    world,
    {
      actor: facilitator,
      applicationId: 'app-1',
      applicantOrganizationId: 'rlo-9',
      applicantName: 'RLO Nine',
      amountRequested: 500_000,
      summary: 'Legal aid',
    },
    'o2',
    'Good',
  );
  return world;
}

/** The story, then a grant round up to an adopted award of 400,000 to `rlo-9` on the grants line. */
export function awardedGrant(): World {
  const world = reviewedApplication();
  propose(world, 'award-1', grantAward(400_000));
  stances(world, 'award-1', ['o1', 'o2']);
  decideAfter(world, 'award-1', 169);
  return world;
}
