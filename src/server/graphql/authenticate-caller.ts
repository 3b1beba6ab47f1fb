/**
 * Authenticates a GraphQL caller through the Authenticator port. No credential at all means
 * anonymous (the anonymous gate then allows only login); a credential that does not work is
 * an error, never a silent downgrade to anonymous.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Authenticator, Identity } from '../../domain/identity.js';
import { hasErrorCode } from '../../errors/index.js';

export async function authenticateCaller(
  authenticator: Authenticator,
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
): Promise<Identity | undefined> {
  try {
    return await authenticator.authenticate({
      headers,
      ...(remoteAddress === undefined ? {} : { remoteAddress }),
    });
  } catch (err) {
    if (hasErrorCode(err, 'UNAUTHENTICATED') && err.reason === 'missing_credentials') {
      return undefined;
    }
    throw err;
  }
}
