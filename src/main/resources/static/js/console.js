// Console behaviour without inline scripts (the Content-Security-Policy allows only same-origin script files).
document.addEventListener('DOMContentLoaded', () => {
  // A checkbox with data-toggles="id" shows the element with that id while checked and hides it while unchecked.
  document.querySelectorAll('input[type=checkbox][data-toggles]').forEach((box) => {
    const target = document.getElementById(box.dataset.toggles);
    const sync = () => { if (target) target.hidden = !box.checked; };
    box.addEventListener('change', sync);
    sync();
  });

  // A checkbox with data-revoke-warning="id" shows that warning (what saving will revoke) while it is unchecked.
  document.querySelectorAll('input[type=checkbox][data-revoke-warning]').forEach((box) => {
    const warning = document.getElementById(box.dataset.revokeWarning);
    if (!warning) return;
    const sync = () => { warning.hidden = box.checked; };
    box.addEventListener('change', sync);
    sync();
  });

  // A button with data-copy="id" copies that element's text (or value) to the clipboard.
  document.querySelectorAll('button[data-copy]').forEach((button) => {
    button.addEventListener('click', async () => {
      const source = document.getElementById(button.dataset.copy);
      const text = source ? (source.value ?? source.textContent).trim() : '';
      try {
        await navigator.clipboard.writeText(text);
        button.dataset.label = button.dataset.label || button.textContent;
        button.textContent = 'Copied';
        setTimeout(() => { button.textContent = button.dataset.label; }, 1500);
      } catch (e) {
        if (source && source.select) source.select();
      }
    });
  });

  // A form with data-confirm asks before it is submitted.
  document.querySelectorAll('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
