// mod.js: keyboard shortcuts and select-all for the moderation queue.
// Progressive enhancement: every action is an ordinary form or link that
// works without this (select-all reloads the page with every box ticked;
// delete asks through a disclosure).
(function () {
  'use strict';

  var items = Array.prototype.slice.call(document.querySelectorAll('ol.mod-queue > li.mod-item'));
  var help = document.getElementById('mod-help');
  var hint = document.getElementById('mod-keyhint');
  var selall = document.querySelector('a.mod-selall');
  var cur = -1;

  if (hint) hint.hidden = false;

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][form="bulk"]'));
  }

  // Select-all ticks (or clears) the boxes in place, as the link's page
  // would have drawn them.
  function sayAll() {
    if (!selall) return;
    var all = boxes();
    var every = all.length > 0 && all.every(function (b) { return b.checked; });
    selall.textContent = every ? 'Select none' : 'Select all ' + all.length;
    selall.setAttribute('data-all', every ? '1' : '0');
  }

  if (selall) {
    selall.setAttribute('role', 'button');
    selall.addEventListener('click', function (e) {
      e.preventDefault();
      var on = selall.getAttribute('data-all') !== '1';
      boxes().forEach(function (b) { b.checked = on; });
      sayAll();
    });
    document.addEventListener('change', function (e) {
      if (e.target && e.target.getAttribute && e.target.getAttribute('form') === 'bulk') sayAll();
    });
    sayAll();
  }

  function mark(i) {
    if (cur >= 0 && items[cur]) items[cur].classList.remove('mod-focused');
    cur = i;
    items[cur].classList.add('mod-focused');
  }

  function go(i) {
    if (items.length === 0) return;
    if (i < 0) i = 0;
    if (i >= items.length) i = items.length - 1;
    mark(i);
    items[i].focus();
    items[i].scrollIntoView({ block: 'nearest' });
  }

  // Submit the focused item's own form through the button for this key,
  // so the request is exactly what a click would send.  Delete opens its
  // question and puts the focus on "yes": Enter confirms, Escape not.
  function act(key) {
    if (cur < 0) return;
    var b = items[cur].querySelector('button[data-key="' + key + '"]');
    if (b) { b.click(); return; }
    var ask = items[cur].querySelector('details[data-key="' + key + '"]');
    if (ask) {
      ask.open = true;
      var yes = ask.querySelector('button');
      if (yes) yes.focus();
    }
  }

  function toggle() {
    if (cur < 0) return;
    var box = items[cur].querySelector('input[type="checkbox"][name="id"]');
    if (box) box.checked = !box.checked;
    sayAll();
  }

  function undo() {
    var b = document.querySelector('#mod-notice .mod-undo');
    if (b) b.click();
  }

  function typing(t) {
    if (!t || !t.tagName) return false;
    return t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
  }

  items.forEach(function (li, i) {
    li.addEventListener('focusin', function () { if (cur !== i) mark(i); });
  });

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key === 'Escape') {
      var open = document.querySelector('details.mod-confirm[open]');
      if (open) {
        open.open = false;
        if (cur >= 0) items[cur].focus();
      } else if (help && !help.hidden) help.hidden = true;
      else return;
      e.preventDefault();
      return;
    }
    // Enter on the focused "yes" is the button's own; leave it be.
    if (e.key === 'Enter') return;
    switch (e.key) {
      case 'j': go(cur + 1); break;
      case 'k': go(cur < 0 ? 0 : cur - 1); break;
      case 'x': toggle(); break;
      case 'a': case 's': case 'd': act(e.key); break;
      case 'u': undo(); break;
      case '?': if (help) help.hidden = !help.hidden; break;
      default: return;
    }
    e.preventDefault();
  });
})();
