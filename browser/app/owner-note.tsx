import type { PersonFragment } from './generated/graphql';

/** Owners run the studio from the board and the API; this app is for members and coaches. */
export function OwnerNote({ me, onSignOut }: { me: PersonFragment; onSignOut(): void }) {
  return (
    <main id="view">
      <h1>Hello, {me.name}</h1>
      <p>This app is for members and coaches. As an owner, use the <a href="/dashboard">front-desk board</a> or the GraphQL API.</p>
      <button type="button" class="secondary" onClick={onSignOut}>Sign out</button>
    </main>
  );
}
