import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

/** Abuse limits shared by HTTP and websocket requests. */
export const MAX_DEPTH = 10;
export const MAX_COMPLEXITY = 5_000;
export const MAX_PAGE_SIZE = 200;

function depthRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context.getDocument().definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
    );
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          deepest = Math.max(deepest, selection.selectionSet ? 1 + depthOf(selection.selectionSet, seen) : 0);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          if (seen.has(name)) continue; // fragment cycles are reported by graphql's own rule
          deepest = Math.max(deepest, depthOf(fragments.get(name)?.selectionSet, new Set([...seen, name])));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`Query is too deep: ${depth} levels, at most ${maxDepth} allowed`, { nodes: [node] }));
        }
      },
    };
  };
}

export function validationRules(options: { introspection: boolean }): ValidationRule[] {
  return [depthRule(MAX_DEPTH), ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
}

/** Lists cost their page size times their children, so `first: 200` of a deep selection is priced as such. */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  return size === undefined ? undefined : 1 + Math.min(size, MAX_PAGE_SIZE) * Math.max(childComplexity, 1);
};

/** Throws a BAD_USER_INPUT GraphQLError when an operation costs more than MAX_COMPLEXITY. */
export function assertComplexity(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
): void {
  let complexity: number;
  try {
    complexity = getComplexity({
      schema,
      query,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch {
    return; // invalid variables: execution reports them with the offending field
  }
  if (complexity > MAX_COMPLEXITY) {
    throw new GraphQLError(`Query is too complex: ${complexity}, at most ${MAX_COMPLEXITY} allowed`, {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }
}
