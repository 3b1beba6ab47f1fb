/** The port lives in src/domain, so adapters (datasources, apps, ...) can implement it. */
export type { Controller } from '../domain/controller.js';
