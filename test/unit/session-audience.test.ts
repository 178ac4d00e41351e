import { receivesSessionChange } from '../../src/graphql/session-audience';

/** Who receives a session change: visibility first, arguments only narrow. */
const session = { coachId: 'coach-1', memberId: 'member-1' };
const member = { id: 'member-1', role: 'MEMBER' as const };
const otherMember = { id: 'member-2', role: 'MEMBER' as const };
const coach = { id: 'coach-1', role: 'COACH' as const };
const otherCoach = { id: 'coach-2', role: 'COACH' as const };
const owner = { id: 'owner-1', role: 'OWNER' as const };

describe('receivesSessionChange', () => {
  it.each([
    ['the member, no arguments', member, {}, true],
    ['the member, naming themselves', member, { memberId: 'member-1' }, true],
    ['the member, naming the coach', member, { coachId: 'coach-1' }, true],
    ['the member, naming another coach', member, { coachId: 'coach-2' }, false],
    ['another member, no arguments', otherMember, {}, false],
    ['another member, naming the member', otherMember, { memberId: 'member-1' }, false],
    ['another member, naming the coach', otherMember, { coachId: 'coach-1' }, false],
    ['the coach, no arguments', coach, {}, true],
    ['the coach, naming the member', coach, { memberId: 'member-1' }, true],
    ['the coach, naming another member', coach, { memberId: 'member-2' }, false],
    ['another coach, naming the coach', otherCoach, { coachId: 'coach-1' }, false],
    ['another coach, naming the member', otherCoach, { memberId: 'member-1' }, false],
    ['an owner, no arguments', owner, {}, true],
    ['an owner, naming coach and member', owner, { coachId: 'coach-1', memberId: 'member-1' }, true],
    ['an owner, naming another coach', owner, { coachId: 'coach-2' }, false],
    ['an owner, with null arguments', owner, { coachId: null, memberId: null }, true],
  ])('%s -> %s', (_label, actor, args, expected) => {
    expect(receivesSessionChange(actor, args, session)).toBe(expected);
  });
});
