// Weekly series: the member's own, or those booked with a coach; cancel, change or pause them from a date.
import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { CancelSeriesDocument, RemovePauseDocument, SeriesDocument, type PersonFragment, type SeriesItemFragment } from '../generated/graphql';
import { dateLabel, everyLabel } from '../time';
import { useAction } from '../ui/action';
import { ConfirmButton } from '../ui/confirm';
import { Empty, Problem, QueryState } from '../ui/status';
import { ChangeSeriesForm, PauseSeriesForm } from './series-forms';

export function SeriesList({ me, coachId, title }: { me: PersonFragment; coachId?: string; title: string }) {
  const [series] = useQuery({ query: SeriesDocument, variables: { coachId, status: 'ACTIVE' } });
  const list = series.data?.recurringBookings ?? [];
  return (
    <section aria-labelledby="series-title">
      <h1 id="series-title">{title}</h1>
      {!series.data && <QueryState fetching={series.fetching} error={series.error} what="the series" />}
      {series.data && list.length === 0 && <Empty>No weekly series. {coachId ? '' : <a href="#/book">Book one from a free slot.</a>}</Empty>}
      <ul class="cards">
        {list.map((item) => <SeriesCard key={item.id} me={me} item={item} forCoach={coachId !== undefined} />)}
      </ul>
    </section>
  );
}

function SeriesCard({ me, item, forCoach }: { me: PersonFragment; item: SeriesItemFragment; forCoach: boolean }) {
  const [open, setOpen] = useState<'change' | 'pause' | null>(null);
  const cancel = useAction(CancelSeriesDocument);
  const removePause = useAction(RemovePauseDocument);
  const other = item.timezone !== me.timezone ? ` (${item.timezone})` : '';
  const length = item.occurrences ? `${item.occurrences} sessions` : 'until cancelled';
  return (
    <li class="card" data-series-id={item.id}>
      <h2>{everyLabel(item.dayOfWeek, item.intervalWeeks)} {item.startTime}–{item.endTime}{other}</h2>
      <p>{forCoach ? item.member.name : `with ${item.coach.name}`} · {item.room.name}</p>
      <p>From {dateLabel(item.startDate)}{item.endDate ? ` to ${dateLabel(item.endDate)}` : ''} · {length}</p>
      {item.pauses.length > 0 && (
        <ul class="pauses" aria-label="Pauses">
          {item.pauses.map((pause) => (
            <li key={pause.id}>
              Paused {dateLabel(pause.from)} – {dateLabel(pause.to)}{pause.reason ? `: ${pause.reason}` : ''}{' '}
              <button type="button" class="secondary" disabled={removePause.pending} onClick={() => removePause.run({ id: pause.id })}>End the pause</button>
            </li>
          ))}
        </ul>
      )}
      <Problem text={removePause.problem} />
      <div class="actions">
        <button type="button" class="secondary" aria-expanded={open === 'change'} onClick={() => setOpen(open === 'change' ? null : 'change')}>Change from a date…</button>
        <button type="button" class="secondary" aria-expanded={open === 'pause'} onClick={() => setOpen(open === 'pause' ? null : 'pause')}>Pause…</button>
        <ConfirmButton label="Cancel the series…" question="Cancel every session of this series from now on? Past sessions stay as they are." confirm="Yes, cancel the series"
          pending={cancel.pending} problem={cancel.problem} onConfirm={() => cancel.run({ input: { recurringBookingId: item.id, futureOnly: true } })} />
      </div>
      {open === 'change' && <ChangeSeriesForm me={me} item={item} onDone={() => setOpen(null)} />}
      {open === 'pause' && <PauseSeriesForm me={me} item={item} onDone={() => setOpen(null)} />}
    </li>
  );
}
