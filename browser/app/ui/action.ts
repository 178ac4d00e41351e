// A mutation run from a button or form: pending while it runs, its failure as a sentence.
import { useMutation, type AnyVariables, type TypedDocumentNode } from '@urql/preact';
import { useState } from 'preact/hooks';
import { describeError, type Sentences } from '../errors';

export interface Action<Data, Variables> {
  /** The answer's data, or null when it failed (the failure is in `problem`). */
  run(variables: Variables): Promise<Data | null>;
  pending: boolean;
  /** The last failure, as a sentence; cleared by the next run. */
  problem: string | null;
}

export function useAction<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, sentences?: Sentences): Action<Data, Variables> {
  const [state, execute] = useMutation(document);
  const [problem, setProblem] = useState<string | null>(null);
  return {
    pending: state.fetching,
    problem,
    async run(variables) {
      setProblem(null);
      const result = await execute(variables);
      if (result.error) {
        setProblem(describeError(result.error, sentences));
        return null;
      }
      return result.data ?? null;
    },
  };
}
