// Object-name validation with the apimachinery messages (422 Invalid on failure).

import type { ResourceType } from './resources.js';
import { type FieldError, invalid } from './status.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** Resources whose names are RFC 1123 labels rather than subdomains. */
const LABEL_NAMED = new Set(['namespaces', 'services']);
/** Resources that only require a valid path segment (RBAC objects allow ':'). */
const PATH_SEGMENT_NAMED = new Set([
  'roles',
  'rolebindings',
  'clusterroles',
  'clusterrolebindings',
  'events',
]);

function nameErrors(t: ResourceType, name: string): FieldError[] {
  if (PATH_SEGMENT_NAMED.has(t.resource)) {
    if (name === '.' || name === '..') {
      return [
        {
          type: 'FieldValueInvalid',
          field: 'metadata.name',
          message: `Invalid value: "${name}": may not be '${name}'`,
        },
      ];
    }
    for (const bad of ['/', '%']) {
      if (name.includes(bad)) {
        return [
          {
            type: 'FieldValueInvalid',
            field: 'metadata.name',
            message: `Invalid value: "${name}": may not contain '${bad}'`,
          },
        ];
      }
    }
    return [];
  }
  if (LABEL_NAMED.has(t.resource)) {
    const errs: FieldError[] = [];
    if (name.length > 63) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${name}": must be no more than 63 characters`,
      });
    }
    if (!DNS1123_LABEL.test(name)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${name}": ${LABEL_MSG}`,
      });
    }
    return errs;
  }
  const errs: FieldError[] = [];
  if (name.length > 253) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": must be no more than 253 characters`,
    });
  }
  if (!DNS1123_SUBDOMAIN.test(name)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": ${SUBDOMAIN_MSG}`,
    });
  }
  return errs;
}

/** Throws 422 when the name (or missing name) is not acceptable for the resource. */
export function validateName(
  t: ResourceType,
  name: string | undefined,
  generateName: string | undefined,
): void {
  if (!name) {
    if (generateName) return;
    throw invalid(t.kind, t.group, '', [
      {
        type: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ]);
  }
  const errs = nameErrors(t, name);
  if (errs.length > 0) throw invalid(t.kind, t.group, name, errs);
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Validates label values (keys are checked by selectors); 422 like ValidateLabels. */
export function validateLabels(t: ResourceType, name: string, labels: unknown): void {
  if (labels === undefined || labels === null) return;
  if (typeof labels !== 'object' || Array.isArray(labels)) return;
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    const value = String(v);
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: `metadata.labels`,
        message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
      void k;
    }
  }
  if (errs.length > 0) throw invalid(t.kind, t.group, name, errs);
}
