import { expect } from 'chai';
import { GraphQLError } from 'graphql';
import { PaddockError, type PaddockErrorCode } from '../../../src/errors/index.js';
import { graphqlCodeOf } from '../../../src/resolvers/error-codes.js';
import { formatError, stampRequestId } from '../../../src/resolvers/plugins/mask-errors.js';

/** Shaped like what Apollo hands formatError for an error thrown in a resolver. */
function resolverError(original: Error): { formatted: GraphQLError; raw: GraphQLError } {
  const raw = new GraphQLError(original.message, { originalError: original, path: ['me'] });
  return { formatted: raw, raw };
}

describe('GraphQL error masking', () => {
  it('keeps a PaddockError message and maps its code once', () => {
    const { formatted, raw } = resolverError(
      new PaddockError('VALIDATION_FAILED', 'first must be between 0 and 500', {
        reason: 'invalid_page_size',
      }),
    );
    const out = formatError(
      { ...formatted.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      raw,
    );
    expect(out.message).to.equal('first must be between 0 and 500');
    expect(out.extensions).to.deep.equal({ code: 'BAD_USER_INPUT', reason: 'invalid_page_size' });
  });

  it('masks an unexpected error thrown by a resolver', () => {
    const { formatted, raw } = resolverError(new Error('password=hunter2 leaked'));
    const out = formatError(
      { ...formatted.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] } },
      raw,
    );
    expect(out.message).to.equal('internal error');
    expect(JSON.stringify(out)).not.to.include('hunter2');
    expect(out.extensions).to.deep.equal({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('masks a PaddockError with the INTERNAL code', () => {
    const { formatted, raw } = resolverError(new PaddockError('INTERNAL', 'disk at /secret full'));
    const out = formatError({ ...formatted.toJSON(), extensions: {} }, raw);
    expect(out.message).to.equal('internal error');
  });

  it('passes GraphQL validation errors through', () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(formatError(error.toJSON(), error).message).to.equal(
      'Cannot query field "nope" on type "Query".',
    );
  });

  it('quotes the request id in masked messages and stamps it on every error', () => {
    expect(
      stampRequestId(
        { message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        'r-1',
      ),
    ).to.deep.equal({
      message: 'internal error; quote request id r-1 when reporting it',
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'r-1' },
    });
    expect(
      stampRequestId({ message: 'no', extensions: { code: 'FORBIDDEN' } }, 'r-2'),
    ).to.deep.equal({
      message: 'no',
      extensions: { code: 'FORBIDDEN', requestId: 'r-2' },
    });
  });

  it('maps every PaddockError code to a GraphQL code', () => {
    const codes: PaddockErrorCode[] = [
      'BAD_REQUEST',
      'VALIDATION_FAILED',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'METHOD_NOT_ALLOWED',
      'CONFLICT',
      'GONE',
      'PAYLOAD_TOO_LARGE',
      'TOO_MANY_REQUESTS',
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_TIMEOUT',
      'UPSTREAM_RESET',
      'STORE_UNAVAILABLE',
      'CONFIG_INVALID',
      'INTERNAL',
    ];
    expect(codes.map(graphqlCodeOf)).to.include.members([
      'BAD_USER_INPUT',
      'INTERNAL_SERVER_ERROR',
      'FORBIDDEN',
    ]);
  });
});
