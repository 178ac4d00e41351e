import { Provider, useQuery } from '@urql/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { onSignedOut, signOutLocally, tokens } from './auth';
import { createAppClient } from './client';
import { CoachApp } from './coach/coach-app';
import { MeDocument, SignOutDocument, type PersonFragment } from './generated/graphql';
import { MemberApp } from './member/member-app';
import { OwnerNote } from './owner-note';
import { SignIn } from './sign-in';
import { useAction } from './ui/action';
import { QueryState } from './ui/status';

/** Signed in or not; once signed in, the person's role picks the app. */
export function App() {
  const [signedIn, setSignedIn] = useState(() => tokens.access !== null);
  useEffect(() => onSignedOut(() => setSignedIn(false)), []);
  // A new client, cache and socket for each signed-in person: nothing of one outlives their sign-out.
  const app = useMemo(createAppClient, [signedIn]);
  useEffect(() => app.dispose, [app]);
  return (
    <Provider value={app.client}>
      {signedIn ? <SignedIn /> : <SignIn onSignedIn={() => setSignedIn(true)} />}
    </Provider>
  );
}

function SignedIn() {
  const [me] = useQuery({ query: MeDocument });
  const signOut = useAction(SignOutDocument);
  async function leave() {
    const refreshToken = tokens.refresh;
    if (refreshToken) await signOut.run({ refreshToken });
    signOutLocally();
  }
  const person: PersonFragment | undefined = me.data?.me;
  if (!person) return <main id="view"><QueryState fetching={me.fetching} error={me.error} what="your account" /></main>;
  if (person.role === 'MEMBER') return <MemberApp me={person} onSignOut={leave} />;
  if (person.role === 'COACH') return <CoachApp me={person} onSignOut={leave} />;
  return <OwnerNote me={person} onSignOut={leave} />;
}
