// The coach's week: sessions and classes by day; attendance once a session has started.
import { useQuery, useSubscription } from '@urql/preact';
import { useState } from 'preact/hooks';
import {
  CancelSessionDocument, ClassChangedDocument, CoachClassesDocument, CompleteSessionDocument, MarkNoShowDocument, WeekDocument,
  type PersonFragment, type SessionItemFragment,
} from '../generated/graphql';
import { href } from '../route';
import { todayIn, weekOf } from '../time';
import { useAction } from '../ui/action';
import { ConfirmButton } from '../ui/confirm';
import { DayList, type DayEntry } from '../ui/day-list';
import { statusText } from '../ui/labels';
import { Empty, Problem, QueryState } from '../ui/status';
import { WeekNav } from '../ui/week-nav';

/** Attendance can be corrected up to 7 days after the end. */
const CORRECTION_MS = 7 * 24 * 3600_000;

export function CoachWeek({ me }: { me: PersonFragment }) {
  const today = todayIn(me.timezone);
  const [start, setStart] = useState(today);
  const range = weekOf(start, me.timezone);
  const [sessions] = useQuery({ query: WeekDocument, variables: { ...range, coachId: me.id } });
  const [classes] = useQuery({ query: CoachClassesDocument, variables: { ...range, coachId: me.id } });
  useSubscription({ query: ClassChangedDocument, variables: range });

  const rows: DayEntry[] = [];
  for (const { node: s } of sessions.data?.sessions.edges ?? []) {
    rows.push({ key: `s${s.id}`, start: s.startTime, end: s.endTime, state: s.status, content: <SessionRow session={s} /> });
  }
  for (const { node: c } of classes.data?.classSessions.edges ?? []) {
    rows.push({
      key: `c${c.id}`, start: c.startTime, end: c.endTime, state: c.status,
      content: (
        <>
          <span class="what">{c.classType.name} (class)</span>
          <span class="detail">{c.room.name}</span>
          <span class="status places">{c.status === 'CANCELLED' ? 'Cancelled' : `${c.bookedCount}/${c.capacity} booked${c.waitlistCount ? ` · ${c.waitlistCount} waiting` : ''}`}</span>
          <a href={href('class', c.id)}>Roster and attendance</a>
        </>
      ),
    });
  }
  const loaded = sessions.data && classes.data;
  return (
    <section aria-labelledby="coach-week-title">
      <h1 id="coach-week-title">My week</h1>
      <WeekNav start={start} today={today} onChange={setStart} />
      {!loaded && <QueryState fetching={sessions.fetching || classes.fetching} error={sessions.error ?? classes.error} what="your week" />}
      {loaded && rows.length === 0 && <Empty>Nothing booked with you this week.</Empty>}
      <DayList entries={rows} zone={me.timezone} />
    </section>
  );
}

function SessionRow({ session: s }: { session: SessionItemFragment }) {
  const complete = useAction(CompleteSessionDocument);
  const noShow = useAction(MarkNoShowDocument);
  const cancel = useAction(CancelSessionDocument);
  const now = Date.now();
  const started = Date.parse(s.startTime) <= now;
  const correctable = now <= Date.parse(s.endTime) + CORRECTION_MS;
  const pending = complete.pending || noShow.pending;
  return (
    <>
      <span class="what">{s.member.name}</span>
      <span class="detail">{s.room.name}{s.recurringBooking ? ' · weekly series' : ''}</span>
      <span class="status">{statusText(s.status, s.cancellationReason)}</span>
      {started && correctable && s.status !== 'CANCELLED' && (
        <span class="attendance" role="group" aria-label={`Attendance of ${s.member.name}`}>
          <button type="button" aria-pressed={s.status === 'COMPLETED'} disabled={pending || s.status === 'COMPLETED'} onClick={() => complete.run({ id: s.id })}>Attended</button>
          <button type="button" aria-pressed={s.status === 'NO_SHOW'} disabled={pending || s.status === 'NO_SHOW'} onClick={() => noShow.run({ id: s.id })}>No-show</button>
        </span>
      )}
      {!started && s.status === 'SCHEDULED' && (
        <ConfirmButton label="Cancel…" question={`Cancel this session? ${s.member.name} is told.`} confirm="Yes, cancel it"
          pending={cancel.pending} problem={cancel.problem} onConfirm={() => cancel.run({ id: s.id })} />
      )}
      <Problem text={complete.problem ?? noShow.problem} />
    </>
  );
}
