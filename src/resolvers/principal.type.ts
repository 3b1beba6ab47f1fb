import { Field, ID, ObjectType } from 'type-graphql';
import type {
  Principal as DomainPrincipal,
  PrincipalKind,
  ProviderName,
} from '../domain/principal.js';
import { PrincipalKindEnum, ProviderNameEnum } from './enums.js';
import { parsePrincipalId } from './principal-id.js';

@ObjectType({ description: 'A user or group as an identity provider vouches for it.' })
export class Principal {
  @Field(() => ID, { description: 'Provider-prefixed id, e.g. `openldap_group://cn=devs,...`.' })
  id!: string;

  @Field(() => ProviderNameEnum)
  provider!: ProviderName;

  @Field(() => PrincipalKindEnum)
  kind!: PrincipalKind;

  @Field({ description: 'Login name for users, group name for groups.' })
  name!: string;

  @Field(() => String, { nullable: true })
  displayName?: string | null;
}

export function toPrincipal(p: DomainPrincipal): Principal {
  return {
    id: p.id,
    provider: p.provider,
    kind: p.kind,
    name: p.name,
    displayName: p.displayName ?? null,
  };
}

/** A principal known only by id; `known` supplies names where the caller has them. */
export function principalFromId(
  id: string,
  known?: ReadonlyMap<string, DomainPrincipal>,
): Principal {
  const found = known?.get(id);
  if (found) return toPrincipal(found);
  const parsed = parsePrincipalId(id);
  return parsed
    ? { ...parsed, displayName: null }
    : { id, provider: 'local', kind: 'group', name: id, displayName: null };
}
