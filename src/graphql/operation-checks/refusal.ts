import { GraphQLError } from 'graphql';

/** How every operation check refuses: BAD_USER_INPUT, naming the argument where there is one. */
export function refusal(message: string, status = 400, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}), http: { status } } });
}

export const badArgument = (path: (string | number)[], message: string) => refusal(message, 400, path.join('.'));
