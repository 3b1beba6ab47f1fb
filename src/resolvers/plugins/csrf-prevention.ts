/**
 * Apollo's CSRF prevention: a request that a browser could send cross-site without a preflight
 * (GET, or POST with a "simple" content type) must carry one of these headers, which a
 * cross-site form or image cannot set. JSON POSTs are preflighted and pass as they are.
 */
import type { CSRFPreventionOptions } from '@apollo/server';

export const csrfPreventionOptions: CSRFPreventionOptions = {
  requestHeaders: [
    'x-apollo-operation-name',
    'apollo-require-preflight',
    'graphql-require-preflight',
  ],
};
