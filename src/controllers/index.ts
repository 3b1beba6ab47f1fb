export type { Controller } from './controller.js';
export {
  ControllerHost,
  type ControllerHostOptions,
  type ControllerStatus,
} from './controller-host.js';
export { type LeaseOptions, type LeaseRecord, leasesCollection, StoreLeases } from './lease.js';
