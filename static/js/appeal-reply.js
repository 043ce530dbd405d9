// The deputy's reply on the appeal page: "Send final answer" asks for confirmation in a
// dialog first. Without JavaScript the server asks instead: the page comes back with a
// confirmation checkbox (appeals.forms.ReplyForm).
(function () {
  "use strict";
  var form = document.getElementById("reply-form");
  var dialog = document.getElementById("final-confirm");
  if (!form || !dialog || !window.bootstrap) {
    return;
  }
  var finalButton = document.getElementById("send-final");
  var confirmed = document.getElementById("confirm-final-js");
  var modal = window.bootstrap.Modal.getOrCreateInstance(dialog);

  finalButton.addEventListener("click", function (event) {
    var checkbox = document.getElementById("id_confirm_final");
    if (!confirmed.disabled || (checkbox && checkbox.checked)) {
      return; // confirmed already: let the button submit
    }
    event.preventDefault();
    modal.show();
  });

  document.getElementById("confirm-final").addEventListener("click", function () {
    confirmed.disabled = false;
    modal.hide();
    form.requestSubmit(finalButton);
  });

  // Closing the dialog without confirming returns to the reply as it was.
  dialog.addEventListener("hidden.bs.modal", function () {
    if (confirmed.disabled) {
      finalButton.focus();
    }
  });
})();
