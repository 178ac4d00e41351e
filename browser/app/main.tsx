// The members' and coaches' app: one page, the view by the signed-in person's role.
import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('app')!;
root.textContent = ''; // the page's "Loading…"
render(<App />, root);
