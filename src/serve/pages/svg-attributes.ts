/**
 * @module
 * The report's chart SVG made fit for a page under a Content-Security-Policy
 * without `unsafe-inline`: ECharts writes text fonts as `style="font-size:
 * 12px;font-family:…"`, and the browser refuses every inline style
 * attribute under that policy (the chart would lose its fonts and the console
 * fill with errors). The same declarations are SVG presentation
 * attributes, which the policy does not touch, so each becomes one.
 */

/** CSS properties that are also SVG presentation attributes of the same name. */
const PRESENTATION = new Set([
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'opacity',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
]);
const STYLE_ATTRIBUTE = / style="([^"]*)"/g;

/** `svg` (already cleaned by the report's whitelist) with every `style` attribute turned into presentation attributes. */
export function styleToAttributes(svg: string): string {
  return svg.replace(STYLE_ATTRIBUTE, (_whole, style: string) =>
    style
      .split(';')
      .map((declaration) => declaration.trim())
      .filter((d) => d !== '')
      .map((declaration) => {
        const colon = declaration.indexOf(':');
        const name = declaration.slice(0, colon).trim().toLowerCase();
        const value = declaration.slice(colon + 1).trim();
        if (colon < 0 || !PRESENTATION.has(name))
          throw new RangeError(`Cannot turn chart style ${JSON.stringify(declaration)} into an SVG attribute`);
        // The value sat inside a double-quoted attribute already, so it holds no raw `"`.
        return ` ${name}="${value}"`;
      })
      .join(''),
  );
}
