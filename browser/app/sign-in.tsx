// Sign in with an emailed code or a password; the tokens go to sessionStorage only.
import { useState } from 'preact/hooks';
import { tokens } from './auth';
import { RequestSignInCodeDocument, SignInWithCodeDocument, SignInWithPasswordDocument, type PersonFragment } from './generated/graphql';
import { useAction } from './ui/action';
import { Problem } from './ui/status';

const WRONG = { UNAUTHENTICATED: 'That did not work: check the email address and the code or password, and try again.' };

export function SignIn({ onSignedIn }: { onSignedIn(person: PersonFragment): void }) {
  const [email, setEmail] = useState('');
  const [secret, setSecret] = useState('');
  const [step, setStep] = useState<'email' | 'code' | 'password'>('email');
  const requestCode = useAction(RequestSignInCodeDocument);
  const withCode = useAction(SignInWithCodeDocument, WRONG);
  const withPassword = useAction(SignInWithPasswordDocument, WRONG);

  async function submit(event: Event) {
    event.preventDefault();
    if (step === 'email') {
      if (await requestCode.run({ email })) setStep('code');
      return;
    }
    const payload = step === 'code'
      ? (await withCode.run({ email, code: secret.replace(/\s/g, '') }))?.signInWithCode
      : (await withPassword.run({ email, password: secret }))?.signInWithPassword;
    if (!payload) return;
    tokens.store(payload);
    onSignedIn(payload.user);
  }

  const problem = requestCode.problem ?? withCode.problem ?? withPassword.problem;
  const pending = requestCode.pending || withCode.pending || withPassword.pending;
  return (
    <main id="view" class="sign-in">
      <h1>Sign in</h1>
      <form onSubmit={submit}>
        <label>
          Email
          <input type="email" autocomplete="email" required value={email} readOnly={step === 'code'} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        {step === 'code' && (
          <>
            <p role="status">We sent a 6-digit code to {email}. It is valid for 10 minutes.</p>
            <label>
              Code
              <input inputMode="numeric" autocomplete="one-time-code" required pattern="\s*([0-9]\s*){6}" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
            </label>
          </>
        )}
        {step === 'password' && (
          <label>
            Password
            <input type="password" autocomplete="current-password" required value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
          </label>
        )}
        <Problem text={problem} />
        <div class="actions">
          <button type="submit" disabled={pending}>{step === 'email' ? 'Email me a code' : 'Sign in'}</button>
          {step === 'email' ? (
            <button type="button" class="secondary" onClick={() => setStep('password')}>Use my password</button>
          ) : (
            <button type="button" class="secondary" onClick={() => { setStep('email'); setSecret(''); }}>Back</button>
          )}
        </div>
      </form>
    </main>
  );
}
