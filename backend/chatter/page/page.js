/*! Chatter's own page: put the conversation's fragment in the address before the pane mounts. */
(() => {
  const fragment = document.currentScript && document.currentScript.dataset.fragment;
  // a link to a comment (#chatter-comment-N) keeps its own fragment
  if (fragment && !location.hash) history.replaceState(history.state, '', '#' + fragment);
})();
