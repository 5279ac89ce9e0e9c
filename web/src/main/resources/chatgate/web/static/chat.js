// Live updates where script runs (P2.4): new messages, and the states of the user's own, arrive
// over Server-Sent Events and are written with textContent only, never as markup. Without script
// the page offers a reload, and a watching page that reloads itself (never the one being typed in).
(function () {
  'use strict';
  if (!window.EventSource) { return; }
  var section = document.getElementById('fresh');
  var list = document.getElementById('fresh-list');
  if (!section || !list) { return; }
  var partner = section.getAttribute('data-partner') || '';
  var replyLabel = section.getAttribute('data-reply') || 'Reply';
  var lines = document.getElementById('lines');

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function stamp(parent, m) {
    if (m.time) {
      parent.appendChild(el('small', m.time));
      parent.appendChild(document.createTextNode(' '));
    }
  }

  // Newest first, as the page writes it (ADR 0038): a pushed line goes on top, under the form.
  function show(m) {
    var thread = m.group || m.fromId;
    if (lines && partner && thread === partner) {
      var li = el('li', undefined, 'theirs pushed');
      stamp(li, m);
      li.appendChild(el('b', m.from));
      li.appendChild(document.createTextNode(': '));
      li.appendChild(el('span', m.body, 'body'));
      var top = lines.firstElementChild;
      lines.insertBefore(li, top && top.className === 'day' ? top.nextSibling : top);
      var empty = document.querySelector('#conversation .empty');
      if (empty) { empty.parentNode.removeChild(empty); }
      return true;
    }
    count(thread);
    if (!section.querySelector('h2')) {
      section.insertBefore(el('h2', section.getAttribute('data-heading') || ''), list);
    }
    var item = el('li', undefined, 'pushed');
    item.appendChild(el('b', m.from));
    if (m.group) { item.appendChild(el('i', ' [' + m.groupName + ']')); }
    item.appendChild(document.createTextNode(' '));
    stamp(item, m);
    item.appendChild(document.createTextNode(': '));
    item.appendChild(el('span', m.body, 'body'));
    item.appendChild(document.createTextNode(' '));
    var a = el('a', replyLabel);
    a.href = m.reply;
    item.appendChild(a);
    list.insertBefore(item, list.firstChild);
  }

  // One more unread in that conversation's row of the list (ADR 0047), as a reload would show it.
  function count(thread) {
    var rows = document.querySelectorAll('#partners a');
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute('href') === '/chat?to=' + encodeURIComponent(thread)) {
        var b = rows[i].nextElementSibling;
        if (!b || b.className !== 'unread') {
          b = el('b', '(0)', 'unread');
          rows[i].parentNode.insertBefore(b, rows[i].nextSibling);
          rows[i].parentNode.insertBefore(document.createTextNode(' '), b);
        }
        b.textContent = '(' + (parseInt(b.textContent.replace(/[()]/g, ''), 10) + 1) + ')';
      }
    }
  }

  // A pushed message counts as delivered only once this page says it showed it: a stream can
  // take writes for a while after its tab closed or its connection died, and then the message
  // goes by SMS instead (issue 16). Acknowledgements are gathered for a moment and sent together.
  var csrfField = document.querySelector('input[name="csrf"]');
  var pending = [];
  var read = [];
  var timer = null;
  function flush() {
    timer = null;
    if (!pending.length || !csrfField) { return; }
    var body = 'csrf=' + encodeURIComponent(csrfField.value) + '&ids=' + encodeURIComponent(pending.join(','))
      + '&read=' + encodeURIComponent(read.join(','));
    pending = [];
    read = [];
    fetch('/events/ack', {
      method: 'POST', credentials: 'same-origin', keepalive: true,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body
    }).catch(function () { /* unacknowledged: it comes again by SMS or on the next page */ });
  }
  // inThread: written into the conversation on the screen, so read there as well.
  function acknowledge(id, inThread) {
    pending.push(id);
    if (inThread) { read.push(id); }
    if (!timer) { timer = setTimeout(flush, 200); }
  }

  var source = new EventSource('/events');
  source.addEventListener('message', function (e) {
    var m;
    try { m = JSON.parse(e.data); } catch (err) { return; /* a malformed event is skipped */ }
    var inThread = show(m) === true;
    if (m.id) { acknowledge(m.id, inThread); }
  });

  // What became of a message this page's user sent (issue 16): the line's state is replaced in
  // place, as text; a line not on this page is left alone (it shows its state when it is).
  source.addEventListener('state', function (e) {
    var s;
    try { s = JSON.parse(e.data); } catch (err) { return; }
    if (!s.msg || !lines) { return; }
    var marks = lines.querySelectorAll('.state[data-msg]');
    for (var i = 0; i < marks.length; i++) {
      if (marks[i].getAttribute('data-msg') === s.msg) {
        marks[i].textContent = s.text;
        marks[i].title = s.title || '';
        marks[i].className = 'state ' + (s.cls || '');
      }
    }
  });
}());
