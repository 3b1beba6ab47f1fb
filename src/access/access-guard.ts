/**
 * The checks every access-management write shares: may the caller do this here (through
 * rbac's `can`), is the template bindable here, and would the binding escalate the caller.
 */
import type { Identity } from '../domain/identity.js';
import type { RoleTemplate, RoleTemplateContext } from '../domain/rbac.js';
import { PaddockError } from '../errors/index.js';
import {
  type AccessScope,
  EffectiveBindings,
  GLOBAL_SCOPE,
  type PaddockRequest,
  ruleSetsAt,
  uncoveredRules,
} from '../rbac/index.js';
import type { StoreAccessState } from './access-state.js';
import { callerCan, forbidden, subjectOf } from './caller-policy.js';
import type { RoleCatalog } from './role-catalog.js';

export const clusterScope = (clusterId: string): AccessScope => ({ kind: 'cluster', clusterId });
export const projectScope = (clusterId: string, projectId: string): AccessScope => ({
  kind: 'project',
  clusterId,
  projectId,
});

export class AccessGuard {
  readonly #d: { readonly state: StoreAccessState; readonly catalog: RoleCatalog };

  constructor(deps: { readonly state: StoreAccessState; readonly catalog: RoleCatalog }) {
    this.#d = deps;
  }

  /** Throws FORBIDDEN unless the caller may; returns the state it decided on. */
  async require(caller: Identity, request: PaddockRequest, scope: AccessScope = GLOBAL_SCOPE) {
    const state = await this.#d.state.snapshot();
    if (!callerCan(state, caller, request, scope)) throw forbidden(request, scope);
    return state;
  }

  async may(caller: Identity, request: PaddockRequest, scope: AccessScope = GLOBAL_SCOPE) {
    return callerCan(await this.#d.state.snapshot(), caller, request, scope);
  }

  /** Forgets the cached state after a write on this replica, returning `value`. */
  written<T>(value: T, clusterId?: string): T {
    this.#d.state.invalidate(clusterId);
    return value;
  }

  async bindableTemplate(id: string, context: RoleTemplateContext): Promise<RoleTemplate> {
    const template = await this.#d.catalog.roleTemplate(id);
    if (!template) {
      throw new PaddockError('NOT_FOUND', `role template ${id} not found`, {
        reason: 'role_template_not_found',
      });
    }
    if (template.context !== context) {
      throw new PaddockError('VALIDATION_FAILED', `${id} is a ${template.context} role template`, {
        reason: 'context_mismatch',
      });
    }
    if (template.locked) {
      throw new PaddockError('VALIDATION_FAILED', `role template ${id} is locked`, {
        reason: 'template_locked',
      });
    }
    return template;
  }

  /** Refuses binding a template whose rules the caller does not hold at that scope itself. */
  async assertNoEscalation(
    caller: Identity,
    templateId: string,
    scope: AccessScope,
  ): Promise<void> {
    const bindings = new EffectiveBindings(await this.#d.state.snapshot());
    const held = ruleSetsAt(bindings, subjectOf(caller), scope).flatMap((s) => s.rules);
    const missing = uncoveredRules(held, bindings.templateRules(templateId));
    if (missing.length > 0) {
      throw new PaddockError(
        'FORBIDDEN',
        `binding ${templateId} would grant rights you do not hold: ${JSON.stringify(missing[0])}`,
        { reason: 'escalation', details: { templateId } },
      );
    }
  }
}
