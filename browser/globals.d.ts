// Prebuilt scripts the pages load before their own (served from /assets/vendor).
import type * as GraphqlWs from 'graphql-ws';

declare global {
  /** graphql-ws's UMD build (umd/graphql-ws.min.js). */
  const graphqlWs: typeof GraphqlWs;
  /** React 18 and GraphiQL's UMD builds: only what ide.ts uses. */
  const React: { createElement(type: unknown, props?: Record<string, unknown> | null): unknown };
  const ReactDOM: { createRoot(element: Element): { render(node: unknown): void } };
  const GraphiQL: unknown;
}
