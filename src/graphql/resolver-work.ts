import { isObjectType, type GraphQLSchema } from 'graphql';

/**
 * The resolver work of one request, including what graphql-js leaves running after the
 * response: when a non-null root field fails, execution answers at once and its sibling
 * fields go on resolving. `idle` settles once the request has ended (`end()`) and no
 * resolver promise of it is pending, so the request limiter can hold its slot that long.
 */
export class ResolverWork {
  private pending = 0;
  private ended = false;
  private resolveIdle!: () => void;
  readonly idle = new Promise<void>((resolve) => {
    this.resolveIdle = resolve;
  });

  track(work: PromiseLike<unknown>): void {
    this.pending += 1;
    work.then(this.settle, this.settle);
  }

  end(): void {
    this.ended = true;
    this.check();
  }

  private readonly settle = () => {
    this.pending -= 1;
    this.check();
  };

  private check(): void {
    if (!this.ended || this.pending > 0) return;
    // A settled resolver's children are called in the microtasks that follow: look again once they ran.
    setImmediate(() => {
      if (this.pending === 0) this.resolveIdle();
    });
  }
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * Wraps every field resolver of the schema so that the promises it returns are tracked on
 * the context's `work` (HTTP requests have one). Synchronous results stay synchronous.
 */
export function trackResolverWork(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = (source, args, context: { work?: ResolverWork } | undefined, info) => {
        const result: unknown = resolve(source, args, context, info);
        if (context?.work && isPromiseLike(result)) context.work.track(result);
        return result;
      };
    }
  }
  return schema;
}
