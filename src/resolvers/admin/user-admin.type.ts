import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { ProviderName } from '../../domain/principal.js';
import type { SessionSummary } from '../../domain/user-admin.js';
import { ProviderNameEnum } from '../enums.js';
import { User } from '../user.type.js';

@ObjectType({ description: 'A signed-in session (never its token).' })
export class Session {
  @Field(() => ID, { description: "The session token's `jti`." })
  id!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => ProviderNameEnum)
  provider!: ProviderName;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date, { description: 'Last use (recorded at most once a minute).' })
  lastSeenAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the session ends if unused from now on; null without an idle timeout.',
  })
  idleExpiresAt!: Date | null;

  @Field(() => String, { nullable: true })
  remoteAddress!: string | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field({ description: 'This is the session of the request asking.' })
  current!: boolean;
}

@ObjectType({ description: 'A user plus the password made for it, shown this once only.' })
export class UserWithPassword {
  @Field(() => User)
  user!: User;

  @Field(() => String, {
    nullable: true,
    description: 'The generated password when none was given; it cannot be read again.',
  })
  generatedPassword!: string | null;
}

@InputType()
export class CreateLocalUserInput {
  @Field({ description: 'Letters, digits, dots, dashes, underscores or @; unique.' })
  username!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The initial password; null generates one (returned once).',
  })
  password?: string | null;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'The user must pick a new password at the first login (default true).',
  })
  mustChangePassword?: boolean | null;
}

@InputType({ description: 'Fields left null stay as they are.' })
export class UpdateUserInput {
  @Field(() => String, {
    nullable: true,
    description: "A directory's name wins again at the user's next login.",
  })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'Empty clears it.' })
  email?: string | null;
}

@InputType()
export class ResetUserPasswordInput {
  @Field(() => String, {
    nullable: true,
    description: 'The new password; null generates one (returned once).',
  })
  newPassword?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'The user must pick a new password at the next login (default true).',
  })
  mustChangePassword?: boolean | null;
}

export function toSession(session: SessionSummary, currentSessionId?: string): Session {
  return {
    id: session.sessionId,
    userId: session.userId,
    provider: session.provider,
    createdAt: new Date(session.createdAt),
    expiresAt: new Date(session.expiresAt),
    lastSeenAt: new Date(session.lastSeenAt),
    idleExpiresAt: session.idleExpiresAt === undefined ? null : new Date(session.idleExpiresAt),
    remoteAddress: session.remoteAddress ?? null,
    userAgent: session.userAgent ?? null,
    current: session.sessionId === currentSessionId,
  };
}
