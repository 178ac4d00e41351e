// The member's week: their sessions and classes, in their timezone, cancellable ahead of time.
import type { ComponentChildren } from 'preact';
import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { CancelEnrollmentDocument, CancelSessionDocument, MyEnrollmentsDocument, WeekDocument, type PersonFragment } from '../generated/graphql';
import { todayIn, weekOf } from '../time';
import { useAction } from '../ui/action';
import { ConfirmButton } from '../ui/confirm';
import { DayList, type DayEntry } from '../ui/day-list';
import { ENROLLMENT_STATUS, statusText } from '../ui/labels';
import { Empty, QueryState } from '../ui/status';
import { WeekNav } from '../ui/week-nav';

export function MyWeek({ me }: { me: PersonFragment }) {
  const today = todayIn(me.timezone);
  const [start, setStart] = useState(today);
  const range = weekOf(start, me.timezone);
  const [sessions] = useQuery({ query: WeekDocument, variables: range });
  const [places] = useQuery({ query: MyEnrollmentsDocument, variables: range });
  const now = Date.now();

  const items: DayEntry[] = [];
  for (const { node: s } of sessions.data?.sessions.edges ?? []) {
    items.push({
      key: `s${s.id}`, start: s.startTime, end: s.endTime, state: s.status,
      content: (
        <Entry title={`Session with ${s.coach.name}`} detail={`${s.room.name}${s.recurringBooking ? ' · weekly series' : ''}`}
          status={statusText(s.status, s.cancellationReason)}>
          {s.status === 'SCHEDULED' && Date.parse(s.startTime) > now && <CancelSession id={s.id} />}
        </Entry>
      ),
    });
  }
  for (const { node: e } of places.data?.enrollments.edges ?? []) {
    const c = e.session;
    const waiting = e.status === 'WAITLISTED' && e.waitlistPosition ? ` (number ${e.waitlistPosition})` : '';
    items.push({
      key: `e${e.id}`, start: c.startTime, end: c.endTime, state: e.status,
      content: (
        <Entry title={`${c.classType.name} with ${c.coach.name}`} detail={c.room.name} status={c.status === 'CANCELLED' ? 'Class cancelled' : ENROLLMENT_STATUS[e.status] + waiting}>
          {['BOOKED', 'WAITLISTED', 'OFFERED'].includes(e.status) && c.status === 'SCHEDULED' && Date.parse(c.startTime) > now && <CancelPlace id={e.id} waiting={e.status !== 'BOOKED'} />}
        </Entry>
      ),
    });
  }
  const loaded = sessions.data && places.data;

  return (
    <section aria-labelledby="week-title">
      <h1 id="week-title">My week</h1>
      <WeekNav start={start} today={today} onChange={setStart} />
      {!loaded && <QueryState fetching={sessions.fetching || places.fetching} error={sessions.error ?? places.error} what="your week" />}
      {loaded && items.length === 0 && <Empty>Nothing booked this week. <a href="#/book">Book a session</a> or <a href="#/classes">find a class</a>.</Empty>}
      <DayList entries={items} zone={me.timezone} />
    </section>
  );
}

function Entry({ title, detail, status, children }: { title: string; detail: string; status: string; children?: ComponentChildren }) {
  return (
    <>
      <span class="what">{title}</span>
      <span class="detail">{detail}</span>
      <span class="status">{status}</span>
      {children}
    </>
  );
}

function CancelSession({ id }: { id: string }) {
  const cancel = useAction(CancelSessionDocument, { CONFLICT: 'This session can no longer be cancelled: it has started or already changed.' });
  return (
    <ConfirmButton label="Cancel…" question="Cancel this session? A late cancellation may be charged." confirm="Yes, cancel it"
      pending={cancel.pending} problem={cancel.problem} onConfirm={() => cancel.run({ id })} />
  );
}

function CancelPlace({ id, waiting }: { id: string; waiting: boolean }) {
  const cancel = useAction(CancelEnrollmentDocument);
  return (
    <ConfirmButton label={waiting ? 'Leave the waitlist…' : 'Cancel my place…'} question={waiting ? 'Leave the waitlist of this class?' : 'Give up your place? A late cancellation may be charged.'}
      confirm={waiting ? 'Yes, leave it' : 'Yes, cancel it'} pending={cancel.pending} problem={cancel.problem} onConfirm={() => cancel.run({ id })} />
  );
}
