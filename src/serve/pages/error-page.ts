/**
 * @module
 * The HTML answer to a failed page request: the status and the message
 * (which may quote what the client sent, so escaped like everything else).
 */

import type { ErrorBody } from '../errors.js';
import { page } from './layout.js';
import { WORDS, type PageLang } from './page-words.js';
import { escapeHtml } from '../../report/index.js';

export function errorPage(body: ErrorBody, lang: PageLang): string {
  const w = WORDS[lang];
  return page({
    title: `${w.error} ${body.statusCode}`,
    state: { lang },
    path: '/',
    body: `<p class="error">${escapeHtml(body.message)}</p>`,
  });
}
