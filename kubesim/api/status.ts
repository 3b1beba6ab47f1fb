// Builders for metav1.Status failures worded like k8s.io/apimachinery/pkg/api/errors, so clients
// that match on reason, code, details or message see what a kube-apiserver would send.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A request failure carrying the exact Status body to send. */
export class StatusError extends Error {
  readonly status: StatusBody;
  readonly headers: Record<string, string>;
  constructor(status: StatusBody, headers: Record<string, string> = {}) {
    super(status.message ?? status.reason ?? 'error');
    this.status = status;
    this.headers = headers;
  }
  get code(): number {
    return this.status.code;
  }
}

export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): StatusBody {
  const body: StatusBody = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details === undefined) return body;
  // Keep the apimachinery field order: ..., reason, details, code.
  const { code: _code, ...rest } = body;
  return { ...rest, details, code };
}

function grDetails(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  if (gr.resource) d.kind = gr.resource;
  return d;
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(
    failure(404, 'NotFound', `${qualified(gr)} "${name}" not found`, grDetails(gr, name)),
  );
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(
    failure(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, grDetails(gr, name)),
  );
}

export function conflict(gr: GroupResource, name: string, err: string): StatusError {
  return new StatusError(
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${err}`,
      grDetails(gr, name),
    ),
  );
}

export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

export function forbidden(gr: GroupResource, name: string, err: string): StatusError {
  const message = !gr.resource
    ? `forbidden: ${err}`
    : name
      ? `${qualified(gr)} ${JSON.stringify(name)} is forbidden: ${err}`
      : `${qualified(gr)} is forbidden: ${err}`;
  return new StatusError(failure(403, 'Forbidden', message, grDetails(gr, name)));
}

/** Forbidden for a non-resource path: details carry no name/kind. */
export function forbiddenPath(message: string): StatusError {
  return new StatusError(failure(403, 'Forbidden', `forbidden: ${message}`, {}));
}

export function unauthorized(): StatusError {
  return new StatusError(failure(401, 'Unauthorized', 'Unauthorized'));
}

export function badRequest(message: string): StatusError {
  return new StatusError(failure(400, 'BadRequest', message));
}

export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  return new StatusError(
    failure(
      405,
      'MethodNotAllowed',
      `${action} is not supported on resources of kind "${qualified(gr)}"`,
      { group: gr.group || undefined, kind: gr.resource },
    ),
  );
}

export function methodNotAllowed(): StatusError {
  return new StatusError(
    failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  );
}

export function pathNotFound(): StatusError {
  return new StatusError(
    failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  );
}

export function gone(message: string): StatusError {
  return new StatusError(failure(410, 'Expired', message));
}

export const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function tooOldResourceVersion(requested: number, current: number): StatusError {
  return gone(`too old resource version: ${requested} (${current})`);
}

export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError(
    failure(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
      causes: [
        {
          reason: 'ResourceVersionTooLarge',
          message: `Too large resource version`,
        },
      ],
      retryAfterSeconds: 1,
    }),
    { 'Retry-After': '1' },
  );
}

export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden';
  field: string;
  message: string;
}

/** 422 Invalid, message formatted like errors.NewInvalid. */
export function invalid(
  kind: string,
  group: string,
  name: string,
  errs: FieldError[],
): StatusError {
  const parts = errs.map((e) => `${e.field}: ${e.message}`);
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const details: StatusDetails = { name };
  if (group) details.group = group;
  details.kind = kind;
  details.causes = errs.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  return new StatusError(
    failure(422, 'Invalid', `${kind} "${name}" is invalid: ${joined}`, details),
  );
}

export function unsupportedMediaType(accepted: string[]): StatusError {
  return new StatusError(
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),
  );
}

export function notAcceptable(accepted: string[]): StatusError {
  return new StatusError(
    failure(
      406,
      'NotAcceptable',
      `only the following media types are accepted: ${accepted.join(', ')}`,
    ),
  );
}

export function internalError(message: string): StatusError {
  return new StatusError(
    failure(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    }),
  );
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(failure(503, 'ServiceUnavailable', message));
}

export function timeout(message: string): StatusError {
  return new StatusError(failure(504, 'Timeout', message, {}));
}

export function tooManyRequests(): StatusError {
  return new StatusError(
    failure(429, 'TooManyRequests', 'Too many requests, please try again later.', {
      retryAfterSeconds: 1,
    }),
    { 'Retry-After': '1' },
  );
}

/** Success Status returned by deletes of resources that do not return the deleted object. */
export function successStatus(details: StatusDetails): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
