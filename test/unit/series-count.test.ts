import { countLimitedEndDate } from '../../src/domain/series-count';

// "A package of 10": the series delivers 10 sessions; what the studio takes away is made up at the end.
const TUESDAYS = { dayOfWeek: 2, startDate: '2026-01-06' };
const none = () => false;

describe('countLimitedEndDate', () => {
  it('ends on the nth occurrence when nothing is taken away', () => {
    expect(countLimitedEndDate(TUESDAYS, 10, none)).toBe('2026-03-10');
    expect(countLimitedEndDate(TUESDAYS, 1, none)).toBe('2026-01-06');
  });

  it('makes up each occurrence taken away with one more at the end', () => {
    const blocked = new Set(['2026-01-20', '2026-02-17']);
    expect(countLimitedEndDate(TUESDAYS, 10, (d) => blocked.has(d))).toBe('2026-03-24');
  });

  it('makes up a make-up that is taken away too', () => {
    const away = new Set(['2026-01-20', '2026-03-17']); // the second is the first make-up date
    expect(countLimitedEndDate(TUESDAYS, 10, (d) => away.has(d))).toBe('2026-03-24');
  });

  it('counts in the series rhythm', () => {
    expect(countLimitedEndDate({ ...TUESDAYS, intervalWeeks: 2 }, 3, (d) => d === '2026-01-20')).toBe('2026-02-17');
  });

  it('ignores dates taken away after the end (a pause beyond the series changes nothing)', () => {
    expect(countLimitedEndDate(TUESDAYS, 2, (d) => d >= '2026-02-01')).toBe('2026-01-13');
  });

  it('refuses counts outside 1-520 and a series that can never be delivered', () => {
    expect(() => countLimitedEndDate(TUESDAYS, 0, none)).toThrow(RangeError);
    expect(() => countLimitedEndDate(TUESDAYS, 521, none)).toThrow(RangeError);
    expect(() => countLimitedEndDate(TUESDAYS, 3, () => true)).toThrow(RangeError);
  });
});
