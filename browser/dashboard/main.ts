// The front-desk board: sign in by emailed code, then the day's sessions and classes by
// coach or room, live over graphql-ws, with complete / no-show / cancel for staff and
// check-in from a class's roster.
import { ApiError, AUTH_FIELDS, anonymous, call, tokens, type Person } from './api.js';
import { formatDay, formatRange } from './format.js';
import { startLive, type ConnectionState } from './live.js';
import { renderBoard, type Action, type BoardClass, type GroupBy, type Session } from './render.js';
import { openRoster, wireRoster } from './roster.js';

const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
const day = { date: meta('board-date'), from: Date.parse(meta('board-from')), to: Date.parse(meta('board-to')) };
const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const ui = {
  message: byId<HTMLParagraphElement>('message'),
  connection: byId('connection'),
  who: byId('who'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  signIn: byId('sign-in'),
  emailForm: byId<HTMLFormElement>('email-form'),
  codeForm: byId<HTMLFormElement>('code-form'),
  codeHint: byId('code-hint'),
  board: byId('board'),
  summary: byId('summary'),
  columns: byId('columns'),
  groupBy: byId<HTMLSelectElement>('group-by'),
  cancelDialog: byId<HTMLDialogElement>('cancel-dialog'),
  cancelForm: byId<HTMLFormElement>('cancel-form'),
  cancelWhat: byId('cancel-what'),
  rosterDialog: byId<HTMLDialogElement>('roster-dialog'),
};

const SESSION_FIELDS = 'id status startTime endTime cancellationReason coach { id name } member { id name } room { id name }';
const SESSIONS = `query BoardSessions($filter: SessionFilter, $after: String) {
  sessions(filter: $filter, first: 200, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${SESSION_FIELDS} } } }
}`;
const EVENTS = `subscription BoardEvents { sessionChanged { kind session { ${SESSION_FIELDS} } } }`;
const CLASS_FIELDS = 'id status startTime endTime cancellationReason capacity bookedCount waitlistCount classType { name } coach { id name } room { id name }';
const CLASSES = `query BoardClasses($filter: ClassSessionFilter, $after: String) {
  classSessions(filter: $filter, first: 200, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${CLASS_FIELDS} } } }
}`;
const CLASS_EVENTS = `subscription BoardClassEvents($from: DateTime, $to: DateTime) { classSessionChanged(from: $from, to: $to) { ${CLASS_FIELDS} } }`;
const MUTATIONS: Record<Exclude<Action, 'cancel'>, string> = {
  complete: `mutation Complete($id: ID!) { completeSession(id: $id) { ${SESSION_FIELDS} } }`,
  'no-show': `mutation NoShow($id: ID!) { markNoShow(id: $id) { ${SESSION_FIELDS} } }`,
};
const CANCEL = `mutation Cancel($id: ID!, $reason: String) { cancelSession(id: $id, reason: $reason) { ${SESSION_FIELDS} } }`;

const sessions = new Map<string, Session>();
const classes = new Map<string, BoardClass>();
let me: Person | null = null;
let live: { stop(): void } | null = null;
let groupBy: GroupBy = sessionStorage.getItem('board.groupBy') === 'room' ? 'room' : 'coach';

function showMessage(text: string | null): void {
  ui.message.hidden = !text;
  ui.message.textContent = text ?? '';
}

function setConnection(state: ConnectionState): void {
  ui.connection.dataset.state = state;
  ui.connection.textContent = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }[state];
}

const canAct = () => me?.role === 'OWNER' || me?.role === 'COACH';

/** Renders the whole day again, keeping keyboard focus on the same card (and button, if it is still there). */
function render(): void {
  const active = document.activeElement instanceof HTMLElement && ui.columns.contains(document.activeElement) ? document.activeElement : null;
  const focused = active?.closest<HTMLElement>('[data-session-id], [data-class-id]');
  const selector = focused?.dataset.sessionId ? `[data-session-id="${CSS.escape(focused.dataset.sessionId)}"]` : focused?.dataset.classId ? `[data-class-id="${CSS.escape(focused.dataset.classId)}"]` : null;
  const focusedAction = active?.dataset.action;
  renderBoard(ui.columns, ui.summary, sessions.values(), classes.values(), groupBy, canAct());
  if (!selector) return;
  const card = ui.columns.querySelector<HTMLElement>(selector);
  const button = focusedAction ? card?.querySelector<HTMLButtonElement>(`[data-action="${focusedAction}"]:not(:disabled)`) : null;
  (button ?? card)?.focus();
}

function upsert<T extends { id: string; startTime: string }>(into: Map<string, T>, item: T): void {
  const start = Date.parse(item.startTime);
  if (start >= day.from && start < day.to) into.set(item.id, item);
  else into.delete(item.id); // moved to another day
  render();
}

