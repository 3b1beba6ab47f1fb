import { defineKubectlSuite } from './support/kubectl-suite.js';
import { startPaddockWithAgentKubesim } from './support/paddock-with-agent-kubesim.js';
import { definePortForwardSuite } from './support/port-forward-suite.js';

// The proxy's own suites, unchanged, against clusters Paddock cannot dial (ADR 0017).
defineKubectlSuite(
  'kubectl through the Paddock proxy to clusters behind NAT, through their agents',
  startPaddockWithAgentKubesim,
);
definePortForwardSuite(
  'kubectl port-forward through the Paddock proxy and an agent tunnel',
  startPaddockWithAgentKubesim,
);
