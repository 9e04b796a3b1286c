/* The subscribe page's copy buttons. Without this script the buttons stay
 * hidden and each address is selectable text in its field; with it a
 * button copies the address (the Clipboard API where the page is a secure
 * context, else the selection and execCommand) and says so in the status
 * line, whose words the page gives in its own language. Everything lives
 * inside this function: no globals. */
(function () {
  'use strict';

  var status = document.querySelector('.sub-status');

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function selectAll(input) {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
  }

  // copy tries the Clipboard API, which a browser may refuse (no secure
  // context, no permission), then the selection.
  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value).catch(function () {
        return legacyCopy(input);
      });
    }
    return legacyCopy(input);
  }

  function legacyCopy(input) {
    return new Promise(function (resolve, reject) {
      selectAll(input);
      try {
        if (document.execCommand('copy')) {
          resolve();
          return;
        }
      } catch (err) { /* reported below */ }
      reject(new Error('copy refused'));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (button) {
    var input = document.getElementById(button.getAttribute('data-copy'));
    if (!input) {
      return;
    }
    // A click in the field selects the whole address.
    input.addEventListener('focus', function () {
      input.select();
    });
    button.hidden = false;
    button.addEventListener('click', function () {
      copy(input).then(function () {
        say((status ? status.getAttribute('data-copied') : '') + ': ' + input.value);
        button.setAttribute('data-copied', '1');
      }, function () {
        selectAll(input);
        say(status ? status.getAttribute('data-failed') : '');
      });
    });
  });
}());
