// Copying a permalink: the Clipboard API, else a selected text box and execCommand (the Clipboard
// API exists only on secure pages, and intranets are often plain http).
import { h } from '../dom.js';

// A root-relative link (`/c/7`, made without CHATTER_PUBLIC_URL) is on Chatter's origin: the pane's `api`.
/** Put `link` on the clipboard and say "Link copied". */
export async function copy(link, notify, button) {
  const text = new URL(link, button.getRootNode().host?.getAttribute('api') || location.href).href;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    if (!byHand(text, button)) return notify(`Could not copy the link. It is ${text}`, true);
  }
  notify('Link copied');
}

function byHand(text, button) {
  const box = h('textarea', { class: 'sr', readonly: true, 'aria-hidden': 'true', tabindex: '-1' });
  box.value = text;
  button.after(box);
  box.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    box.remove();
    button.focus();
  }
}
