// The member's money (statement, credit packs), notification choices and calendar feed.
import { useQuery } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { AccountDocument, RotateCalendarFeedDocument, UpdatePreferencesDocument, type PersonFragment, type PreferencesFragment } from '../generated/graphql';
import { addDays, dateLabel, dayLabel, money, todayIn } from '../time';
import { useAction } from '../ui/action';
import { ConfirmButton } from '../ui/confirm';
import { Empty, Problem, QueryState } from '../ui/status';

export function Account({ me }: { me: PersonFragment }) {
  const today = todayIn(me.timezone);
  const from = addDays(today, -30);
  const [account] = useQuery({ query: AccountDocument, variables: { from, to: today } });
  const data = account.data;
  if (!data) return <section><h1>Account</h1><QueryState fetching={account.fetching} error={account.error} what="your account" /></section>;
  const { memberStatement: statement, creditPacks, calendarFeed } = data;
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      <section aria-labelledby="statement-title">
        <h2 id="statement-title">Statement, {dateLabel(statement.from)} – {dateLabel(statement.to)}</h2>
        {statement.charges.length === 0 ? <Empty>No charges in the last 30 days.</Empty> : (
          <table>
            <thead><tr><th scope="col">Date</th><th scope="col">What</th><th scope="col" class="amount">Amount</th></tr></thead>
            <tbody>
              {statement.charges.map((charge) => (
                <tr key={charge.id}>
                  <td>{dayLabel(charge.createdAt, me.timezone)}</td>
                  <td>{charge.description}{charge.paidWithCredit ? ' (paid with a credit)' : ''}</td>
                  <td class="amount">{money(charge.amountCents, charge.currency)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot><tr><th scope="row" colSpan={2}>Total</th><td class="amount">{money(statement.totalCents, statement.currency)}</td></tr></tfoot>
          </table>
        )}
      </section>
      <section aria-labelledby="packs-title">
        <h2 id="packs-title">Credit packs</h2>
        {creditPacks.length === 0 ? <Empty>No credit packs. The front desk sells them.</Empty> : (
          <ul class="cards">
            {creditPacks.map((pack) => (
              <li key={pack.id} class="card">
                {pack.remaining} of {pack.credits} credits left · bought {dayLabel(pack.purchasedAt, me.timezone)} for {money(pack.priceCents, statement.currency)}
                {pack.expiresAt ? ` · expires ${dayLabel(pack.expiresAt, me.timezone)}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
      <Preferences current={data.notificationPreferences} />
      <CalendarFeed url={calendarFeed.url} />
    </section>
  );
}

const SWITCHES: [keyof Omit<PreferencesFragment, 'reminderLeadMinutes'>, string][] = [
  ['emailConfirmations', 'Bookings and changes'], ['emailReminders', 'Reminders before a session'],
  ['emailCancellations', 'Cancellations'], ['emailBilling', 'Charges and receipts'],
];

function Preferences({ current }: { current: PreferencesFragment }) {
  const [draft, setDraft] = useState(current);
  const [leads, setLeads] = useState(current.reminderLeadMinutes.join(', '));
  const [saved, setSaved] = useState(false);
  useEffect(() => { setDraft(current); setLeads(current.reminderLeadMinutes.join(', ')); }, [current]);
  const save = useAction(UpdatePreferencesDocument);
  async function submit(event: Event) {
    event.preventDefault();
    setSaved(false);
    const reminderLeadMinutes = leads.split(/[\s,]+/).filter(Boolean).map(Number);
    const { emailConfirmations, emailReminders, emailCancellations, emailBilling } = draft;
    if (await save.run({ input: { emailConfirmations, emailReminders, emailCancellations, emailBilling, reminderLeadMinutes } })) setSaved(true);
  }
  return (
    <form onSubmit={submit} aria-labelledby="prefs-title">
      <h2 id="prefs-title">Emails</h2>
      <fieldset>
        <legend>Email me about</legend>
        {SWITCHES.map(([key, label]) => (
          <label key={key} class="choice">
            <input type="checkbox" checked={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.checked })} /> {label}
          </label>
        ))}
      </fieldset>
      <label>Reminders, minutes before a session (e.g. 1440, 120)
        <input value={leads} inputMode="numeric" onInput={(e) => setLeads(e.currentTarget.value)} />
      </label>
      <Problem text={save.problem} />
      {saved && <p class="done" role="status">Saved.</p>}
      <button type="submit" disabled={save.pending}>Save</button>
    </form>
  );
}

function CalendarFeed({ url }: { url: string }) {
  const rotate = useAction(RotateCalendarFeedDocument);
  const [copied, setCopied] = useState(false);
  return (
    <section aria-labelledby="feed-title">
      <h2 id="feed-title">Calendar</h2>
      <p>Add this address to your calendar app to see your sessions there. Keep it private: anyone with it can read your bookings.</p>
      <label>Calendar address <input readOnly value={url} onFocus={(e) => e.currentTarget.select()} /></label>
      <div class="actions">
        <button type="button" class="secondary" onClick={async () => { await navigator.clipboard?.writeText(url); setCopied(true); }}>Copy</button>
        <ConfirmButton label="Make a new address…" question="The old address stops working at once. Make a new one?" confirm="Yes, make a new one" keep="Keep the old one"
          pending={rotate.pending} problem={rotate.problem} onConfirm={() => rotate.run({})} />
      </div>
      {copied && <p class="done" role="status">Copied.</p>}
    </section>
  );
}
