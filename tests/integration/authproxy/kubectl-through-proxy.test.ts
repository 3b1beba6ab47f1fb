import { defineKubectlSuite } from './support/kubectl-suite.js';
import { startPaddockWithKubesim } from './support/paddock-with-kubesim.js';

defineKubectlSuite('kubectl through the Paddock proxy to kubesim', startPaddockWithKubesim);
