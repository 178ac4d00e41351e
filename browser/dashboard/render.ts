// The board's DOM: built with createElement and textContent only, so a name such
// as <img src=x onerror=alert(1)> is shown as the text it is.
import { formatRange, STATUS_LABELS } from './format.js';

export interface Session {
  id: string;
  status: string;
  startTime: string;
  endTime: string;
  cancellationReason: string | null;
  coach: { id: string; name: string };
  member: { id: string; name: string };
  room: { id: string; name: string };
}

/** A class on the board: its places and line, not its members (the roster loads on demand). */
export interface BoardClass {
  id: string;
  status: string;
  startTime: string;
  endTime: string;
  cancellationReason: string | null;
  capacity: number;
  bookedCount: number;
  waitlistCount: number;
  classType: { name: string };
  coach: { id: string; name: string };
  room: { id: string; name: string };
}

export type GroupBy = 'coach' | 'room';
export type Action = 'complete' | 'no-show' | 'cancel';

/** A new element with its class and text (text, never markup). */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function actionButton(action: Action | 'roster', label: string, what: string, disabledReason?: string): HTMLButtonElement {
  const button = element('button', `action ${action}`, label);
  button.type = 'button';
  button.dataset.action = action;
  button.setAttribute('aria-label', `${label}: ${what}`);
  if (disabledReason) {
    button.disabled = true;
    button.title = disabledReason;
  }
  return button;
}

function card(session: Session, groupBy: GroupBy, canAct: boolean, now: number): HTMLElement {
  const article = element('article', 'session');
  article.tabIndex = -1; // focusable by script: focus stays on a card whose buttons went away
  article.dataset.sessionId = session.id;
  article.dataset.status = session.status;
  const time = formatRange(session.startTime, session.endTime);
  const status = STATUS_LABELS[session.status] ?? session.status;
  article.setAttribute('aria-label', `${time}, ${session.member.name}, ${status}`);

  const head = element('header');
  head.append(element('time', 'time', time), element('span', 'status', status));
  article.append(head, element('p', 'member', session.member.name));
  // The other dimension: the room on a coach's column, the coach on a room's.
  article.append(element('p', 'where', groupBy === 'coach' ? session.room.name : `with ${session.coach.name}`));
  if (session.status === 'CANCELLED' && session.cancellationReason) {
    article.append(element('p', 'reason', `Reason: ${session.cancellationReason}`));
  }
  if (canAct && session.status === 'SCHEDULED') {
    const started = Date.parse(session.startTime) <= now;
    const notYet = started ? undefined : 'Possible once the session has started';
    const actions = element('div', 'actions');
    const what = `${session.member.name}, ${time}`;
    actions.append(actionButton('complete', 'Complete', what, notYet), actionButton('no-show', 'No-show', what, notYet), actionButton('cancel', 'Cancel…', what));
    article.append(actions);
  }
  return article;
}

/** "7/10 booked · 2 waiting": what the front desk needs at a glance. */
export const placesText = (c: BoardClass) => `${c.bookedCount}/${c.capacity} booked${c.waitlistCount > 0 ? ` · ${c.waitlistCount} waiting` : ''}`;

function classCard(c: BoardClass, groupBy: GroupBy, canAct: boolean): HTMLElement {
  const article = element('article', 'session class');
  article.tabIndex = -1;
  article.dataset.classId = c.id;
  article.dataset.status = c.status;
  const time = formatRange(c.startTime, c.endTime);
  const status = STATUS_LABELS[c.status] ?? c.status;
  article.setAttribute('aria-label', `${time}, class ${c.classType.name}, ${placesText(c)}, ${status}`);
  const head = element('header');
  head.append(element('time', 'time', time), element('span', 'status', status));
  article.append(head, element('p', 'member', c.classType.name), element('p', 'places', placesText(c)));
  article.append(element('p', 'where', groupBy === 'coach' ? c.room.name : `with ${c.coach.name}`));
  if (c.status === 'CANCELLED' && c.cancellationReason) article.append(element('p', 'reason', `Reason: ${c.cancellationReason}`));
  // Check-in (and corrections afterwards) from the roster; a cancelled class has none.
  if (canAct && c.status !== 'CANCELLED') {
    const actions = element('div', 'actions');
    actions.append(actionButton('roster', 'Check in…', `${c.classType.name}, ${time}`));
    article.append(actions);
  }
  return article;
}

type Item = { startTime: string; id: string; node: HTMLElement };

/** Columns by coach or room, sessions and classes each sorted by time; a summary line of the day's counts. */
export function renderBoard(container: HTMLElement, summary: HTMLElement, sessions: Iterable<Session>, classes: Iterable<BoardClass>, groupBy: GroupBy, canAct: boolean): void {
  const groups = new Map<string, { name: string; items: Item[] }>();
  const add = (key: { id: string; name: string }, item: Item) => {
    let group = groups.get(key.id);
    if (!group) groups.set(key.id, (group = { name: key.name, items: [] }));
    group.items.push(item);
  };
  const counts: Record<string, number> = {};
  let total = 0;
  const now = Date.now();
  for (const session of sessions) {
    add(groupBy === 'coach' ? session.coach : session.room, { startTime: session.startTime, id: session.id, node: card(session, groupBy, canAct, now) });
    counts[session.status] = (counts[session.status] ?? 0) + 1;
    total += 1;
  }
  let classCount = 0;
  let booked = 0;
  let places = 0;
  for (const c of classes) {
    add(groupBy === 'coach' ? c.coach : c.room, { startTime: c.startTime, id: c.id, node: classCard(c, groupBy, canAct) });
    classCount += 1;
    if (c.status === 'CANCELLED') continue;
    booked += c.bookedCount;
    places += c.capacity;
  }
  const fragment = document.createDocumentFragment();
  for (const [id, group] of [...groups].sort(([, a], [, b]) => a.name.localeCompare(b.name))) {
    const column = element('section', 'column');
    column.dataset.groupId = id;
    const heading = element('h2', undefined, group.name);
    heading.id = `group-${id}`;
    column.setAttribute('aria-labelledby', heading.id);
    const list = element('div', 'sessions');
    group.items.sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
    for (const item of group.items) list.append(item.node);
    column.append(heading, list);
    fragment.append(column);
  }
  if (total + classCount === 0) fragment.append(element('p', 'empty', 'No sessions on this day.'));
  container.replaceChildren(fragment);
  const parts = Object.entries(STATUS_LABELS).filter(([status]) => counts[status]).map(([status, label]) => `${counts[status]} ${label.toLowerCase()}`);
  const classPart = classCount > 0 ? ` · ${classCount} ${classCount === 1 ? 'class' : 'classes'}, ${booked}/${places} places taken` : '';
  summary.textContent = `${total} ${total === 1 ? 'session' : 'sessions'}${parts.length ? ` · ${parts.join(' · ')}` : ''}${classPart}`;
}
