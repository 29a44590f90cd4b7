// Post HTML is sanitized by the server and again here: an XSS in a post is an XSS on the intranet.
// The markup is parsed into an inert DOMParser document and rebuilt node by node from an allowlist,
// so nothing from the string is ever adopted into the live page.
const ALLOWED = new Set(['P', 'EM', 'STRONG', 'DEL', 'S', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'A',
  'HR', 'BR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6']);
// Dropped with everything inside them; any other unknown element is unwrapped to its text.
const DROPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'NOSCRIPT',
  'TEXTAREA', 'SELECT', 'NOEMBED', 'NOFRAMES', 'XMP', 'TITLE', 'HEAD']);
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const POLICY_NAME = 'chatter';

// The policy is private to this module and only feeds the inert parser below; when the host's CSP
// does not allow it, posts fall back to plain text instead of breaking.
let policy = null;
let policyFailed = false;
function parserInput(html) {
  const tt = globalThis.trustedTypes;
  if (!tt) return html;
  if (!policy && !policyFailed) {
    try {
      policy = tt.createPolicy(POLICY_NAME, { createHTML: (s) => s });
    } catch {
      policyFailed = true;
    }
  }
  return policy ? policy.createHTML(html) : null;
}

function safeHref(href) {
  try {
    const url = new URL(href, document.baseURI);
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function copyChildren(from, to) {
  for (const node of from.childNodes) {
    if (node.nodeType === 3) {
      to.append(document.createTextNode(node.data));
    } else if (node.nodeType === 1) {
      const tag = node.tagName.toUpperCase();
      if (DROPPED.has(tag)) continue;
      // A mention, the server's `<span data-mention="{person id}">`, becomes a button that opens the
      // person's card (element.js); nothing else of a span is kept.
      const mention = tag === 'SPAN' && node.getAttribute('data-mention');
      if (!ALLOWED.has(tag) && !/^\d+$/.test(mention)) {
        copyChildren(node, to);
        continue;
      }
      const el = document.createElement(mention ? 'button' : tag);
      if (mention) {
        el.className = 'mention';
        el.dataset.person = mention;
      }
      if (tag === 'A') {
        const href = safeHref(node.getAttribute('href') || '');
        if (href) {
          el.setAttribute('href', href);
          el.setAttribute('target', '_blank');
          el.setAttribute('rel', 'nofollow noopener noreferrer ugc');
        }
      }
      copyChildren(node, el);
      to.append(el);
    }
  }
  return to;
}

/** Turn server-rendered post HTML into a safe fragment; plain `fallback` text if HTML is unavailable. */
export function renderHtml(html, fallback) {
  const input = parserInput(String(html || ''));
  if (input === null) return document.createTextNode(fallback || '');
  const doc = new DOMParser().parseFromString(input, 'text/html');
  return copyChildren(doc.body, document.createDocumentFragment());
}

/** Plain text of a post for previews. */
export function excerpt(body, max = 110) {
  const text = String(body || '').replace(/[*_`>#~[\]()]/g, '').replace(/\s+/g, ' ').trim();
  return [...text].length > max ? [...text].slice(0, max - 1).join('') + '…' : text;
}

/** Length in code points, as the server counts. */
export function length(text) {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** "1 person", "3 people": a count and its noun, `many` when it is not the noun plus "s". */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
