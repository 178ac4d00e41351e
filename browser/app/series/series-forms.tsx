import { useState } from 'preact/hooks';
import { ChangeSeriesDocument, PauseSeriesDocument, type PersonFragment, type SeriesItemFragment } from '../generated/graphql';
import { addDays, DAY_NAMES, todayIn } from '../time';
import { useAction } from '../ui/action';
import { Problem } from '../ui/status';

const CLASH = { CONFLICT: 'The changed series clashes with a session already booked for the coach or the member. Try another time.' };

/** From a date on, another day, time or rhythm: the old series ends the day before. */
export function ChangeSeriesForm({ me, item, onDone }: { me: PersonFragment; item: SeriesItemFragment; onDone(): void }) {
  const [from, setFrom] = useState(addDays(todayIn(me.timezone), 1));
  const [day, setDay] = useState(String(item.dayOfWeek));
  const [startTime, setStartTime] = useState(item.startTime);
  const [endTime, setEndTime] = useState(item.endTime);
  const [interval, setIntervalWeeks] = useState(String(item.intervalWeeks));
  const change = useAction(ChangeSeriesDocument, CLASH);
  async function submit(event: Event) {
    event.preventDefault();
    const done = await change.run({
      input: { recurringBookingId: item.id, effectiveFrom: from, dayOfWeek: Number(day), startTime, endTime, intervalWeeks: Number(interval) },
    });
    if (done) onDone();
  }
  return (
    <form class="panel" onSubmit={submit} aria-label="Change the series">
      <div class="row">
        <label>From <input type="date" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
        <label>Day
          <select value={day} onChange={(e) => setDay(e.currentTarget.value)}>
            {DAY_NAMES.map((name, index) => <option key={name} value={index}>{name}</option>)}
          </select>
        </label>
        <label>Start <input type="time" required value={startTime} onInput={(e) => setStartTime(e.currentTarget.value)} /></label>
        <label>End <input type="time" required value={endTime} onInput={(e) => setEndTime(e.currentTarget.value)} /></label>
        <label>Every how many weeks <input type="number" min={1} max={12} required value={interval} onInput={(e) => setIntervalWeeks(e.currentTarget.value)} /></label>
      </div>
      <Problem text={change.problem} />
      <button type="submit" disabled={change.pending}>Save the change</button>
    </form>
  );
}

/** No sessions from one date to another (holidays); the series goes on after. */
export function PauseSeriesForm({ me, item, onDone }: { me: PersonFragment; item: SeriesItemFragment; onDone(): void }) {
  const first = addDays(todayIn(me.timezone), 1);
  const [from, setFrom] = useState(first);
  const [to, setTo] = useState(addDays(first, 13));
  const [reason, setReason] = useState('');
  const pause = useAction(PauseSeriesDocument);
  async function submit(event: Event) {
    event.preventDefault();
    if (await pause.run({ input: { recurringBookingId: item.id, from, to, reason: reason || undefined } })) onDone();
  }
  return (
    <form class="panel" onSubmit={submit} aria-label="Pause the series">
      <div class="row">
        <label>First day <input type="date" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
        <label>Last day <input type="date" required value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
        <label>Reason (optional) <input value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} /></label>
      </div>
      <Problem text={pause.problem} />
      <button type="submit" disabled={pause.pending}>Pause the series</button>
    </form>
  );
}
