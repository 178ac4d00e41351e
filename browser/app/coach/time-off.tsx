// Extra hours and time off. Blocking time cancels what is booked in it, so the effect is shown first.
import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import {
  AddWindowDocument, BlockEffectDocument, BlockTimeDocument, RemoveBlockDocument, RemoveWindowDocument, TimeOffDocument,
  type PersonFragment,
} from '../generated/graphql';
import { addDays, instantOf, rangeLabel, todayIn, whenLabel } from '../time';
import { useAction } from '../ui/action';
import { Empty, Problem, QueryState } from '../ui/status';

export function TimeOff({ me }: { me: PersonFragment }) {
  const [from] = useState(() => new Date().toISOString());
  const [windows] = useQuery({ query: TimeOffDocument, variables: { coachId: me.id, from } });
  const remove = useAction(RemoveWindowDocument);
  const unblock = useAction(RemoveBlockDocument);
  const data = windows.data;
  return (
    <section aria-labelledby="time-off-title">
      <h1 id="time-off-title">Extra hours and time off</h1>
      <WindowForm me={me} />
      {!data && <QueryState fetching={windows.fetching} error={windows.error} what="your extra hours and time off" />}
      {data && (
        <>
          <h2>Time off ahead</h2>
          {data.availabilityBlocks.length === 0 ? <Empty>No time off ahead.</Empty> : (
            <ul class="items">
              {data.availabilityBlocks.map((block) => (
                <li key={block.id} class="item" data-block-id={block.id}>
                  <span class="when">{whenLabel(block.startTime, block.endTime, me.timezone)}</span>
                  <span class="what">{block.reason ?? 'Time off'}</span>
                  <button type="button" class="secondary" disabled={unblock.pending} onClick={() => unblock.run({ id: block.id })}>Remove</button>
                </li>
              ))}
            </ul>
          )}
          <Problem text={unblock.problem} />
          <h2>Extra hours ahead</h2>
          {data.availabilityAdditions.length === 0 ? <Empty>No extra hours ahead.</Empty> : (
            <ul class="items">
              {data.availabilityAdditions.map((extra) => (
                <li key={extra.id} class="item">
                  <span class="when">{whenLabel(extra.startTime, extra.endTime, me.timezone)}</span>
                  <span class="what">{extra.note ?? 'Extra hours'}</span>
                  <button type="button" class="secondary" disabled={remove.pending} onClick={() => remove.run({ id: extra.id })}>Remove</button>
                </li>
              ))}
            </ul>
          )}
          <Problem text={remove.problem} />
        </>
      )}
    </section>
  );
}

function WindowForm({ me }: { me: PersonFragment }) {
  const [kind, setKind] = useState<'block' | 'extra'>('block');
  const [date, setDate] = useState(addDays(todayIn(me.timezone), 1));
  const [start, setStart] = useState('13:00');
  const [end, setEnd] = useState('18:00');
  const [note, setNote] = useState('');
  const [checking, setChecking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const add = useAction(AddWindowDocument, { CONFLICT: 'Those hours overlap extra hours you already have.' });
  const block = useAction(BlockTimeDocument, { CONFLICT: 'That overlaps time off you already have.' });
  const input = { startTime: instantOf(date, start, me.timezone), endTime: instantOf(date, end, me.timezone), note: note || undefined };
  const edit = (apply: () => void) => { apply(); setChecking(false); setDone(null); };

  async function submit(event: Event) {
    event.preventDefault();
    if (kind === 'block' && !checking) return setChecking(true);
    const ok = kind === 'block' ? await block.run({ input }) : await add.run({ input });
    if (ok) {
      setDone(`${kind === 'block' ? 'Time off' : 'Extra hours'} saved: ${whenLabel(input.startTime, input.endTime, me.timezone)}.`);
      setChecking(false);
    }
  }
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="window-title">
      <h2 id="window-title">Add</h2>
      <fieldset>
        <legend>What</legend>
        <label class="choice"><input type="radio" name="kind" checked={kind === 'block'} onChange={() => edit(() => setKind('block'))} /> Time off (nobody can book me)</label>
        <label class="choice"><input type="radio" name="kind" checked={kind === 'extra'} onChange={() => edit(() => setKind('extra'))} /> Extra hours (bookable)</label>
      </fieldset>
      <div class="row">
        <label>Date <input type="date" required value={date} onInput={(e) => edit(() => setDate(e.currentTarget.value))} /></label>
        <label>From <input type="time" required value={start} onInput={(e) => edit(() => setStart(e.currentTarget.value))} /></label>
        <label>To <input type="time" required value={end} onInput={(e) => edit(() => setEnd(e.currentTarget.value))} /></label>
        <label>{kind === 'block' ? 'Reason (only you and the studio see it)' : 'Note'} <input value={note} maxLength={200} onInput={(e) => edit(() => setNote(e.currentTarget.value))} /></label>
      </div>
      {checking && <BlockEffect me={me} from={input.startTime} to={input.endTime} />}
      <Problem text={add.problem ?? block.problem} />
      {done && <p class="done" role="status">{done}</p>}
      <button type="submit" disabled={add.pending || block.pending}>{kind === 'extra' ? 'Add extra hours' : checking ? 'Confirm time off' : 'Check what this cancels'}</button>
      {checking && <button type="button" class="secondary" onClick={() => setChecking(false)}>Not now</button>}
    </form>
  );
}

/** What blocking from..to would cancel: the booked sessions and classes in it. */
function BlockEffect({ me, from, to }: { me: PersonFragment; from: string; to: string }) {
  const [effect] = useQuery({ query: BlockEffectDocument, variables: { coachId: me.id, from, to }, requestPolicy: 'network-only' });
  if (!effect.data) return <QueryState fetching={effect.fetching} error={effect.error} what="what this cancels" />;
  const sessions = effect.data.sessions.edges.map((edge) => edge.node);
  const classes = effect.data.classSessions.edges.map((edge) => edge.node);
  if (sessions.length === 0 && classes.length === 0) return <p class="effect" role="status">Nothing is booked then: nothing will be cancelled.</p>;
  return (
    <div class="effect" role="status">
      <p>This cancels {sessions.length} {sessions.length === 1 ? 'session' : 'sessions'}{classes.length ? ` and ${classes.length} ${classes.length === 1 ? 'class' : 'classes'}` : ''}; everyone booked is told:</p>
      <ul>
        {sessions.map((s) => <li key={s.id}>{rangeLabel(s.startTime, s.endTime, me.timezone)} {s.member.name}</li>)}
        {classes.map((c) => <li key={c.id}>{rangeLabel(c.startTime, c.endTime, me.timezone)} {c.classType.name} ({c.bookedCount} booked)</li>)}
      </ul>
    </div>
  );
}
