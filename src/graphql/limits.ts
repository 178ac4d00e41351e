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
/**
 * Introspection (__schema, __type) is measured on its own: graphql-js's standard
 * introspection query, which every IDE and codegen sends, nests 14 levels; its
 * size is bounded by the schema, yet its cycles (type -> fields -> type) still
 * need a ceiling.
 */
export const MAX_INTROSPECTION_DEPTH = 15;
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

function depthRule(maxDepth: number, maxIntrospectionDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context.getDocument().definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
    );
    // `introspection` collects the depth of __schema/__type subtrees, which do not count towards the data depth.
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>, introspection: { deepest: number }): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const depth = selection.selectionSet ? 1 + depthOf(selection.selectionSet, seen, introspection) : 0;
          if (INTROSPECTION_ROOTS.has(selection.name.value)) introspection.deepest = Math.max(introspection.deepest, depth);
          else deepest = Math.max(deepest, depth);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen, introspection));
        } else {
          const name = selection.name.value;
          if (seen.has(name)) continue; // fragment cycles are reported by graphql's own rule
          deepest = Math.max(deepest, depthOf(fragments.get(name)?.selectionSet, new Set([...seen, name]), introspection));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const introspection = { deepest: 0 };
        const depth = depthOf(node.selectionSet, new Set(), introspection);
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`Query is too deep: ${depth} levels, at most ${maxDepth} allowed`, { nodes: [node] }));
        }
        if (introspection.deepest > maxIntrospectionDepth) {
          context.reportError(
            new GraphQLError(`Introspection is too deep: ${introspection.deepest} levels, at most ${maxIntrospectionDepth} allowed`, { nodes: [node] }),
          );
        }
      },
    };
  };
}

export function validationRules(options: { introspection: boolean }): ValidationRule[] {
  return [depthRule(MAX_DEPTH, MAX_INTROSPECTION_DEPTH), ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
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