type Page<T> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: T }[] };

/** Every page of a connection over the day. */
async function loadDay<T>(query: string, field: string): Promise<T[]> {
  const loaded: T[] = [];
  let after: string | null = null;
  do {
    const data: Record<string, Page<T>> = await call(query, { filter: { from: new Date(day.from).toISOString(), to: new Date(day.to).toISOString() }, after });
    const page = data[field]!;
    loaded.push(...page.edges.map((edge) => edge.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return loaded;
}

/** The truth from the sessions and classes queries: at start and after every reconnection (events missed meanwhile are lost). */
let resyncs = 0;
async function resync(): Promise<void> {
  const mine = ++resyncs; // only the latest load may replace the board
  try {
    const [loadedSessions, loadedClasses] = await Promise.all([loadDay<Session>(SESSIONS, 'sessions'), loadDay<BoardClass>(CLASSES, 'classSessions')]);
    if (mine !== resyncs) return;
    sessions.clear();
    for (const session of loadedSessions) sessions.set(session.id, session);
    classes.clear();
    for (const c of loadedClasses) classes.set(c.id, c);
    render();
    ui.board.dataset.syncedAt = new Date().toISOString();
    showMessage(null);
  } catch (error) {
    handle(error);
  }
}

function handle(error: unknown): void {
  if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return signOut('Your sign-in has expired. Please sign in again.');
  showMessage(error instanceof Error ? error.message : String(error));
}

async function startBoard(): Promise<void> {
  // The day loads while we ask who is signed in (one round trip less before the first paint).
  void resync();
  try {
    me = (await call<{ me: Person }>('query Me { me { id name role } }')).me;
  } catch (error) {
    return handle(error);
  }
  render(); // now with the actions this person may take
  ui.who.textContent = `${me.name} · ${me.role.toLowerCase()}`;
  ui.signOut.hidden = false;
  ui.signIn.hidden = true;
  ui.board.hidden = false;
  setConnection('connecting');
  // The day again after every (re)connection of the websocket: whatever changed before
  // the subscription listened is then on the board too.
  live = startLive({
    subscriptions: [
      { query: EVENTS, onEvent: (data) => upsert(sessions, (data as { sessionChanged: { session: Session } }).sessionChanged.session) },
      {
        query: CLASS_EVENTS,
        variables: { from: new Date(day.from).toISOString(), to: new Date(day.to).toISOString() },
        onEvent: (data) => upsert(classes, (data as { classSessionChanged: BoardClass }).classSessionChanged),
      },
    ],
    onConnected: () => void resync(),
    onState: setConnection,
    onSignedOut: () => signOut('Your sign-in has expired. Please sign in again.'),
  });
}

function signOut(message?: string): void {
  live?.stop();
  live = null;
  tokens.clear();
  me = null;
  sessions.clear();
  classes.clear();
  if (ui.rosterDialog.open) ui.rosterDialog.close();
  ui.columns.replaceChildren();
  ui.board.hidden = true;
  ui.signOut.hidden = true;
  ui.who.textContent = '';
  ui.connection.textContent = '';
  showSignIn();
  showMessage(message ?? null);
}

// ---- sign-in by emailed code ----

let signInEmail = '';

function showSignIn(): void {
  ui.signIn.hidden = false;
  ui.emailForm.hidden = false;
  ui.codeForm.hidden = true;
  ui.emailForm.querySelector<HTMLInputElement>('input[name=email]')?.focus();
}

function signInError(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  if (error.code === 'RATE_LIMITED') return `Too many attempts. Try again in ${Math.ceil((error.retryAfterSeconds ?? 60) / 60)} minute(s).`;
  if (error.code === 'UNAUTHENTICATED') return 'That code is wrong or has expired. Check the latest email, or ask for a new code.';
  return error.message;
}

async function busy(form: HTMLFormElement, work: () => Promise<void>): Promise<void> {
  const buttons = [...form.querySelectorAll('button')];
  for (const button of buttons) button.disabled = true;
  try {
    await work();
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

// The code step shows at once, before the request returns: the code may arrive sooner than the
// answer, and keys typed meanwhile must land in the code field, not in the email field behind it.
ui.emailForm.addEventListener('submit', (event) => {
  event.preventDefault();
  signInEmail = new FormData(ui.emailForm).get('email')!.toString().trim();
  showMessage(null);
  ui.codeForm.reset();
  ui.emailForm.hidden = true;
  ui.codeForm.hidden = false;
  ui.codeHint.textContent = `Sending a code to ${signInEmail}…`;
  ui.codeForm.querySelector<HTMLInputElement>('input[name=code]')?.focus();
  void anonymous('mutation RequestCode($email: String!) { requestSignInCode(email: $email) }', { email: signInEmail }).then(
    () => {
      ui.codeHint.textContent = `If ${signInEmail} has an account, a 6-digit code is on its way. It is valid for 10 minutes.`;
    },
    (error: unknown) => {
      showSignIn();
      showMessage(signInError(error));
    },
  );
});

ui.codeForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const code = new FormData(ui.codeForm).get('code')!.toString().replace(/\s+/g, ''); // "123 456" as pasted from some mail apps
  void busy(ui.codeForm, async () => {
    try {
      const data = await anonymous<{ signInWithCode: Parameters<typeof tokens.store>[0] }>(
        `mutation SignIn($email: String!, $code: String!) { signInWithCode(email: $email, code: $code) { ${AUTH_FIELDS} } }`,
        { email: signInEmail, code },
      );
      tokens.store(data.signInWithCode);
      showMessage(null);
      await startBoard();
    } catch (error) {
      showMessage(signInError(error));
    }
  });
});

byId('code-back').addEventListener('click', showSignIn);
// Signing out revokes the refresh token on the server too (best effort: the tab forgets it either way).
ui.signOut.addEventListener('click', () => {
  const refreshToken = tokens.refresh;
  const revoke = refreshToken ? call('mutation SignOut($refreshToken: String!) { signOut(refreshToken: $refreshToken) }', { refreshToken }).catch(() => undefined) : Promise.resolve();
  void revoke.finally(() => signOut());
});

// ---- actions ----

let cancelling: string | null = null;

// Sessions with a request in flight. Buttons are not disabled meanwhile: a disabled
// button loses keyboard focus, and the person would be thrown back to the top.
const inFlight = new Set<string>();

async function act(button: HTMLButtonElement, id: string, action: Action, reason?: string): Promise<void> {
  if (inFlight.has(id)) return;
  inFlight.add(id);
  button.setAttribute('aria-busy', 'true');
  try {
    const data = await call<Record<string, Session>>(action === 'cancel' ? CANCEL : MUTATIONS[action], action === 'cancel' ? { id, reason } : { id });
    showMessage(null);
    upsert(sessions, Object.values(data)[0]!);
  } catch (error) {
    handle(error);
    button.removeAttribute('aria-busy');
  } finally {
    inFlight.delete(id);
  }
}

ui.columns.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
  const classId = button?.dataset.action === 'roster' ? button.closest<HTMLElement>('[data-class-id]')?.dataset.classId : undefined;
  if (classId) return openRoster(ui.rosterDialog, classId, handle);
  const id = button?.closest<HTMLElement>('[data-session-id]')?.dataset.sessionId;
  if (!button || !id) return;
  const action = button.dataset.action as Action;
  if (action !== 'cancel') return void act(button, id, action);
  const session = sessions.get(id);
  cancelling = id;
  ui.cancelForm.reset();
  ui.cancelDialog.returnValue = '';
  ui.cancelWhat.textContent = session ? `${formatRange(session.startTime, session.endTime)} · ${session.member.name} with ${session.coach.name}` : '';
  ui.cancelDialog.showModal();
});

ui.cancelDialog.addEventListener('close', () => {
  const id = cancelling;
  cancelling = null;
  if (ui.cancelDialog.returnValue !== 'confirm' || !id) return;
  const reason = new FormData(ui.cancelForm).get('reason')!.toString().trim();
  const button = ui.columns.querySelector<HTMLButtonElement>(`[data-session-id="${CSS.escape(id)}"] [data-action="cancel"]`);
  if (button) void act(button, id, 'cancel', reason);
});
byId('cancel-back').addEventListener('click', () => ui.cancelDialog.close('back'));
wireRoster(ui.rosterDialog, handle);

ui.groupBy.value = groupBy;
ui.groupBy.addEventListener('change', () => {
  groupBy = ui.groupBy.value === 'room' ? 'room' : 'coach';
  sessionStorage.setItem('board.groupBy', groupBy);
  render();
});

// Complete and no-show become possible when a session starts: look again every half minute.
setInterval(() => {
  if (me) render();
}, 30_000);

// "Today" (no date in the address) turns into tomorrow at the studio's midnight: a tablet left
// on overnight shows the new day. (Timers longer than about 24.8 days would overflow: not an issue for one day.)
if (!new URLSearchParams(location.search).get('date')) {
  setTimeout(() => location.reload(), Math.max(0, day.to - Date.now()) + 1_000);
}

byId('day-label').textContent = formatDay(day.date);
if (tokens.access) void startBoard();
else showSignIn();
