// Copy buttons, served as a file (never inline) so the Content-Security-Policy needs no exception:
//   <button data-copy="text" hidden>             copies the attribute's text;
//   <button data-copy-target="id" hidden>        copies the text of the element with that id (install configs).
// The buttons stay hidden where this script or the Clipboard API is unavailable.
(() => {
  if (!navigator.clipboard) return;
  const textFor = (button) => {
    if (button.dataset.copy !== undefined) return button.dataset.copy;
    return document.getElementById(button.dataset.copyTarget ?? '')?.textContent ?? '';
  };
  for (const button of document.querySelectorAll('button[data-copy], button[data-copy-target]')) {
    if (button.dataset.copyReady !== undefined) continue;
    button.dataset.copyReady = '';
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(textFor(button));
        button.textContent = 'Copied';
        button.dataset.copied = '';
      } catch {
        // Clipboard refused (permissions, insecure context): select the config so the keyboard copy works.
        const target = document.getElementById(button.dataset.copyTarget ?? '');
        if (target) getSelection()?.selectAllChildren(target);
        button.textContent = 'Press Ctrl+C';
      }
      setTimeout(() => {
        button.textContent = label;
        delete button.dataset.copied;
      }, 1600);
    });
  }
})();
