import { useQuery } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { onSignedOut, signOutLocally, tokens } from './auth';
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
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  return <SignedIn />;
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
