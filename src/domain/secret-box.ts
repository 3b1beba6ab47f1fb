/**
 * Encryption of secrets at rest (provider bind passwords, OAuth client secrets, cluster
 * credentials, signing keys). Identity and datasources both get one injected by the
 * composition root, so neither imports the other.
 */
export interface SecretBox {
  /**
   * Encrypts `plaintext` under the current key. `associatedData` binds the result to its
   * place (e.g. `auth-config:openldap/bindPassword`) so a sealed value cannot be moved.
   */
  seal(plaintext: string, associatedData?: string): string;
  /** Decrypts a value sealed under the current or any older configured key. */
  open(sealed: string, associatedData?: string): string;
  /** True when `sealed` was made under an older key and should be re-sealed. */
  needsReseal(sealed: string): boolean;
}
