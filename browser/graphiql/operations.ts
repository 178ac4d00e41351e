// Which operations a GraphQL document holds, without a GraphQL parser in the page.

/**
 * The operations of a document, read from its text: GraphiQL's parsed documentAST
 * can lag behind the editor by a keystroke, and a subscription must never go to
 * the HTTP endpoint. Comments and strings are skipped; only depth 0 is read.
 */
export function operationsOf(query: string): { type: string; name: string | null }[] {
  const text = query.replace(/"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"|#[^\n]*|\$[_A-Za-z][_0-9A-Za-z]*/g, ' ');
  const operations: { type: string; name: string | null }[] = [];
  let depth = 0;
  const token = /[{}]|[_A-Za-z][_0-9A-Za-z]*/g;
  let expectName = false;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    const word = match[0];
    if (word === '{') {
      if (depth === 0 && !expectName && operations.length === 0) operations.push({ type: 'query', name: null }); // shorthand { ... }
      expectName = false;
      depth += 1;
    } else if (word === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && expectName) {
      operations[operations.length - 1].name = word;
      expectName = false;
    } else if (depth === 0 && ['query', 'mutation', 'subscription', 'fragment'].includes(word)) {
      operations.push({ type: word, name: null });
      expectName = true;
    }
  }
  return operations.filter((operation) => operation.type !== 'fragment');
}
