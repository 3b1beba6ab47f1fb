/**
 * Long text to read and scroll (Helm notes, values, an operation's log) as a read-only
 * textarea: it takes keyboard focus and scrolls with the arrow keys, has its own label, and
 * selecting and copying work as in any field.
 */
import { useEffect, useRef } from 'react';

export function ReadOnlyText({
  label,
  text,
  rows = 12,
  follow = false,
}: {
  label: string;
  text: string;
  rows?: number;
  /** Keep the end in view as text is added (a log). */
  follow?: boolean;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (follow && ref.current && text) ref.current.scrollTop = ref.current.scrollHeight;
  }, [follow, text]);
  return (
    <textarea
      ref={ref}
      className="code read-only"
      readOnly
      spellCheck={false}
      aria-label={label}
      rows={rows}
      value={text}
    />
  );
}
