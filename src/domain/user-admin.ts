/**
 * Managing people: administrators create local users, rename, disable, enable and delete them,
 * reset passwords and end other users' sessions; everyone lists and ends their own sessions.
 * `src/identity` implements both ports. Which verbs a caller needs (`create users`, ...) is
 * the entry point's check; which *user* a caller may act on (never one holding rights the caller
 * lacks, never the last administrator, never oneself for disable and delete) is decided here,
 * with `UserRights` answered by authorization.
 */
import type { Identity } from './identity.js';
import type { ProviderName } from './principal.js';
import type { AccessSubject } from './rbac.js';
import type { UserView } from './user-directory.js';

/** One signed-in session, as its owner or an administrator sees it (never the token). */
export interface SessionSummary {
  /** The session JWT's `jti`. */
  readonly sessionId: string;
  readonly userId: string;
  readonly provider: ProviderName;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Last authenticated request (written at most once a minute). */
  readonly lastSeenAt: number;
  /** When the session ends if unused from now on, under the current idle timeout. */
  readonly idleExpiresAt?: number;
  readonly remoteAddress?: string;
  readonly userAgent?: string;
}

/** A user's sessions: the caller's own (`mySessions`, sign out everywhere) or, behind an
 * administrator's check, anyone's. */
export interface SessionDirectory {
  /** Live sessions of the user, newest first. */
  listSessions(userId: string): Promise<SessionSummary[]>;
  /** Ends one session of that user; false when the user has no such live session. */
  revokeSession(userId: string, sessionId: string): Promise<boolean>;
  /**
   * Ends every session of the user (and with `revokeApiKeys` its API keys and kubeconfig
   * tokens too); returns how many sessions ended.
   */
  revokeAllSessions(userId: string, options?: { revokeApiKeys?: boolean }): Promise<number>;
}

export interface NewLocalUserRequest {
  readonly username: string;
  /** Absent: a strong password is generated and returned once. */
  readonly password?: string;
  readonly displayName?: string;
  readonly email?: string;
  /** Default true: the user picks their own password at the first login. */
  readonly mustChangePassword?: boolean;
}

export interface UserChanges {
  readonly displayName?: string;
  /** Empty string clears it. */
  readonly email?: string;
}

export interface PasswordReset {
  /** Absent: a strong password is generated and returned once. */
  readonly newPassword?: string;
  /** Default true. */
  readonly mustChangePassword?: boolean;
}

/** A user plus the password made for it, shown this once only. */
export interface UserWithPassword {
  readonly user: UserView;
  readonly generatedPassword?: string;
}

/**
 * Administrator actions on other users. FORBIDDEN with reason `escalation` when the target
 * holds a right the caller lacks, `self` for disabling or deleting oneself; CONFLICT with
 * reason `last_admin` when the last enabled administrator would go.
 */
export interface UserAdmin {
  createLocalUser(caller: Identity, input: NewLocalUserRequest): Promise<UserWithPassword>;
  updateUser(caller: Identity, userId: string, changes: UserChanges): Promise<UserView>;
  /**
   * Disabling ends every session at once and refuses the user's API keys and kubeconfig tokens
   * (kept, as Rancher keeps tokens) until enabled again; enabling brings no session back.
   */
  setEnabled(caller: Identity, userId: string, enabled: boolean): Promise<UserView>;
  /** Removes the user, its bindings, sessions, keys and preferences; false when unknown. */
  deleteUser(caller: Identity, userId: string): Promise<boolean>;
  /** Local users only; ends the user's sessions. */
  resetPassword(caller: Identity, userId: string, input: PasswordReset): Promise<UserWithPassword>;
  revokeSession(caller: Identity, userId: string, sessionId: string): Promise<boolean>;
  revokeAllSessions(caller: Identity, userId: string): Promise<number>;
}

/** What identity asks authorization when someone acts on a user. `AccessUserRights` fits. */
export interface UserRights {
  /** Whether `caller` holds every right `target` holds: globally, in every cluster and project. */
  covers(caller: Identity, target: AccessSubject): Promise<boolean>;
  /** Whether the subject holds every right on Paddock's own objects (the `admin` global role). */
  isAdmin(subject: AccessSubject): Promise<boolean>;
  /** Deletes every global, cluster and project binding naming the user; returns how many. */
  removeUserBindings(userId: string): Promise<number>;
}
