import { startPaddockWithKubesim } from './support/paddock-with-kubesim.js';
import { definePortForwardSuite } from './support/port-forward-suite.js';

definePortForwardSuite('kubectl port-forward through the Paddock proxy', startPaddockWithKubesim);
