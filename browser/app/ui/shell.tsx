// The frame around every view: who is signed in, the views of their role, live status.
import type { ComponentChildren } from 'preact';
import { href } from '../route';
import { LiveBanner } from './live-banner';

export interface Tab { path: string; label: string }

export function Shell(props: { name: string; role: string; tabs: Tab[]; current: string; onSignOut(): void; children: ComponentChildren }) {
  return (
    <>
      <header class="top">
        <p class="who">
          <span>{props.name}</span> <span class="role">{props.role}</span>
        </p>
        <LiveBanner />
        <button type="button" class="secondary" onClick={props.onSignOut}>Sign out</button>
        <nav aria-label="Views">
          <ul>
            {props.tabs.map((tab) => (
              <li key={tab.path}>
                <a href={href(tab.path)} aria-current={tab.path === props.current ? 'page' : undefined}>{tab.label}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="view">{props.children}</main>
    </>
  );
}
