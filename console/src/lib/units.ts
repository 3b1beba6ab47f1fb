/** Human units for CPU millicores and memory bytes. */
export function cpuText(millis: number): string {
  return millis >= 1000 ? `${(millis / 1000).toFixed(millis % 1000 === 0 ? 0 : 1)}` : `${millis}m`;
}

export function bytesText(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 10 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}
