// The coach's weekly hours: edited as a whole and saved at once (setWeeklyAvailability replaces them).
import { useQuery } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { CoachHoursDocument, SetWeeklyHoursDocument, type PersonFragment } from '../generated/graphql';
import { DAY_NAMES } from '../time';
import { useAction } from '../ui/action';
import { Empty, Problem, QueryState } from '../ui/status';

interface Hours { key: number; dayOfWeek: number; startTime: string; endTime: string }
let nextKey = 0;
const MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0];

export function WeeklyHours({ me }: { me: PersonFragment }) {
  const [hours] = useQuery({ query: CoachHoursDocument, variables: { coachId: me.id } });
  const [rows, setRows] = useState<Hours[] | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useAction(SetWeeklyHoursDocument);
  useEffect(() => {
    if (hours.data && rows === null) setRows(hours.data.weeklyAvailability.map((slot) => ({ key: nextKey++, ...slot })));
  }, [hours.data]);
  if (!rows) return <section><h1>Weekly hours</h1><QueryState fetching={hours.fetching} error={hours.error} what="your hours" /></section>;

  const sorted = [...rows].sort((a, b) => MONDAY_FIRST.indexOf(a.dayOfWeek) - MONDAY_FIRST.indexOf(b.dayOfWeek) || a.startTime.localeCompare(b.startTime));
  const update = (key: number, change: Partial<Hours>) => { setSaved(false); setRows(rows.map((row) => (row.key === key ? { ...row, ...change } : row))); };
  async function submit(event: Event) {
    event.preventDefault();
    const slots = rows!.map(({ dayOfWeek, startTime, endTime }) => ({ dayOfWeek, startTime, endTime }));
    if (await save.run({ slots })) setSaved(true);
  }
  return (
    <form onSubmit={submit} aria-labelledby="hours-title">
      <h1 id="hours-title">Weekly hours</h1>
      <p>Members can book you in these hours every week, in your timezone ({me.timezone}). Sessions already booked stay.</p>
      {sorted.length === 0 && <Empty>No weekly hours: members can book you only in extra hours.</Empty>}
      <ul class="items">
        {sorted.map((row) => (
          <li key={row.key} class="item row" data-hours={`${row.dayOfWeek} ${row.startTime}`}>
            <label>Day
              <select value={row.dayOfWeek} onChange={(e) => update(row.key, { dayOfWeek: Number(e.currentTarget.value) })}>
                {MONDAY_FIRST.map((day) => <option key={day} value={day}>{DAY_NAMES[day]}</option>)}
              </select>
            </label>
            <label>From <input type="time" required value={row.startTime} onInput={(e) => update(row.key, { startTime: e.currentTarget.value })} /></label>
            <label>To <input type="time" required value={row.endTime} onInput={(e) => update(row.key, { endTime: e.currentTarget.value })} /></label>
            <button type="button" class="secondary" onClick={() => { setSaved(false); setRows(rows.filter((r) => r.key !== row.key)); }}>Remove</button>
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => { setSaved(false); setRows([...rows, { key: nextKey++, dayOfWeek: 1, startTime: '09:00', endTime: '17:00' }]); }}>Add hours</button>
        <button type="submit" disabled={save.pending}>Save weekly hours</button>
      </div>
      <Problem text={save.problem} />
      {saved && <p class="done" role="status">Saved.</p>}
    </form>
  );
}
