/**
 * A chart's icon. The console loads images from Paddock only (its CSP), so an icon embedded
 * as a data: image is shown and an icon elsewhere becomes the chart's initial: the browser
 * never fetches a URL a chart author chose.
 */
export function ChartIcon({ name, iconUrl }: { name: string; iconUrl?: string | null }) {
  if (iconUrl && /^data:image\/(png|jpeg|gif|webp);base64,/i.test(iconUrl)) {
    return <img className="chart-icon" src={iconUrl} alt="" width={40} height={40} />;
  }
  return (
    <span className="chart-icon chart-icon-letter" aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
