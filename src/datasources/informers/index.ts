export {
  type ManagerConnections,
  SharedInformers,
  type SharedInformersOptions,
} from './cluster-informers.js';
export { KindInformer, type KindInformerOptions } from './kind-informer.js';
export { INFORMED_PATHS } from './kind-paths.js';
