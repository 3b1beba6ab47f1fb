/** The YAML library, loaded on first use so it stays out of the first page's bundle. */
import { useEffect, useState } from 'react';

export type YamlModule = typeof import('yaml');

let loading: Promise<YamlModule> | undefined;

export function loadYaml(): Promise<YamlModule> {
  loading ??= import('yaml');
  return loading;
}

/** `undefined` until loaded. */
export function useYaml(): YamlModule | undefined {
  const [yaml, setYaml] = useState<YamlModule>();
  useEffect(() => {
    let live = true;
    void loadYaml().then((m) => {
      if (live) setYaml(m);
    });
    return () => {
      live = false;
    };
  }, []);
  return yaml;
}
