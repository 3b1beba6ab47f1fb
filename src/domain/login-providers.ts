/** The identity providers a login page offers: password forms and redirect buttons. */
export interface LoginProviderInfo {
  /** Provider config name: `local`, `openldap`, `github`, `oidc`, ... */
  readonly name: string;
  /** `password`: POST /v1/auth/login; `redirect`: GET /v1/auth/<name>/start. */
  readonly kind: 'password' | 'redirect';
}

/** The enabled providers, as they are now (a changed auth config shows at once). */
export interface LoginProviderList {
  list(): readonly LoginProviderInfo[];
}
