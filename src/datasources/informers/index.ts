export {
  type ManagerConnections,
  SharedInformers,
  type SharedInformersOptions,
} from './cluster-informers.js';
export { KindInformer, type KindInformerOptions } from './kind-informer.js';
export { INFORMED_PATHS, informedPath } from './kind-paths.js';
export { leanObject } from './lean-object.js';
