/** The size of a document: selections before validation, root fields and aliases after. */
import { Kind, parse, visit, type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { MAX_ALIASES, MAX_ROOT_FIELDS, MAX_SELECTIONS, MAX_TOKENS } from '../limits';
import { refusal } from './refusal';

/** Root fields and aliases: 2,400 aliases of `me` are one request and 2,400 lookups. */
export function countFields(document: DocumentNode, operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): void {
  let aliases = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases += 1;
    },
  });
  if (aliases > MAX_ALIASES) throw refusal(`Too many aliases: ${aliases}, at most ${MAX_ALIASES} allowed`);
  const roots = new Set<string>();
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) roots.add((selection.alias ?? selection.name).value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  if (roots.size > MAX_ROOT_FIELDS) throw refusal(`Too many root fields: ${roots.size}, at most ${MAX_ROOT_FIELDS} allowed`);
}

/**
 * Checked before validation, whose cost grows with the square of the selections: a
 * document with more than MAX_SELECTIONS is refused unvalidated. Returns the refusal.
 */
export function oversizedDocument(document: DocumentNode): GraphQLError | null {
  let selections = 0;
  visit(document, {
    Field: () => void (selections += 1),
    FragmentSpread: () => void (selections += 1),
    InlineFragment: () => void (selections += 1),
  });
  return selections > MAX_SELECTIONS ? refusal(`Too many selections: ${selections}, at most ${MAX_SELECTIONS} allowed`) : null;
}

/**
 * The same for a query string that Apollo has yet to parse; syntax errors are left for it to
 * report. Fewer characters than two per selection cannot hold too many: not parsed twice.
 */
export function oversizedQuery(query: unknown): GraphQLError | null {
  if (typeof query !== 'string' || query.length <= 2 * MAX_SELECTIONS) return null;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_TOKENS });
  } catch {
    return null;
  }
  return oversizedDocument(document);
}
