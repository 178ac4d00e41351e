// A destructive action asks once more, in place: "Cancel…" then "Yes, cancel" / "Keep it".
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Problem } from './status';

export function ConfirmButton(props: {
  label: string;
  question: ComponentChildren;
  confirm: string;
  keep?: string;
  pending?: boolean;
  problem?: string | null;
  onConfirm(): Promise<unknown> | void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <>
        <button type="button" class="secondary" onClick={() => setAsking(true)}>{props.label}</button>
        <Problem text={props.problem ?? null} />
      </>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={props.label}>
      <p>{props.question}</p>
      <button type="button" class="danger" disabled={props.pending} autoFocus onClick={async () => { await props.onConfirm(); setAsking(false); }}>{props.confirm}</button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>{props.keep ?? 'Keep it'}</button>
    </div>
  );
}
