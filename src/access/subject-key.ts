/** One string per binding subject, for indexes and uniqueness: `user:<id>` or `group:<id>`. */
import type { BindingSubject } from '../domain/rbac.js';

export function bindingSubjectKey(subject: BindingSubject): string {
  return subject.kind === 'user' ? `user:${subject.userId}` : `group:${subject.principalId}`;
}
