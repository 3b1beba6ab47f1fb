/**
 * Introspection is off in production unless enabled by configuration: the schema is public in
 * the repository, but a production server need not hand a map to every caller.
 */
import { NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';

export interface IntrospectionOptions {
  readonly production: boolean;
  /** Overrides the default (on outside production). */
  readonly enabled?: boolean;
}

export function isIntrospectionEnabled(options: IntrospectionOptions): boolean {
  return options.enabled ?? !options.production;
}

/** Extra validation rules for transports that do not use Apollo's own switch (WebSocket). */
export function introspectionRules(enabled: boolean): ValidationRule[] {
  return enabled ? [] : [NoSchemaIntrospectionCustomRule];
}
