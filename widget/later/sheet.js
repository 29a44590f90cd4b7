// A later module's CSS: a constructed sheet of its own, adopted into the pane's shadow root when the
// module first shows something there, so none of it weighs on the first load.

/** A function that adopts `css` into a shadow root (once). */
export function styles(css) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return (root) => {
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  };
}
