/**
 * GraphQL over HTTP: a client that accepts only `application/json` (not
 * `application/graphql-response+json`) should get status 200 for documents that fail to
 * parse, validate or coerce their variables, since that media type cannot tell those apart
 * from transport errors. Apollo answers 400 for all media types; this corrects the legacy one.
 */
import type { HTTPGraphQLResponse } from '@apollo/server';

const requestErrorCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
]);

export function legacyJsonStatus(response: HTTPGraphQLResponse): number {
  const status = response.status ?? 200;
  if (status !== 400 || response.body.kind !== 'complete') return status;
  const type = response.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) return status;
  let parsed: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
  try {
    parsed = JSON.parse(response.body.string);
  } catch {
    return status;
  }
  if ('data' in parsed || !Array.isArray(parsed.errors) || parsed.errors.length === 0)
    return status;
  const allRequestErrors = parsed.errors.every((e) =>
    requestErrorCodes.has(String(e.extensions?.code)),
  );
  return allRequestErrors ? 200 : status;
}
