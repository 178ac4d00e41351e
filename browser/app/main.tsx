// The members' and coaches' app: one page, the view by the signed-in person's role.
import { render } from 'preact';
import { Provider } from '@urql/preact';
import { App } from './app';
import { createAppClient } from './client';

const root = document.getElementById('app')!;
root.textContent = ''; // the page's "Loading…"
render(
  <Provider value={createAppClient()}>
    <App />
  </Provider>,
  root,
);
