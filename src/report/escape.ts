/**
 * @module
 * Escaping for every string that reaches HTML or Markdown output. Any text in
 * a report can come from an attacker: payload snippets, DNS names, rule
 * messages, even a country or port label built from packet fields. So the
 * renderers pass *all* text through these functions, not just the fields
 * believed to be dangerous.
 *
 * Besides markup, `cleanText` replaces control characters (invalid in HTML,
 * able to end a Markdown line) and bidirectional overrides (which can make
 * "moc.elgoog" read as "google.com", the Trojan Source trick) with U+FFFD.
 * The JSON output keeps the raw strings; only display output is cleaned.
 */

/** C0/C1 controls except tab, and DEL. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidi embeddings, overrides and isolates, plus LRM/RLM/ALM marks. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Line and paragraph separators, which Markdown and some viewers treat as line ends. */
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029]/g;
const REPLACEMENT = '\ufffd';

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Controls and bidi overrides → U+FFFD; line breaks → one space (inline text never spans lines). */
export function cleanText(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROL_CHARS, REPLACEMENT).replace(BIDI_CONTROLS, REPLACEMENT);
}

/** Text for HTML element content or a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] as string);
}

/**
 * Markdown punctuation that can start markup anywhere in a line: emphasis,
 * code, links, images and footnotes (all need `[`), tables, strikethrough.
 * `<`, `>` and `&` become entities, which stops raw HTML and `<…>` autolinks
 * (a backslash would not stop an entity reference such as `&lt;` from being
 * decoded). Parentheses, `!` and `#` mid-line are harmless once `[` is escaped.
 */
const MARKDOWN_INLINE = /[\\`*_[\]~|]/g;
const MARKDOWN_ENTITIES = /[&<>]/g;
/**
 * Markup recognised only at the start of a line, and only when followed by a
 * blank or the line end: list bullets, ATX headings, ordered-list numbers,
 * and a line made only of `-` or `=` (thematic break, setext underline).
 * "-15.3%" and "533.7 件" start no block and are left alone.
 */
const LINE_START_RULES: readonly [RegExp, (m: string, ...groups: string[]) => string][] = [
  [/^(\s*)([-+])(?=\s|$)/, (_m, space, mark) => `${space}\\${mark}`],
  [/^(\s*)(#{1,6})(?=\s|$)/, (_m, space, marks) => `${space}\\${marks}`],
  [/^(\s*)(\d{1,9})([.)])(?=\s|$)/, (_m, space, digits, mark) => `${space}${digits}\\${mark}`],
  [/^(\s*)([-=])([-=\s]*)$/, (_m, space, first, rest) => `${space}\\${first}${rest}`],
];

/** Text for a Markdown paragraph, list item, heading or table cell. */
export function escapeMarkdown(text: string): string {
  let escaped = cleanText(text)
    .replace(MARKDOWN_ENTITIES, (c) => HTML_ENTITIES[c] as string)
    .replace(MARKDOWN_INLINE, (c) => `\\${c}`);
  for (const [pattern, replace] of LINE_START_RULES) escaped = escaped.replace(pattern, replace);
  return escaped;
}

/**
 * A Markdown code span for verbatim text: the fence is one backtick longer
 * than the longest run inside, and `|` is escaped because GFM splits table
 * cells on it even inside code spans. `inTable` must be true in table cells.
 */
export function markdownCode(text: string, inTable: boolean): string {
  let body = cleanText(text);
  if (inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // Padding keeps a leading or trailing backtick from joining the fence.
  const pad = body.startsWith('`') || body.endsWith('`') || body === '' ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

const SAFE_SCHEMES = /^https?:\/\/[^\s<>"'`\\]+$/i;

/** The URL when it is a plain http(s) URL, else null: `javascript:`, `data:` and the like never become links. */
export function safeHref(href: string): string | null {
  return SAFE_SCHEMES.test(href) && cleanText(href) === href ? href : null;
}

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Whether `id` can be used as an HTML id and SVG id prefix as is. */
export function isSafeId(id: string): boolean {
  return ID_PATTERN.test(id);
}
