import { describe, expect, it } from 'vitest';
import { type LogEvent, logDecider, type MemberEvent, memberDecider } from '../src/index.ts';
import { at, facilitator, rep, system } from './support/fixtures.ts';
import { specification } from './support/spec.ts';

const logKey = 'log.example.org/coalition+0f392ef2+AbArV3Vq63q6/Bi5l+PVtZmX21Unw/2dNcGqiBsr0gJs';
const rotated = 'log.example.org/coalition+11111111+AcArV3Vq63q6/Bi5l+PVtZmX21Unw/2dNcGqiBsr0gJs';
const witnessKey = 'witness.org-a+195e3f50+BLArV3Vq63q6/Bi5l+PVtZmX21Unw/2dNcGqiBsr0gJs';

describe('the log key (stream log)', () => {
  const spec = specification(logDecider);
  const publish = (publicKey: string, hours: number, actor = system) =>
    ({ type: 'PublishLogKey', actor, now: at(hours), publicKey }) as const;
  const publishedEvent = (publicKey: string, replaces: string | null, hours: number): LogEvent => ({
    type: 'LogKeyPublished',
    data: { keyName: 'log.example.org/coalition', publicKey, replaces, at: at(hours) },
  });
  const published = publishedEvent(logKey, null, 0);
  it('is published once by the system, and again only when it changes (a rotation names the key it replaces)', () => {
    spec.given([]).when(publish(logKey, 0)).then([published]);
    spec.given([published]).when(publish(logKey, 1)).then([]);
    spec
      .given([published])
      .when(publish(rotated, 2))
      .then([publishedEvent(rotated, logKey, 2)]);
  });
  it('is nobody else’s to publish, and only a log key (type 0x01) is one', () => {
    spec
      .given([])
      .when(publish(logKey, 0, facilitator))
      .thenRejects('DECISION_EXECUTION_ONLY');
    spec.given([]).when(publish(witnessKey, 0)).thenRejects('INVALID_COMMAND');
  });
});

describe('witness keys of a member organization', () => {
  const spec = specification(memberDecider);
  const o1 = 'o1';
  const basis = { type: 'founding', foundingEventId: 'f' } as const;
  const represented: MemberEvent[] = [
    { type: 'MemberAdmitted', data: { organizationId: o1, name: 'One', basis, at: at(0) } },
    { type: 'RepresentativeAppointed', data: { organizationId: o1, personId: 'samir', basis, at: at(0) } },
    { type: 'RepresentativeJoined', data: { organizationId: o1, personId: 'samir', at: at(0) } },
  ];
  const register = (actor = rep(o1, 'samir'), key = witnessKey) =>
    ({ type: 'RegisterWitnessKey', actor, now: at(1), organizationId: o1, witnessKey: key }) as const;
  const registered: MemberEvent = {
    type: 'WitnessKeyRegistered',
    data: { organizationId: o1, keyName: 'witness.org-a', witnessKey, registeredBy: 'samir', at: at(1) },
  };
  it('its representatives register one (public key only) and revoke it; each once', () => {
    spec.given(represented).when(register()).then([registered]);
    spec
      .given([...represented, registered])
      .when(register())
      .thenRejects('WITNESS_KEY_ALREADY_REGISTERED');
    const revoke = {
      type: 'RevokeWitnessKey',
      actor: rep(o1, 'samir'),
      now: at(2),
      organizationId: o1,
      witnessKey,
      reason: 'lost laptop',
    } as const;
    const [revoked] = spec
      .given([...represented, registered])
      .when(revoke)
      .then([
        {
          type: 'WitnessKeyRevoked',
          data: {
            organizationId: o1,
            keyName: 'witness.org-a',
            witnessKey,
            revokedBy: 'samir',
            reason: 'lost laptop',
            at: at(2),
          },
        },
      ]);
    spec
      .given([...represented, registered, revoked!])
      .when(revoke)
      .thenRejects('WITNESS_KEY_NOT_FOUND');
    // Registered again after a revocation: allowed (the same machine back in service).
    spec
      .given([...represented, registered, revoked!])
      .when(register())
      .then([registered]);
  });
  it('refuses another organization, the facilitator, and anything that is not a witness key', () => {
    spec
      .given(represented)
      .when(register(rep('o2', 'nadia')))
      .thenRejects('NOT_YOUR_ORGANIZATION');
    spec.given(represented).when(register(facilitator)).thenRejects('FACILITATOR_NOT_ALLOWED');
    for (const key of [
      logKey,
      'x+1+2',
      `${witnessKey}\n`,
      'bad name+195e3f50+BLArV3Vq63q6/Bi5l+PVtZmX21Unw/2dNcGqiBsr0gJs',
    ])
      spec
        .given(represented)
        .when(register(rep(o1, 'samir'), key))
        .thenRejects('INVALID_COMMAND');
  });
  it('keeps the keys in force in the organization’s state', () => {
    const state = [...represented, registered].reduce(memberDecider.evolve, memberDecider.initialState());
    expect(state).toMatchObject({ witnessKeys: [witnessKey] });
  });
});
