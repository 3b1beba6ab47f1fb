// Server-side field validation (the `fieldValidation` query parameter, `Warn` when absent):
// unknown fields in a create/update body or in the result of a patch are rejected (Strict), or
// dropped as the decoder drops them, with a `Warning` header each (Warn) or silently (Ignore).

import { customResourceSchema } from '../openapi/custom-schemas.js';
import { definitionForKind, type Schema } from '../openapi/definitions.js';
import { dropUnknownFields, goFormat, unknownFields } from '../openapi/field-validation.js';
import type { ApiRequest } from './api-request.js';
import { badRequest, invalid } from './status.js';

type Directive = 'Strict' | 'Warn' | 'Ignore';

function directiveOf(ar: ApiRequest): Directive {
  const v = ar.url.searchParams.get('fieldValidation');
  return v === 'Strict' || v === 'Ignore' ? v : 'Warn';
}

function definitionOf(ar: ApiRequest): string | Schema | undefined {
  const sub = ar.info.subresource;
  if (sub !== '' && sub !== 'status') return undefined;
  if (ar.t.custom) return customResourceSchema(ar.ctx.store, ar.t);
  return definitionForKind(ar.t.group, ar.t.version, ar.t.kind);
}

function warn(ar: ApiRequest, errors: string[]): void {
  const existing = ar.res.getHeader('Warning');
  const prior = Array.isArray(existing) ? existing : existing ? [String(existing)] : [];
  ar.res.setHeader('Warning', [...prior, ...errors.map((e) => `299 - ${JSON.stringify(e)}`)]);
}

const strictError = (errors: string[]) => `strict decoding error: ${errors.join(', ')}`;

/** Checks a create or update body as the JSON decoder would. */
export function checkBodyFields(ar: ApiRequest, body: unknown): void {
  const name = definitionOf(ar);
  if (!name) return;
  const directive = directiveOf(ar);
  const errors = unknownFields(body, name);
  if (errors.length === 0) return;
  if (directive !== 'Strict') {
    if (directive === 'Warn') warn(ar, errors);
    dropUnknownFields(body, name, errors);
    return;
  }
  const b = (body ?? {}) as { kind?: unknown; apiVersion?: unknown };
  const kind = typeof b.kind === 'string' && b.kind ? b.kind : ar.t.kind;
  const version = typeof b.apiVersion === 'string' ? b.apiVersion.split('/').pop() : ar.t.version;
  throw badRequest(
    `${kind} in version "${version}" cannot be handled as a ${ar.t.kind}: ${strictError(errors)}`,
  );
}

/**
 * Checks the result of a patch. Only fields the patch introduced count, so objects kubesim
 * seeded with extra fields stay patchable. JSON and merge patches quote the patched object,
 * strategic merge patches the patch map in Go's `%+v` form; server-side apply fails typing.
 */
export function checkPatchedFields(
  ar: ApiRequest,
  type: string,
  patch: unknown,
  before: unknown,
  after: unknown,
): void {
  const name = definitionOf(ar);
  if (!name) return;
  const directive = directiveOf(ar);
  const known = new Set(before === undefined ? [] : unknownFields(before, name));
  const errors = unknownFields(after, name).filter((e) => !known.has(e));
  if (errors.length === 0) return;
  if (type === 'apply') {
    const gv = ar.t.group ? `${ar.t.group}/${ar.t.version}` : `/${ar.t.version}`;
    const first = (errors[0] ?? '').replace(/^unknown field "(.*)"$/, '.$1');
    throw badRequest(
      `failed to create typed patch object (${gv}, Kind=${ar.t.kind}): ${first}: field not declared in schema`,
    );
  }
  if (directive !== 'Strict') {
    if (directive === 'Warn') warn(ar, errors);
    dropUnknownFields(after, name, errors);
    return;
  }
  const quoted = type === 'strategic' ? goFormat(patch) : JSON.stringify(after);
  const err = invalid('', '', '', [
    {
      type: 'FieldValueInvalid',
      field: 'patch',
      message: `Invalid value: ${JSON.stringify(quoted)}: ${strictError(errors)}`,
    },
  ]);
  const details = err.status.details;
  if (details) {
    delete details.name;
    delete details.kind;
  }
  throw err;
}
