export * from './authorization/index.js';
export { FleetIndexService, type FleetIndexServiceOptions } from './fleet-index-service.js';
export { BUILTIN_INDEXED_KINDS, type IndexedKind } from './indexed-kinds.js';
export { runQuery } from './query/run-query.js';
export { KindTable } from './table/kind-table.js';
export { type Row, rowOf } from './table/row.js';
