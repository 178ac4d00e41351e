// Book a coach: pick a free slot in a week, then once or as a weekly series.
import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { BookSessionDocument, CoachesDocument, CreateSeriesDocument, FreeSlotsDocument, type PersonFragment } from '../generated/graphql';
import { byDay, clock, DAY_NAMES, dayLabel, everyLabel, localDateOf, money, rangeLabel, todayIn, weekdayOf, weekOf, whenLabel } from '../time';
import { useAction } from '../ui/action';
import { Empty, Problem, QueryState } from '../ui/status';
import { WeekNav } from '../ui/week-nav';
import { slotsIn, type Slot } from './slots';

const TAKEN = { CONFLICT: 'That time is no longer free: the coach or you already have a session then. Pick another slot.' };

export function Book({ me }: { me: PersonFragment }) {
  const [coaches] = useQuery({ query: CoachesDocument });
  const [coachId, setCoachId] = useState<string | null>(null);
  const list = coaches.data?.coaches ?? [];
  const chosen = coachId ?? list[0]?.id ?? null;
  return (
    <section aria-labelledby="book-title">
      <h1 id="book-title">Book a coach</h1>
      {!coaches.data && <QueryState fetching={coaches.fetching} error={coaches.error} what="the coaches" />}
      {coaches.data && list.length === 0 && <Empty>The studio has no coaches yet.</Empty>}
      {list.length > 0 && (
        <label>
          Coach
          <select value={chosen ?? ''} onChange={(e) => setCoachId(e.currentTarget.value)}>
            {list.map((coach) => <option key={coach.id} value={coach.id}>{coach.name}</option>)}
          </select>
        </label>
      )}
      {chosen && <FreeSlots key={chosen} me={me} coachId={chosen} coachName={list.find((c) => c.id === chosen)?.name ?? ''} />}
    </section>
  );
}

function FreeSlots({ me, coachId, coachName }: { me: PersonFragment; coachId: string; coachName: string }) {
  const today = todayIn(me.timezone);
  const [start, setStart] = useState(today);
  const [picked, setPicked] = useState<Slot | null>(null);
  const [booked, setBooked] = useState<string | null>(null);
  const [free] = useQuery({ query: FreeSlotsDocument, variables: { coachId, ...weekOf(start, me.timezone) } });
  const minutes = free.data?.coachSettings?.defaultDurationMinutes ?? 60;
  const slots = free.data ? slotsIn(free.data.coachAvailability, minutes, Date.now()) : [];
  const days = byDay(slots, (slot) => slot.start, me.timezone);
  const price = free.data?.coachSettings?.sessionPriceCents;
  const currency = free.data?.studioSettings.currency ?? 'EUR';

  return (
    <>
      <WeekNav start={start} today={today} onChange={(next) => { setStart(next); setPicked(null); }} />
      {booked && <p class="done" role="status">{booked}</p>}
      {!free.data && <QueryState fetching={free.fetching} error={free.error} what="free times" />}
      {free.data && slots.length === 0 && <Empty>{coachName} has no free time this week. Try the next week.</Empty>}
      {price != null && slots.length > 0 && <p>{money(price, currency)} per session of {minutes} minutes.</p>}
      {[...days].map(([day, list]) => (
        <section key={day} data-date={day} class="day" aria-label={`Free on ${dayLabel(list[0].start, me.timezone)}`}>
          <h2>{dayLabel(list[0].start, me.timezone)}</h2>
          <ul class="slots">
            {list.map((slot) => (
              <li key={slot.start}>
                <button type="button" class="slot" aria-pressed={picked?.start === slot.start} onClick={() => { setPicked(slot); setBooked(null); }}>
                  {rangeLabel(slot.start, slot.end, me.timezone)}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {picked && <BookingForm me={me} coachId={coachId} coachName={coachName} slot={picked} minutes={minutes} onBooked={(text) => { setBooked(text); setPicked(null); }} />}
    </>
  );
}

function BookingForm(props: { me: PersonFragment; coachId: string; coachName: string; slot: Slot; minutes: number; onBooked(text: string): void }) {
  const { me, slot } = props;
  const [weekly, setWeekly] = useState(false);
  const [interval, setIntervalWeeks] = useState('1');
  const [count, setCount] = useState('10');
  const once = useAction(BookSessionDocument, TAKEN);
  const series = useAction(CreateSeriesDocument, { CONFLICT: 'One of those weeks is not free: the coach or you already have a session then. Pick another slot or fewer sessions.' });
  const dayOfWeek = weekdayOf(slot.start, me.timezone);

  async function submit(event: Event) {
    event.preventDefault();
    if (!weekly) {
      const done = await once.run({ input: { coachId: props.coachId, startTime: slot.start, durationMinutes: props.minutes } });
      if (done) props.onBooked(`Booked: ${whenLabel(slot.start, slot.end, me.timezone)} with ${props.coachName}.`);
      return;
    }
    const intervalWeeks = Number(interval);
    const occurrences = count.trim() === '' ? undefined : Number(count);
    const done = await series.run({
      input: {
        coachId: props.coachId, dayOfWeek, startTime: clock(slot.start, me.timezone), endTime: clock(slot.end, me.timezone),
        startDate: localDateOf(slot.start, me.timezone), timezone: me.timezone, intervalWeeks, occurrences,
      },
    });
    if (done) {
      props.onBooked(`Booked: ${everyLabel(dayOfWeek, intervalWeeks).toLowerCase()} ${rangeLabel(slot.start, slot.end, me.timezone)} with ${props.coachName}${occurrences ? `, ${occurrences} sessions` : ''}, from ${dayLabel(slot.start, me.timezone)}. It is under My series.`);
    }
  }

  return (
    <form class="panel" onSubmit={submit} aria-labelledby="booking-title">
      <h2 id="booking-title">{whenLabel(slot.start, slot.end, me.timezone)} with {props.coachName}</h2>
      <fieldset>
        <legend>How often</legend>
        <label class="choice"><input type="radio" name="often" checked={!weekly} onChange={() => setWeekly(false)} /> Just this once</label>
        <label class="choice"><input type="radio" name="often" checked={weekly} onChange={() => setWeekly(true)} /> Every {DAY_NAMES[dayOfWeek]} at this time</label>
      </fieldset>
      {weekly && (
        <div class="row">
          <label>Every how many weeks <input type="number" min={1} max={12} required value={interval} onInput={(e) => setIntervalWeeks(e.currentTarget.value)} /></label>
          <label>Number of sessions <input type="number" min={1} max={104} value={count} placeholder="until I cancel" onInput={(e) => setCount(e.currentTarget.value)} /></label>
        </div>
      )}
      <Problem text={once.problem ?? series.problem} />
      <button type="submit" disabled={once.pending || series.pending}>{weekly ? 'Book the series' : 'Book this session'}</button>
    </form>
  );
}
