export type * from './password-provider.js';
export type * from './principal.js';
export type * from './store.js';
