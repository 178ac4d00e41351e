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

export type GroupBy = 'coach' | 'room';
export type Action = 'complete' | 'no-show' | 'cancel';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function actionButton(action: Action, label: string, session: Session, disabledReason?: string): HTMLButtonElement {
  const button = element('button', `action ${action}`, label);
  button.type = 'button';
  button.dataset.action = action;
  button.setAttribute('aria-label', `${label}: ${session.member.name}, ${formatRange(session.startTime, session.endTime)}`);
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
    actions.append(actionButton('complete', 'Complete', session, notYet), actionButton('no-show', 'No-show', session, notYet), actionButton('cancel', 'Cancel…', session));
    article.append(actions);
  }
  return article;
}

/** Columns by coach or room, each sorted by time; a summary line of the day's counts. */
export function renderBoard(container: HTMLElement, summary: HTMLElement, sessions: Iterable<Session>, groupBy: GroupBy, canAct: boolean): void {
  const groups = new Map<string, { name: string; sessions: Session[] }>();
  const counts: Record<string, number> = {};
  let total = 0;
  for (const session of sessions) {
    const key = groupBy === 'coach' ? session.coach : session.room;
    let group = groups.get(key.id);
    if (!group) groups.set(key.id, (group = { name: key.name, sessions: [] }));
    group.sessions.push(session);
    counts[session.status] = (counts[session.status] ?? 0) + 1;
    total += 1;
  }
  const now = Date.now();
  const fragment = document.createDocumentFragment();
  for (const [id, group] of [...groups].sort(([, a], [, b]) => a.name.localeCompare(b.name))) {
    const column = element('section', 'column');
    column.dataset.groupId = id;
    const heading = element('h2', undefined, group.name);
    heading.id = `group-${id}`;
    column.setAttribute('aria-labelledby', heading.id);
    const list = element('div', 'sessions');
    group.sessions.sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
    for (const session of group.sessions) list.append(card(session, groupBy, canAct, now));
    column.append(heading, list);
    fragment.append(column);
  }
  if (total === 0) fragment.append(element('p', 'empty', 'No sessions on this day.'));
  container.replaceChildren(fragment);
  const parts = Object.entries(STATUS_LABELS).filter(([status]) => counts[status]).map(([status, label]) => `${counts[status]} ${label.toLowerCase()}`);
  summary.textContent = `${total} ${total === 1 ? 'session' : 'sessions'}${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
}
