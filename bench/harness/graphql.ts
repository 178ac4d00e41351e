/** A minimal GraphQL-over-HTTP client for benchmarks (what a real client sends). */
export interface GraphqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphqlResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphqlResult<T>, 'status'>;
  return { status: response.status, ...body };
}

/** Like gql, but any error is a failure of the benchmark's setup. */
export async function gqlOk<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const result = await gql<T>(url, query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL request failed (${result.status}): ${JSON.stringify(result.errors)}`);
  return result.data;
}
