/**
 * Global roles and role templates: the built-ins from code merged with what administrators
 * stored (custom entries, and a built-in's `newUserDefault` or `locked` flag). Writes validate
 * rules and refuse inheritance cycles; built-ins cannot be deleted or have their rules changed.
 */
import type { GlobalRoleInput, RoleTemplateInput } from '../domain/access-admin.js';
import type { GlobalRole, RoleTemplate } from '../domain/rbac.js';
import type { Collection, Store } from '../domain/store.js';
import { PaddockError } from '../errors/index.js';
import {
  assertInheritanceValid,
  assertValidRules,
  BUILTIN_GLOBAL_ROLES,
  BUILTIN_ROLE_TEMPLATES,
  normalizeRule,
} from '../rbac/index.js';
import { globalRolesCollection, roleTemplatesCollection } from './collections.js';

const ID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function validId(id: string, what: string): string {
  if (!ID.test(id)) {
    throw new PaddockError('VALIDATION_FAILED', `${what} id ${JSON.stringify(id)} is invalid`, {
      reason: 'invalid_id',
    });
  }
  return id;
}

function notFound(what: string, id: string): PaddockError {
  return new PaddockError('NOT_FOUND', `${what} ${id} not found`, {
    reason: `${what.replace(' ', '_')}_not_found`,
  });
}

export class RoleCatalog {
  readonly globalRoleRecords: Collection<GlobalRole>;
  readonly templateRecords: Collection<RoleTemplate>;

  constructor(store: Store) {
    this.globalRoleRecords = store.collection(globalRolesCollection);
    this.templateRecords = store.collection(roleTemplatesCollection);
  }

  // -- global roles ------------------------------------------------------------------------

  async globalRoles(): Promise<GlobalRole[]> {
    const stored = new Map((await this.globalRoleRecords.list()).map((r) => [r.id, r.value]));
    const merged = BUILTIN_GLOBAL_ROLES.map((b) => {
      const s = stored.get(b.id);
      stored.delete(b.id);
      return s ? { ...b, newUserDefault: s.newUserDefault } : b;
    });
    return [...merged, ...[...stored.values()].filter((r) => !r.builtin)];
  }

  async globalRole(id: string): Promise<GlobalRole | undefined> {
    return (await this.globalRoles()).find((r) => r.id === id);
  }

  async createGlobalRole(input: GlobalRoleInput): Promise<GlobalRole> {
    validId(input.id, 'global role');
    if (BUILTIN_GLOBAL_ROLES.some((r) => r.id === input.id)) {
      throw new PaddockError('CONFLICT', `global role ${input.id} is built in`, {
        reason: 'exists',
      });
    }
    const role = await this.#globalRole(input);
    await this.globalRoleRecords.create(role.id, role);
    return role;
  }

  async updateGlobalRole(input: GlobalRoleInput): Promise<GlobalRole> {
    const builtin = BUILTIN_GLOBAL_ROLES.find((r) => r.id === input.id);
    if (builtin) {
      if (
        JSON.stringify(input.rules.map(normalizeRule)) !==
        JSON.stringify(builtin.rules.map(normalizeRule))
      ) {
        throw new PaddockError(
          'FORBIDDEN',
          `the rules of built-in global role ${input.id} cannot change`,
          {
            reason: 'builtin',
          },
        );
      }
      return this.setNewUserDefault(input.id, input.newUserDefault ?? builtin.newUserDefault);
    }
    const current = await this.globalRoleRecords.get(input.id);
    if (!current) throw notFound('global role', input.id);
    const role = await this.#globalRole(input);
    await this.globalRoleRecords.update(role.id, role, {
      resourceVersion: current.resourceVersion,
    });
    return role;
  }

  async setNewUserDefault(id: string, newUserDefault: boolean): Promise<GlobalRole> {
    const role = await this.globalRole(id);
    if (!role) throw notFound('global role', id);
    const next = { ...role, newUserDefault };
    const current = await this.globalRoleRecords.get(id);
    if (current) await this.globalRoleRecords.update(id, next);
    else await this.globalRoleRecords.create(id, next);
    return next;
  }

  async deleteGlobalRole(id: string): Promise<boolean> {
    if (BUILTIN_GLOBAL_ROLES.some((r) => r.id === id)) {
      throw new PaddockError('FORBIDDEN', `built-in global role ${id} cannot be deleted`, {
        reason: 'builtin',
      });
    }
    return this.globalRoleRecords.delete(id);
  }

