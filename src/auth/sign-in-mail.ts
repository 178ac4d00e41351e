import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/transaction';

/** The outbox's enqueueEmail (src/outbox/outbox.ts): written in the caller's transaction, sent after commit. */
export type EnqueueEmail = (
  tx: Tx,
  email: { to: string; subject: string; text: string; html: string; dedupeKey: string; notificationId?: string | null; dueAt?: Date },
) => Promise<void>;

/** The emails of signing in: codes and invitations. */
export interface SignInMail {
  /** Whether emails reach anyone (SMTP configured); otherwise development logs the code. */
  readonly delivers: boolean;
  signInCode(tx: Tx, to: string, code: string, validMinutes: number): Promise<void>;
  invitation(tx: Tx, user: { id: string; email: string; name: string }): Promise<void>;
}

export interface SignInMailOptions {
  /** null: no SMTP configured, nothing is mailed. */
  enqueue: EnqueueEmail | null;
  /** Where the apps live (PUBLIC_URL), for the invitation's link. */
  publicUrl: string | null;
}

export const NO_MAIL: SignInMail = { delivers: false, signInCode: async () => undefined, invitation: async () => undefined };

export function signInMail({ enqueue, publicUrl }: SignInMailOptions): SignInMail {
  if (!enqueue) return NO_MAIL;
  const site = publicUrl ? publicUrl.replace(/\/+$/, '') : null;
  return {
    delivers: true,
    async signInCode(tx, to, code, validMinutes) {
      const text = `Your sign-in code is ${code}\n\nIt is valid for ${validMinutes} minutes and can be used once.\nIf you did not ask for it, ignore this email: nobody can sign in without the code.\n`;
      const html = `<p>Your sign-in code is</p><p style="font-size:28px;font-weight:bold;letter-spacing:4px">${code}</p><p>It is valid for ${validMinutes} minutes and can be used once.</p><p>If you did not ask for it, ignore this email: nobody can sign in without the code.</p>`;
      // The code is not in the subject: subjects end up in logs and notification previews.
      await enqueue(tx, { to, subject: 'Your sign-in code', text, html, dedupeKey: `sign-in-code:${randomUUID()}` });
    },
    async invitation(tx, user) {
      const where = site ? ` at ${site}` : '';
      const text =
        `Hello ${user.name},\n\nYou now have an account${where}.\n\n` +
        `To sign in, enter this email address (${user.email}); we will email you a 6-digit code to type in. ` +
        `Once signed in you can also set a password.\n` +
        (site ? `\n${site}\n` : '');
      const html =
        `<p>Hello ${escapeHtml(user.name)},</p><p>You now have an account${site ? ` at <a href="${escapeHtml(site)}">${escapeHtml(site)}</a>` : ''}.</p>` +
        `<p>To sign in, enter this email address (${escapeHtml(user.email)}); we will email you a 6-digit code to type in. Once signed in you can also set a password.</p>`;
      await enqueue(tx, { to: user.email, subject: 'Your account is ready: how to sign in', text, html, dedupeKey: `invitation:${user.id}` });
    },
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
