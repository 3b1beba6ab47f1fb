#!/usr/bin/env python3
"""Watches the pods of one namespace with the official Kubernetes Python client.

kubernetes.watch.Watch().stream(list_namespaced_pod, ...) sends `watch=True` (a capital T),
which is what the proxy and kubesim must read as a watch. Prints one JSON line per event, then
`{"status": "ended"}` when the server ends the stream, or `{"error": ...}` (exit 3) when the
connection breaks or a call fails.

Usage: python-watch-pods.py <kubeconfig> <namespace>
"""
import json
import sys

from kubernetes import client, config, watch


def emit(line):
    print(json.dumps(line), flush=True)


def main():
    kubeconfig, namespace = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    emit({"status": "started"})
    try:
        # timeout_seconds makes Watch return when the server ends the stream instead of
        # starting a new one, so an ended stream shows up as an exit.
        stream = watch.Watch().stream(core.list_namespaced_pod, namespace, timeout_seconds=300)
        for event in stream:
            emit({"type": event["type"], "name": event["object"].metadata.name})
    except Exception as err:  # noqa: BLE001 - the test reads the kind of failure
        emit({"error": type(err).__name__, "message": str(err)[:300]})
        sys.exit(3)
    emit({"status": "ended"})


if __name__ == "__main__":
    main()