  async #globalRole(input: GlobalRoleInput): Promise<GlobalRole> {
    assertValidRules(input.rules, 'global');
    const templates = await this.roleTemplates();
    for (const t of input.inheritedClusterRoles ?? []) {
      if (templates.find((x) => x.id === t)?.context !== 'cluster') {
        throw new PaddockError('VALIDATION_FAILED', `${t} is not a cluster role template`, {
          reason: 'unknown_template',
        });
      }
    }
    return {
      id: input.id,
      displayName: input.displayName ?? input.id,
      description: input.description ?? '',
      rules: input.rules.map(normalizeRule),
      newUserDefault: input.newUserDefault ?? false,
      builtin: false,
      inheritedClusterRoles: [...(input.inheritedClusterRoles ?? [])],
    };
  }

  // -- role templates ----------------------------------------------------------------------

  async roleTemplates(): Promise<RoleTemplate[]> {
    const stored = new Map((await this.templateRecords.list()).map((r) => [r.id, r.value]));
    const merged = BUILTIN_ROLE_TEMPLATES.map((b) => {
      const s = stored.get(b.id);
      stored.delete(b.id);
      return s ? { ...b, locked: s.locked } : b;
    });
    return [...merged, ...[...stored.values()].filter((t) => !t.builtin)];
  }

  async roleTemplate(id: string): Promise<RoleTemplate | undefined> {
    return (await this.roleTemplates()).find((t) => t.id === id);
  }

  async createRoleTemplate(input: RoleTemplateInput): Promise<RoleTemplate> {
    validId(input.id, 'role template');
    if (BUILTIN_ROLE_TEMPLATES.some((t) => t.id === input.id)) {
      throw new PaddockError('CONFLICT', `role template ${input.id} is built in`, {
        reason: 'exists',
      });
    }
    const template = await this.#template(input);
    await this.templateRecords.create(template.id, template);
    return template;
  }

  async updateRoleTemplate(input: RoleTemplateInput): Promise<RoleTemplate> {
    const builtin = BUILTIN_ROLE_TEMPLATES.find((t) => t.id === input.id);
    if (builtin) {
      const same =
        JSON.stringify(input.rules.map(normalizeRule)) ===
          JSON.stringify(builtin.rules.map(normalizeRule)) &&
        JSON.stringify(input.inherits ?? []) === JSON.stringify(builtin.inherits) &&
        input.context === builtin.context;
      if (!same) {
        throw new PaddockError(
          'FORBIDDEN',
          `built-in role template ${input.id} can only be locked or unlocked`,
          {
            reason: 'builtin',
          },
        );
      }
      return this.setLocked(input.id, input.locked ?? builtin.locked);
    }
    const current = await this.templateRecords.get(input.id);
    if (!current) throw notFound('role template', input.id);
    if (current.value.context !== input.context) {
      throw new PaddockError('VALIDATION_FAILED', 'the context of a role template cannot change', {
        reason: 'context_immutable',
      });
    }
    const template = await this.#template(input);
    await this.templateRecords.update(template.id, template, {
      resourceVersion: current.resourceVersion,
    });
    return template;
  }

  async setLocked(id: string, locked: boolean): Promise<RoleTemplate> {
    const template = await this.roleTemplate(id);
    if (!template) throw notFound('role template', id);
    const next = { ...template, locked };
    if (await this.templateRecords.get(id)) await this.templateRecords.update(id, next);
    else await this.templateRecords.create(id, next);
    return next;
  }

  /** Deletes a custom template no other template includes (bindings are checked by the caller). */
  async deleteRoleTemplate(id: string): Promise<boolean> {
    if (BUILTIN_ROLE_TEMPLATES.some((t) => t.id === id)) {
      throw new PaddockError('FORBIDDEN', `built-in role template ${id} cannot be deleted`, {
        reason: 'builtin',
      });
    }
    const children = (await this.roleTemplates()).filter((t) => t.inherits.includes(id));
    if (children.length > 0) {
      throw new PaddockError(
        'CONFLICT',
        `role template ${id} is included by ${children.map((c) => c.id).join(', ')}`,
        {
          reason: 'in_use',
        },
      );
    }
    return this.templateRecords.delete(id);
  }

  async #template(input: RoleTemplateInput): Promise<RoleTemplate> {
    assertValidRules(input.rules, input.context);
    const template: RoleTemplate = {
      id: input.id,
      displayName: input.displayName ?? input.id,
      description: input.description ?? '',
      context: input.context,
      rules: input.rules.map(normalizeRule),
      inherits: [...new Set(input.inherits ?? [])],
      builtin: false,
      locked: input.locked ?? false,
      hidden: input.hidden ?? false,
    };
    assertInheritanceValid(
      template,
      (await this.roleTemplates()).filter((t) => t.id !== template.id),
    );
    return template;
  }
}
