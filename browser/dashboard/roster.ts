// A class's roster in a dialog: check-in (ATTENDED / NO_SHOW) from the class's start,
// corrections later; the waitlist and open offers below, in line order.
import { ApiError, call } from './api.js';
import { formatRange } from './format.js';
import { element } from './render.js';

interface RosterEntry { id: string; status: string; waitlistPosition: number | null; member: { id: string; name: string } }
interface RosterClass { id: string; startTime: string; endTime: string; classType: { name: string }; enrollments: RosterEntry[] }

const ROSTER = `query Roster($id: ID!) {
  classSession(id: $id) { id startTime endTime classType { name }
    enrollments(status: [BOOKED, ATTENDED, NO_SHOW, OFFERED, WAITLISTED], first: 500) { id status waitlistPosition member { id name } } }
}`;
const MARK = `mutation MarkAttendance($enrollmentId: ID!, $status: EnrollmentStatus!) {
  markAttendance(enrollmentId: $enrollmentId, status: $status) { id status waitlistPosition member { id name } }
}`;

const LABELS: Record<string, string> = { BOOKED: 'Booked', ATTENDED: 'Attended', NO_SHOW: 'No-show', OFFERED: 'Offered a place' };
const MARKS = [['ATTENDED', 'Attended'], ['NO_SHOW', 'No-show']] as const;

function row(entry: RosterEntry, started: boolean): HTMLLIElement {
  const li = element('li', 'entry');
  li.dataset.enrollmentId = entry.id;
  li.dataset.status = entry.status;
  const label = entry.status === 'WAITLISTED' ? `Waiting, number ${entry.waitlistPosition ?? '?'}` : (LABELS[entry.status] ?? entry.status);
  li.append(element('span', 'member', entry.member.name), element('span', 'status', label));
  if (['BOOKED', 'ATTENDED', 'NO_SHOW'].includes(entry.status)) {
    const marks = element('div', 'actions');
    for (const [status, text] of MARKS) {
      const button = element('button', 'mark', text);
      button.type = 'button';
      button.dataset.mark = status;
      button.setAttribute('aria-pressed', String(entry.status === status));
      button.setAttribute('aria-label', `${text}: ${entry.member.name}`);
      if (!started) {
        button.disabled = true;
        button.title = 'Check-in opens when the class starts';
      }
      marks.append(button);
    }
    li.append(marks);
  }
  return li;
}

/** An error shows in the dialog; a sign-in that ended closes it and goes to the board (`onSignedOut`). */
function fail(dialog: HTMLDialogElement, error: unknown, onSignedOut: (error: unknown) => void): void {
  if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
    dialog.close();
    onSignedOut(error);
    return;
  }
  const message = dialog.querySelector<HTMLElement>('#roster-error')!;
  message.hidden = false;
  message.textContent = error instanceof Error ? error.message : String(error);
}

/** Opens the roster of one class. */
export function openRoster(dialog: HTMLDialogElement, classId: string, onSignedOut: (error: unknown) => void): void {
  const title = dialog.querySelector<HTMLElement>('#roster-what')!;
  const list = dialog.querySelector<HTMLUListElement>('#roster-list')!;
  dialog.querySelector<HTMLElement>('#roster-error')!.hidden = true;
  title.textContent = 'Loading…';
  list.replaceChildren();
  dialog.dataset.classId = classId;
  dialog.showModal();
  void call<{ classSession: RosterClass | null }>(ROSTER, { id: classId }).then(
    ({ classSession: cls }) => {
      if (!cls || dialog.dataset.classId !== classId) return;
      const started = Date.parse(cls.startTime) <= Date.now();
      title.textContent = `${cls.classType.name} · ${formatRange(cls.startTime, cls.endTime)}`;
      if (cls.enrollments.length === 0) list.append(element('li', 'empty', 'Nobody has a place yet.'));
      for (const entry of cls.enrollments) list.append(row(entry, started));
    },
    (error: unknown) => fail(dialog, error, onSignedOut),
  );
}

/** Wires the roster's buttons once: a mark is sent and its row redrawn from the answer, focus kept on the pressed button. */
export function wireRoster(dialog: HTMLDialogElement, onSignedOut: (error: unknown) => void): void {
  const list = dialog.querySelector<HTMLUListElement>('#roster-list')!;
  list.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-mark]');
    const li = button?.closest<HTMLLIElement>('[data-enrollment-id]');
    if (!button || !li || button.getAttribute('aria-busy')) return;
    const status = button.dataset.mark!;
    button.setAttribute('aria-busy', 'true');
    void call<{ markAttendance: RosterEntry }>(MARK, { enrollmentId: li.dataset.enrollmentId, status }).then(
      ({ markAttendance: entry }) => {
        dialog.querySelector<HTMLElement>('#roster-error')!.hidden = true;
        const next = row(entry, true);
        li.replaceWith(next);
        next.querySelector<HTMLButtonElement>(`button[data-mark="${status}"]`)?.focus();
      },
      (error: unknown) => {
        button.removeAttribute('aria-busy');
        fail(dialog, error, onSignedOut);
      },
    );
  });
}
