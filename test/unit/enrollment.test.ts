import { placeFor, promotionMode } from '../../src/domain/enrollment';

const MINUTE = 60_000;

describe('a new enrollment', () => {
  it('is BOOKED while a place is free', () => {
    expect(placeFor({ held: 9, capacity: 10, waitlisted: 0, waitlistCapacity: 0 })).toBe('BOOKED');
  });
  it('joins the waitlist when the class is full and the waitlist has room', () => {
    expect(placeFor({ held: 10, capacity: 10, waitlisted: 4, waitlistCapacity: 5 })).toBe('WAITLISTED');
  });
  it('finds no place when the class and its waitlist are full, or there is no waitlist', () => {
    expect(placeFor({ held: 10, capacity: 10, waitlisted: 5, waitlistCapacity: 5 })).toBeNull();
    expect(placeFor({ held: 10, capacity: 10, waitlisted: 0, waitlistCapacity: 0 })).toBeNull();
  });
  it('is BOOKED even with people waiting when a place is free (the promotion routine fills freed places first)', () => {
    expect(placeFor({ held: 3, capacity: 4, waitlisted: 2, waitlistCapacity: 5 })).toBe('BOOKED');
  });
});

describe('a freed place', () => {
  const start = Date.UTC(2030, 0, 10, 18, 0);
  it('goes to the waitlist at once up to the cutoff, the cutoff minute included', () => {
    expect(promotionMode(start - 1500 * MINUTE, start, 1500)).toBe('AUTO');
    expect(promotionMode(start - 3 * 24 * 60 * MINUTE, start, 1500)).toBe('AUTO');
  });
  it('is offered after the cutoff until the class starts', () => {
    expect(promotionMode(start - 1500 * MINUTE + 1, start, 1500)).toBe('OFFER');
    expect(promotionMode(start - 1, start, 1500)).toBe('OFFER');
  });
  it('goes to nobody once the class has started', () => {
    expect(promotionMode(start, start, 1500)).toBe('NONE');
    expect(promotionMode(start + MINUTE, start, 0)).toBe('NONE');
  });
  it('with a cutoff of 0 goes to the waitlist at once until the start: no offers', () => {
    expect(promotionMode(start - 1, start, 0)).toBe('AUTO');
    expect(promotionMode(start - MINUTE, start, 0)).toBe('AUTO');
  });
});
