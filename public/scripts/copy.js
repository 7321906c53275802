// Copy buttons: <button class="copy-button" data-copy="text" hidden>. Served as a file (never inline) so
// the Content-Security-Policy needs no exception; the buttons stay hidden where it cannot run.
(() => {
  const buttons = document.querySelectorAll('button[data-copy]');
  if (!navigator.clipboard) return;
  for (const button of buttons) {
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy ?? '');
        button.textContent = 'Copied';
        button.dataset.copied = '';
      } catch {
        button.textContent = 'Press Ctrl+C';
      }
      setTimeout(() => {
        button.textContent = label;
        delete button.dataset.copied;
      }, 1600);
    });
  }
})();
