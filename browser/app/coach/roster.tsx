// One class: who is booked (attendance from its start, corrections for 7 days) and the waitlist in order.
import { useQuery } from '@urql/preact';
import { MarkAttendanceDocument, RosterDocument, type PersonFragment } from '../generated/graphql';
import { href } from '../route';
import { whenLabel } from '../time';
import { useAction } from '../ui/action';
import { ENROLLMENT_STATUS } from '../ui/labels';
import { Empty, Problem, QueryState } from '../ui/status';

const SEATED = ['BOOKED', 'ATTENDED', 'NO_SHOW'];

export function Roster({ me, id }: { me: PersonFragment; id: string }) {
  const [roster] = useQuery({ query: RosterDocument, variables: { id } });
  const mark = useAction(MarkAttendanceDocument, { CONFLICT: 'Attendance can be taken from the start of the class until 7 days after it.' });
  const c = roster.data?.classSession;
  if (!c) {
    return (
      <section>
        <h1>Class roster</h1>
        {roster.data ? <Empty>That class does not exist or is not yours.</Empty> : <QueryState fetching={roster.fetching} error={roster.error} what="the roster" />}
      </section>
    );
  }
  const started = Date.parse(c.startTime) <= Date.now();
  const seated = c.enrollments.filter((e) => SEATED.includes(e.status));
  const waiting = c.enrollments.filter((e) => e.status === 'WAITLISTED' || e.status === 'OFFERED').sort((a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0));
  return (
    <section aria-labelledby="roster-title">
      <p><a href={href('week')}>‹ Back to my week</a></p>
      <h1 id="roster-title">{c.classType.name}, {whenLabel(c.startTime, c.endTime, me.timezone)}</h1>
      <p>{c.room.name} · {c.bookedCount} of {c.capacity} places booked{c.status === 'CANCELLED' ? ' · cancelled' : ''}</p>
      {!started && seated.length > 0 && <p class="hint">Attendance can be taken once the class has started.</p>}
      <h2>Booked</h2>
      {seated.length === 0 ? <Empty>Nobody is booked yet.</Empty> : (
        <ul class="items">
          {seated.map((e) => (
            <li key={e.id} class="item" data-enrollment-id={e.id} data-state={e.status}>
              <span class="what">{e.member.name}</span>
              <span class="status">{ENROLLMENT_STATUS[e.status]}</span>
              <span class="attendance" role="group" aria-label={`Attendance of ${e.member.name}`}>
                <button type="button" aria-pressed={e.status === 'ATTENDED'} disabled={!started || mark.pending || e.status === 'ATTENDED'} onClick={() => mark.run({ id: e.id, status: 'ATTENDED' })}>Attended</button>
                <button type="button" aria-pressed={e.status === 'NO_SHOW'} disabled={!started || mark.pending || e.status === 'NO_SHOW'} onClick={() => mark.run({ id: e.id, status: 'NO_SHOW' })}>No-show</button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <Problem text={mark.problem} />
      <h2>Waitlist</h2>
      {waiting.length === 0 ? <Empty>Nobody is waiting.</Empty> : (
        <ol class="items">
          {waiting.map((e) => <li key={e.id} class="item" data-state={e.status}><span class="what">{e.member.name}</span><span class="status">{ENROLLMENT_STATUS[e.status]}</span></li>)}
        </ol>
      )}
    </section>
  );
}
