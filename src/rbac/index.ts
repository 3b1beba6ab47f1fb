export * from './builtin-global-roles.js';
export * from './builtin-role-templates.js';
export * from './can.js';
export * from './desired-objects.js';
export * from './effective-bindings.js';
export * from './escalation.js';
export * from './explain-access.js';
export * from './flatten-templates.js';
export {
  extraHeaderName,
  type ImpersonationHeaders,
  impersonationHeaders,
} from './impersonation-headers.js';
export * from './parse-request.js';
export * from './pod-security.js';
export * from './policy-rule.js';
export * from './principal-subject.js';
export * from './project-label.js';
export * from './project-quota.js';
export * from './quantity.js';
export * from './rights-cover.js';
export * from './validate-rules.js';
