// Whether live data is flowing: "Live", "Connecting…" or "Reconnecting…".
import { useEffect, useState } from 'preact/hooks';
import { liveState } from '../live';

export function LiveBanner() {
  const [state, setState] = useState(liveState.current);
  useEffect(() => liveState.subscribe(setState), []);
  return (
    <p class="live" data-state={state} role="status" aria-live="polite">
      {state === 'reconnecting' ? 'Reconnecting… changes made elsewhere will appear once connected.' : state === 'connected' ? 'Live' : 'Connecting…'}
    </p>
  );
}
