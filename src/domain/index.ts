export type * from './identity.js';
export { SESSION_COOKIE_NAME } from './identity.js';
export type * from './logger.js';
export type * from './password-provider.js';
export type * from './principal.js';
export type * from './secret-box.js';
export type * from './store.js';
