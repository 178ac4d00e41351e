// The class timetable with places left, live; enroll, join the waitlist, answer an offer.
import { useQuery, useSubscription } from '@urql/preact';
import { useState } from 'preact/hooks';
import {
  AcceptOfferDocument, CancelEnrollmentDocument, ClassChangedDocument, DeclineOfferDocument, EnrollInClassDocument, TimetableDocument,
  type PersonFragment, type TimetableQuery,
} from '../generated/graphql';
import { byDay, clock, dayLabel, rangeLabel, todayIn, weekOf } from '../time';
import { useAction } from '../ui/action';
import { statusText } from '../ui/labels';
import { Empty, Problem, QueryState } from '../ui/status';
import { WeekNav } from '../ui/week-nav';

type ClassEntry = TimetableQuery['classSessions']['edges'][number]['node'];

export function Classes({ me }: { me: PersonFragment }) {
  const today = todayIn(me.timezone);
  const [start, setStart] = useState(today);
  const range = weekOf(start, me.timezone);
  const [timetable] = useQuery({ query: TimetableDocument, variables: range });
  // Places and waitlists move as others book: the cache takes each change.
  useSubscription({ query: ClassChangedDocument, variables: range });
  const classes = (timetable.data?.classSessions.edges ?? []).map((edge) => edge.node).filter((c) => c.status !== 'CANCELLED' || c.myEnrollment);
  const days = byDay(classes, (c) => c.startTime, me.timezone);
  return (
    <section aria-labelledby="classes-title">
      <h1 id="classes-title">Classes</h1>
      <WeekNav start={start} today={today} onChange={setStart} />
      {!timetable.data && <QueryState fetching={timetable.fetching} error={timetable.error} what="the timetable" />}
      {timetable.data && classes.length === 0 && <Empty>No classes this week.</Empty>}
      {[...days].map(([day, list]) => (
        <section key={day} data-date={day} class="day" aria-label={dayLabel(list[0].startTime, me.timezone)}>
          <h2>{dayLabel(list[0].startTime, me.timezone)}</h2>
          <ul class="items">
            {list.map((c) => <ClassRow key={c.id} me={me} entry={c} />)}
          </ul>
        </section>
      ))}
    </section>
  );
}

function places(c: ClassEntry): string {
  if (c.status === 'CANCELLED') return statusText(c.status, c.cancellationReason);
  if (c.spotsLeft > 0) return `${c.spotsLeft} ${c.spotsLeft === 1 ? 'place' : 'places'} left`;
  return c.waitlistCount > 0 ? `Full · ${c.waitlistCount} waiting` : 'Full';
}

function ClassRow({ me, entry: c }: { me: PersonFragment; entry: ClassEntry }) {
  const enroll = useAction(EnrollInClassDocument);
  const cancel = useAction(CancelEnrollmentDocument);
  const accept = useAction(AcceptOfferDocument);
  const decline = useAction(DeclineOfferDocument);
  const mine = c.myEnrollment;
  const active = mine && ['BOOKED', 'WAITLISTED', 'OFFERED'].includes(mine.status) ? mine : null;
  const open = c.status === 'SCHEDULED' && Date.parse(c.startTime) > Date.now();
  const waitlistFull = c.waitlistCount >= c.classType.waitlistCapacity;
  const pending = enroll.pending || cancel.pending || accept.pending || decline.pending;
  let mineText = '';
  if (active?.status === 'BOOKED') mineText = 'You are booked';
  if (active?.status === 'WAITLISTED') mineText = `You are number ${active.waitlistPosition} on the waitlist`;
  if (active?.status === 'OFFERED') mineText = `A place is yours if you accept by ${active.offerExpiresAt ? `${dayLabel(active.offerExpiresAt, me.timezone)} ${clock(active.offerExpiresAt, me.timezone)}` : 'soon'}`;

  return (
    <li class="item" data-class-id={c.id} data-state={active?.status ?? c.status}>
      <span class="when">{rangeLabel(c.startTime, c.endTime, me.timezone)}</span>
      <span class="what">{c.classType.name} with {c.coach.name}</span>
      <span class="detail">{c.room.name}</span>
      <span class="status places" aria-live="polite">{places(c)}</span>
      {mineText && <span class="mine" role="status">{mineText}</span>}
      {open && !active && (c.spotsLeft > 0 || !waitlistFull) && (
        <button type="button" disabled={pending} onClick={() => enroll.run({ sessionId: c.id })}>{c.spotsLeft > 0 ? 'Book a place' : 'Join the waitlist'}</button>
      )}
      {active?.status === 'OFFERED' && (
        <>
          <button type="button" disabled={pending} onClick={() => accept.run({ id: active.id })}>Accept the place</button>
          <button type="button" class="secondary" disabled={pending} onClick={() => decline.run({ id: active.id })}>Decline</button>
        </>
      )}
      {open && active && active.status !== 'OFFERED' && (
        <button type="button" class="secondary" disabled={pending} onClick={() => cancel.run({ id: active.id })}>{active.status === 'BOOKED' ? 'Cancel my place' : 'Leave the waitlist'}</button>
      )}
      <Problem text={enroll.problem ?? cancel.problem ?? accept.problem ?? decline.problem} />
    </li>
  );
}
