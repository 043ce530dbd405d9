// One click, one appeal: the server also recognises a resubmitted form by its token.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("appeal-form");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    var button = document.getElementById("file-appeal");
    if (button.dataset.sent) { event.preventDefault(); return; }
    button.dataset.sent = "1";
    button.setAttribute("aria-disabled", "true");
  });
});
