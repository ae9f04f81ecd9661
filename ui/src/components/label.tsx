/** A VM's label: its Qubes colour as a swatch, and its name as text (colour is never the only sign). */

/** Qubes' label colours (qubes.xml). */
export const LABEL_COLOURS: Record<string, string> = {
  red: '#cc0000',
  orange: '#f57900',
  yellow: '#edd400',
  green: '#73d216',
  gray: '#555753',
  blue: '#3465a4',
  purple: '#75507b',
  black: '#000000',
};

export const LABELS = Object.keys(LABEL_COLOURS);

export function Label({ name }: { name: string }) {
  return (
    <span class="label">
      <span class="swatch" style={{ background: LABEL_COLOURS[name] ?? '#888' }} aria-hidden="true" />
      {name}
    </span>
  );
}
