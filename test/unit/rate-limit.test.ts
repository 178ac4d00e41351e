import { WindowRateLimiter } from '../../src/http/rate-limit';

describe('the per-key request window', () => {
  it('lets `max` requests through per window, then answers the seconds until it ends', () => {
    let now = 1_000_000;
    const limiter = new WindowRateLimiter({ max: 3, windowMs: 60_000, now: () => now });
    expect([limiter.hit('a'), limiter.hit('a'), limiter.hit('a')]).toEqual([null, null, null]);
    expect(limiter.hit('a')).toBe(60);
    now += 45_500;
    expect(limiter.hit('a')).toBe(15);
    expect(limiter.hit('b')).toBeNull(); // keys are independent
    now += 14_500;
    expect(limiter.hit('a')).toBeNull(); // a new window
  });

  it('keeps at most maxKeys windows, dropping expired ones first, then the oldest', () => {
    let now = 0;
    const limiter = new WindowRateLimiter({ max: 1, windowMs: 1_000, maxKeys: 2, now: () => now });
    limiter.hit('old');
    now = 500;
    limiter.hit('young');
    expect(limiter.hit('young')).not.toBeNull();
    now = 1_200; // 'old' expired
    limiter.hit('new');
    expect(limiter.hit('young')).not.toBeNull(); // still limited: kept
    limiter.hit('newer'); // full: the oldest ('young') goes
    expect(limiter.hit('young')).toBeNull();
  });
});
