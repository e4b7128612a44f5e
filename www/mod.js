// mod.js: keyboard shortcuts for the moderation queue.  Progressive
// enhancement: every action is an ordinary form that works without this.
(function () {
  'use strict';

  var items = Array.prototype.slice.call(document.querySelectorAll('ol.mod-queue > li.mod-item'));
  var help = document.getElementById('mod-help');
  var hint = document.getElementById('mod-keyhint');
  var cur = -1;

  if (hint) hint.hidden = false;

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
  // so the request is exactly what a click would send.
  function act(key) {
    if (cur < 0) return;
    var b = items[cur].querySelector('button[data-key="' + key + '"]');
    if (b) b.click();
  }

  function toggle() {
    if (cur < 0) return;
    var box = items[cur].querySelector('input[type="checkbox"][name="id"]');
    if (box) box.checked = !box.checked;
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
    switch (e.key) {
      case 'j': go(cur + 1); break;
      case 'k': go(cur < 0 ? 0 : cur - 1); break;
      case 'x': toggle(); break;
      case 'a': case 's': case 'd': act(e.key); break;
      case '?': if (help) help.hidden = !help.hidden; break;
      case 'Escape':
        if (!help || help.hidden) return;
        help.hidden = true;
        break;
      default: return;
    }
    e.preventDefault();
  });
})();
